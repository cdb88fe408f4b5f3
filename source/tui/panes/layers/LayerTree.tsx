import {Box, Text, type Key} from 'ink';
import {useEffect, useMemo, useRef} from 'react';
import {ellipsis} from '../../../cli/format/ellipsis.js';
import {analyzeLayers} from '../../../engine/analysis/layer-analysis.js';
import {imageLayerInputs} from '../../../engine/images/layers.js';
import {KeyHintLine} from '../../components/KeyHintLine.js';
import {useKeys} from '../../context/key-router-context.js';
import {useKeymap} from '../../context/keymap-context.js';
import {useStoreData} from '../../context/store-context.js';
import {useTheme} from '../../context/theme-context.js';
import {useLatestState} from '../../hooks/use-latest-state.js';
import {normalizeKey} from '../../keymap.js';
import {EfficiencyFooter} from './EfficiencyFooter.js';
import {FileTreeView} from './FileTreeView.js';
import {LayerDetails} from './LayerDetails.js';
import {LayerList} from './LayerList.js';
import {layerTreeLayout} from './layer-tree-layout.js';
import {createTreeSource, isFiltering} from './layer-tree-source.js';
import {initialLayerTreeState, layerTreeKey, layerTreeView, type LayerTreeRoom, type LayerTreeState, type TreeFocus} from './layer-tree-state.js';

export type LayerTreeProps = {
	imageRef: string;
	width: number;
	height: number;
	focused: boolean;
	/** The layer to open on (base first), e.g. the one picked in the history timeline. */
	initialLayer?: number;
	onBack: () => void;
};

/** Printable text, as opposed to a named key or a control chord: what the filter accepts. */
function typedText(input: string, key: Key): string | undefined {
	if (input === '' || key.ctrl || key.meta || /[\x00-\x1f\x7f]/.test(input)) return undefined;
	return input;
}

/** dive's view: the layers, and the files the selected one changed or the whole image up to it. */
export function LayerTree({imageRef, width, height, focused, initialLayer, onBack}: LayerTreeProps) {
	const theme = useTheme();
	const loaded = useStoreData(
		async store => {
			const inputs = await imageLayerInputs(store, imageRef);
			return {imageRef, source: createTreeSource(inputs, analyzeLayers(inputs))};
		},
		[imageRef],
	);
	// The store hook keeps the last value while it loads the next: another image's layers are not these.
	const source = loaded.data?.imageRef === imageRef ? loaded.data.source : undefined;
	const {error, loading} = loaded;
	const keymap = useKeymap();
	// Keys read and write the state through its ref: the next key can come before React renders the last.
	const [state, setState, stateRef] = useLatestState<LayerTreeState>(() => initialLayerTreeState(initialLayer));
	const openedOn = useRef(`${imageRef}\n${initialLayer}`);
	useEffect(() => {
		const target = `${imageRef}\n${initialLayer}`;
		if (openedOn.current === target) return;
		openedOn.current = target;
		setState(initialLayerTreeState(initialLayer));
	}, [imageRef, initialLayer, setState]);

	const layout = layerTreeLayout(width, height, source?.layerCount ?? 0, source?.report.efficiency.inefficiencies.length ?? 0);
	const room: LayerTreeRoom = useMemo(() => ({listHeight: layout.listHeight, treeHeight: layout.treeHeight}), [layout.listHeight, layout.treeHeight]);

	const keys = useKeys(
		(input, key) => {
			if (!source) {
				if (key.escape) onBack();
				return;
			}
			const before = stateRef.current;
			const outcome = layerTreeKey(before, {name: normalizeKey(input, key), text: typedText(input, key)}, source, room, keymap);
			setState(outcome.state);
			// While the filter is typed into, every key is text: the frame's q, 1-4 and : must not see them.
			if (outcome.state.editingFilter && !before.editingFilter) keys.grab();
			if (!outcome.state.editingFilter && before.editingFilter) keys.release();
			if (outcome.back) onBack();
		},
		{isActive: focused},
	);

	if (error && !source) {
		return (
			<Box width={width} height={height}>
				<Text {...theme.style.error}>{ellipsis(`layers of ${imageRef}: ${error.message}`, width)}</Text>
			</Box>
		);
	}
	if (!source) {
		return (
			<Box width={width} height={height}>
				<Text {...theme.style.dim}>{loading ? `Analyzing the layers of ${imageRef}…` : ''}</Text>
			</Box>
		);
	}
	if (source.layerCount === 0) {
		return (
			<Box width={width} height={height}>
				<Text {...theme.style.dim}>{ellipsis(`${imageRef} has no layers.`, width)}</Text>
			</Box>
		);
	}

	const current = state;
	const view = layerTreeView(current, source, room);
	const {layers} = source.report;
	const onlyChanged = current.wholeImage && current.onlyChanged;
	const filtering = isFiltering(current);
	const treeTitle = [
		current.wholeImage ? `image up to layer ${view.layer}` : `changes of layer ${view.layer}`,
		`${view.rows.length} rows`,
		`by ${current.sort}`,
		onlyChanged ? 'unchanged hidden' : '',
		current.filter !== '' || current.editingFilter ? `/${current.filter}${current.editingFilter ? '▌' : ''}` : '',
	]
		.filter(part => part !== '')
		.join(' · ');
	const emptyText = filtering ? `nothing matches "${current.filter.trim()}"` : onlyChanged ? 'nothing changed here' : 'this layer changes no files';
	const hasFocus = (part: TreeFocus) => focused && current.focus === part;
	const heading = (part: TreeFocus, text: string, columns: number) => (
		<Text wrap="truncate" {...(hasFocus(part) ? theme.style.accent : theme.style.dim)}>
			{ellipsis(`${current.focus === part ? '▸ ' : '  '}${text}`, columns)}
		</Text>
	);

	const list = <LayerList layers={layers} selected={view.layer} top={view.listTop} width={layout.listWidth} height={layout.listHeight} focused={hasFocus('layers')} />;
	const tree = (
		<Box flexDirection="column" width={layout.treeWidth}>
			{heading('tree', treeTitle, layout.treeWidth)}
			<FileTreeView
				rows={view.rows}
				cursor={view.cursor}
				top={view.treeTop}
				width={layout.treeWidth}
				height={layout.treeHeight}
				focused={hasFocus('tree')}
				dimUnmarked={!current.wholeImage}
				emptyText={emptyText}
			/>
		</Box>
	);

	return (
		<Box width={width} height={height} flexDirection="column">
			<Text wrap="truncate" {...theme.style.header}>
				{ellipsis(`Layers of ${imageRef} · layer ${view.layer}/${layers.length - 1}`, width)}
			</Text>
			{layout.kind === 'wide' ? (
				<Box flexDirection="row">
					<Box flexDirection="column" width={layout.listWidth} marginRight={1}>
						{heading('layers', 'Layers', layout.listWidth)}
						{list}
						{layout.detailHeight > 0 && <LayerDetails layer={layers[view.layer]} width={layout.listWidth} height={layout.detailHeight} />}
					</Box>
					{tree}
				</Box>
			) : (
				<Box flexDirection="column">
					{list}
					{tree}
				</Box>
			)}
			<EfficiencyFooter report={source.report} width={width} height={layout.footerHeight} />
			{current.notice || current.editingFilter ? (
				<Text wrap="truncate" {...(current.notice ? theme.style.warning : theme.style.dim)}>
					{ellipsis(current.notice || 'type to filter by path · ⏎ keep · esc clear · ↑↓ move', width)}
				</Text>
			) : (
				<KeyHintLine
					hints={[
						['layers.switchFocus', 'list/tree', true],
						['layers.toggleDirectory', 'open', true],
						['layers.toggleWholeImage', current.wholeImage ? 'layer changes' : 'whole image', true],
						['layers.toggleOnlyChanged', 'unchanged'],
						['layers.toggleSort', 'sort'],
						['global.filter', 'filter', true],
						['layers.collapseAll', 'close all'],
						['layers.expandAll', 'open all'],
						['global.back', 'back'],
					]}
					width={width}
				/>
			)}
		</Box>
	);
}
