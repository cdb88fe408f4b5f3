import type {ContainerState} from './container-record.js';
import {readStoredState} from './state-file.js';
import {isProcessOf} from './process-alive.js';
import type {StoreLocation} from './store-location.js';

/**
 * The state as it really is: state.json, checked against the processes it names. A container recorded
 * as running whose supervisor is gone (SIGKILLed, host rebooted) did not have its exit recorded; it is
 * reported `dead` with the reason, never as still up. Readers never write: the next command that acts
 * on the container (stop, rm, start) cleans up after the dead supervisor.
 */
export async function observedState(store: StoreLocation, id: string): Promise<ContainerState> {
	const stored = (await readStoredState(store, id)) ?? {status: 'created'};
	if (!supervisorShouldBeAlive(stored) || isProcessOf(stored.supervisorPid!, id)) return stored;
	// The supervisor may have exited normally between our read and the check: its final state is written by then.
	const again = (await readStoredState(store, id)) ?? stored;
	if (!supervisorShouldBeAlive(again)) return again;
	return {
		...again,
		status: 'dead',
		error: again.error ?? `its supervisor (pid ${again.supervisorPid}) died: the container's exit was not recorded`,
	};
}

function supervisorShouldBeAlive(state: ContainerState): boolean {
	return (state.status === 'running' || state.status === 'paused' || state.status === 'restarting') && state.supervisorPid !== undefined;
}
