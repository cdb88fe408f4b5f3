import type {ContainerState} from '../../../engine/containers/container-record.js';
import {humanDuration} from '../../format/units.js';

/**
 * Docker's STATUS column (container.State.String()): `Up 5 minutes`, `Exited (0) 2 seconds ago`,
 * `Created`, `Dead`. A container whose supervisor died says so: its real fate is unknown.
 */
export function statusText(state: ContainerState, now = Date.now()): string {
	switch (state.status) {
		case 'running':
			return `Up ${humanDuration(now - Date.parse(state.startedAt ?? new Date(now).toISOString()))}`;
		case 'paused':
			return `Up ${humanDuration(now - Date.parse(state.startedAt ?? new Date(now).toISOString()))} (Paused)`;
		case 'restarting':
			return `Restarting (${state.exitCode ?? 0}) ${humanDuration(now - Date.parse(state.finishedAt ?? new Date(now).toISOString()))} ago`;
		case 'exited':
			return state.finishedAt ? `Exited (${state.exitCode ?? 0}) ${humanDuration(now - Date.parse(state.finishedAt))} ago` : `Exited (${state.exitCode ?? 0})`;
		case 'dead':
			return state.supervisorPid !== undefined || state.error?.includes('supervisor') ? 'Dead (supervisor died, exit unknown)' : 'Dead';
		case 'removing':
			return 'Removal In Progress';
		default:
			return 'Created';
	}
}
