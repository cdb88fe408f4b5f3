import {statusText} from '../../../cli/commands/containers/status-text.js';
import {createdSince} from '../../../cli/format/units.js';
import type {Container} from '../../../engine/containers/container-store.js';
import {shortId} from '../../../engine/digest.js';
import {findImage} from '../../../engine/image/resolve.js';
import type {ImageCatalog} from '../../../engine/store/image-catalog.js';
import type {TableColumn} from '../../components/SelectableTable.js';

/** One row of the containers table: `ps -a` as text, plus the container it shows. */
export type ContainerRow = {
	id: string;
	name: string;
	image: string;
	command: string;
	state: string;
	created: string;
	status: string;
	container: Container;
};

/** The image as `ps` shows it: the name it was created with while that still names the same image, else the short ID. */
function imageText(container: Container, catalog: ImageCatalog | undefined): string {
	if (!catalog) return container.record.imageName;
	try {
		if (findImage(catalog, container.record.imageName)?.id === container.record.image) return container.record.imageName;
	} catch {
		// An ambiguous prefix now: the ID.
	}
	return shortId(container.record.image);
}

export function containerRows(containers: readonly Container[], catalog: ImageCatalog | undefined, now = Date.now()): ContainerRow[] {
	return containers.map(container => ({
		id: container.record.id,
		name: container.record.name,
		image: imageText(container, catalog),
		command: JSON.stringify([container.record.path, ...container.record.args].join(' ')),
		state: container.state.status,
		created: createdSince(new Date(container.record.created), now),
		status: statusText(container.state, now),
		container,
	}));
}

/** What the table shows of the rows, to re-render only when something visible changed. */
export function rowsSignature(rows: readonly ContainerRow[]): string {
	return JSON.stringify(rows.map(({container: _container, ...text}) => text));
}

export const containerColumns: ReadonlyArray<TableColumn<ContainerRow>> = [
	{id: 'name', title: 'NAME', cell: row => row.name, maxWidth: 28},
	{id: 'image', title: 'IMAGE', cell: row => row.image, grow: 1, minWidth: 8, maxWidth: 40},
	{id: 'command', title: 'COMMAND', cell: row => row.command, grow: 2, minWidth: 8, hidePriority: 2},
	{id: 'state', title: 'STATE', cell: row => row.state},
	{id: 'created', title: 'CREATED', cell: row => row.created, hidePriority: 3},
	{id: 'status', title: 'STATUS', cell: row => row.status, maxWidth: 32, hidePriority: 1},
	{id: 'id', title: 'CONTAINER ID', cell: row => row.id.slice(0, 12), hidePriority: 4},
];
