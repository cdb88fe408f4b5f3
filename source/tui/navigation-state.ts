import type {PaneId} from './panes/pane-registry.js';

/** Which pane shows, what History and Layers show, and where Esc goes back to. */
export type NavigationState = {
	active: PaneId;
	/** Panes to go back to, most recent last. */
	trail: PaneId[];
	history?: string;
	layers?: {ref: string; initialLayer?: number; serial: number};
	/** Panes shown at least once: they stay mounted (hidden), so they keep their place. */
	visited: PaneId[];
};

export type NavigationAction =
	| {type: 'focus'; pane: PaneId; currentImage?: string}
	| {type: 'openHistory'; ref: string}
	| {type: 'openLayers'; ref: string; initialLayer?: number}
	| {type: 'back'};

export const initialNavigation: NavigationState = {active: 'images', trail: [], visited: ['images']};

function show(state: NavigationState, pane: PaneId, trail: PaneId[]): NavigationState {
	return {...state, active: pane, trail, visited: state.visited.includes(pane) ? state.visited : [...state.visited, pane]};
}

/**
 * Tab and the number keys jump (History and Layers then show the image under the Images cursor);
 * opening from a pane remembers it, so Esc returns there.
 */
export function navigationReducer(state: NavigationState, action: NavigationAction): NavigationState {
	switch (action.type) {
		case 'focus': {
			let next = state;
			if (action.pane === 'history' && action.currentImage && action.currentImage !== state.history) next = {...next, history: action.currentImage};
			if (action.pane === 'layers' && action.currentImage && action.currentImage !== state.layers?.ref) {
				next = {...next, layers: {ref: action.currentImage, serial: (state.layers?.serial ?? 0) + 1}};
			}
			if (action.pane === state.active) return next;
			return show(next, action.pane, []);
		}
		case 'openHistory':
			return show({...state, history: action.ref}, 'history', [...state.trail, state.active]);
		case 'openLayers':
			return show({...state, layers: {ref: action.ref, initialLayer: action.initialLayer, serial: (state.layers?.serial ?? 0) + 1}}, 'layers', [...state.trail, state.active]);
		case 'back': {
			const trail = [...state.trail];
			const previous = trail.pop() ?? 'images';
			return previous === state.active ? state : show(state, previous, trail);
		}
	}
}
