import type {Store} from '../store/store.js';
import {ContainerPaths} from './container-paths.js';
import {containerFilesystem} from './container-filesystem.js';
import {readContainer} from './container-store.js';

const zeroTime = '0001-01-01T00:00:00Z';

/** `docker container inspect`: Docker's JSON shape for one container (the fields strata has). */
export async function inspectContainer(store: Store, nameOrId: string) {
	const {record, state} = await readContainer(store, nameOrId);
	const paths = new ContainerPaths(store.paths);
	const filesystem = containerFilesystem(store, record);
	return {
		Id: record.id,
		Created: record.created,
		Path: record.path,
		Args: record.args,
		State: {
			Status: state.status,
			Running: state.status === 'running' || state.status === 'paused',
			Paused: state.status === 'paused',
			Restarting: state.status === 'restarting',
			OOMKilled: false,
			Dead: state.status === 'dead',
			Pid: state.status === 'running' ? (state.pid ?? 0) : 0,
			ExitCode: state.exitCode ?? 0,
			Error: state.error ?? '',
			StartedAt: state.startedAt ?? zeroTime,
			FinishedAt: state.finishedAt ?? zeroTime,
		},
		Image: record.image,
		ResolvConfPath: `${paths.init(record.id)}/resolv.conf`,
		HostnamePath: `${paths.init(record.id)}/hostname`,
		HostsPath: `${paths.init(record.id)}/hosts`,
		LogPath: paths.log(record.id),
		Name: `/${record.name}`,
		RestartCount: 0,
		Driver: record.driver,
		Platform: 'linux',
		MountLabel: '',
		ProcessLabel: '',
		AppArmorProfile: '',
		ExecIDs: null,
		HostConfig: {
			NetworkMode: record.hostConfig.network,
			AutoRemove: record.hostConfig.autoRemove,
			Runtime: record.hostConfig.runtime,
			RestartPolicy: {Name: 'no', MaximumRetryCount: 0},
			LogConfig: {Type: 'json-file', Config: {}},
		},
		GraphDriver: {
			Name: record.driver,
			Data:
				filesystem.driver === 'overlay'
					? {LowerDir: filesystem.lower, UpperDir: filesystem.upper, WorkDir: filesystem.work, MergedDir: filesystem.merged}
					: {LowerDir: filesystem.lower, Dir: filesystem.rootfs},
		},
		Mounts: [],
		Config: {
			Hostname: record.config.Hostname,
			Domainname: '',
			User: record.config.User,
			AttachStdin: record.config.OpenStdin,
			AttachStdout: true,
			AttachStderr: true,
			...(record.config.ExposedPorts ? {ExposedPorts: record.config.ExposedPorts} : {}),
			Tty: record.config.Tty,
			OpenStdin: record.config.OpenStdin,
			StdinOnce: record.config.OpenStdin,
			Env: record.config.Env,
			Cmd: record.config.Cmd,
			Image: record.imageName,
			Volumes: record.config.Volumes ?? null,
			WorkingDir: record.config.WorkingDir,
			Entrypoint: record.config.Entrypoint,
			OnBuild: null,
			Labels: record.config.Labels ?? {},
			...(record.config.StopSignal ? {StopSignal: record.config.StopSignal} : {}),
		},
		NetworkSettings: {
			Networks: {[record.hostConfig.network]: {NetworkID: '', EndpointID: '', Gateway: '', IPAddress: '', IPPrefixLen: 0, MacAddress: ''}},
		},
	};
}
