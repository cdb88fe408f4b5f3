import type {ProgressEvent} from '../progress.js';
import {OciRuntime} from '../runtime/oci-runtime.js';
import type {Store} from '../store/store.js';
import type {ContainerRecord, ContainerState} from './container-record.js';

/**
 * Runs `work` with a running container frozen (`runtime pause`, then `resume`), so that the files a
 * commit reads do not change under it (`docker commit --pause`, on by default). A container that is not
 * running, or already paused, is left as it is. When the runtime cannot pause (no freezer cgroup), the
 * commit goes on unpaused with a note: its files may then change while they are read.
 */
export async function withContainerPaused<T>(
	store: Store,
	container: {record: ContainerRecord; state: ContainerState},
	pause: boolean,
	emit: (event: ProgressEvent) => void,
	work: () => Promise<T>,
): Promise<T> {
	const {record, state} = container;
	if (!pause || state.status !== 'running') return work();
	const runtime = OciRuntime.resolve(store.paths, record.hostConfig.runtime);
	try {
		await runtime.exec(['pause', record.id], `cannot pause container ${record.name}`);
	} catch (error) {
		emit({kind: 'log', message: `note: ${(error as Error).message}; committing it while it runs`});
		return work();
	}
	try {
		return await work();
	} finally {
		await runtime.exec(['resume', record.id], `cannot resume container ${record.name}`).catch(error => {
			emit({kind: 'log', message: `warning: ${(error as Error).message}`});
		});
	}
}
