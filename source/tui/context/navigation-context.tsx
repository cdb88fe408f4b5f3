import {createContext, useContext} from 'react';
import type {PaneId} from '../panes/pane-registry.js';

export type Navigation = {
	/** Shows `pane`, remembering where Esc goes back to. */
	focusPane(pane: PaneId): void;
	/** Opens the history timeline of an image (a reference or an ID). */
	openHistory(imageRef: string): void;
	/** Opens the layer tree of an image, optionally at a layer (0 = the bottom layer). */
	openLayers(imageRef: string, initialLayer?: number): void;
	/** Back to the pane before (the Images pane when there is none). */
	back(): void;
	/** The Images pane tells which image is under its cursor: `3`/`4` open that image's history/layers. */
	setCurrentImage(imageRef: string | undefined): void;
};

const noNavigation: Navigation = {focusPane: () => {}, openHistory: () => {}, openLayers: () => {}, back: () => {}, setCurrentImage: () => {}};

export const NavigationContext = createContext<Navigation>(noNavigation);

/** How panes move the frame: open another pane for an image, go back. */
export function useNavigation(): Navigation {
	return useContext(NavigationContext);
}
