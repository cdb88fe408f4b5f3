import type {ContainerRecord} from '../containers/container-record.js';
import type {ProcessUser} from './container-user.js';

/** Docker's default capability set (moby oci/caps/defaults.go). */
const defaultCapabilities = [
	'CAP_CHOWN',
	'CAP_DAC_OVERRIDE',
	'CAP_FSETID',
	'CAP_FOWNER',
	'CAP_MKNOD',
	'CAP_NET_RAW',
	'CAP_SETGID',
	'CAP_SETUID',
	'CAP_SETFCAP',
	'CAP_SETPCAP',
	'CAP_NET_BIND_SERVICE',
	'CAP_SYS_CHROOT',
	'CAP_KILL',
	'CAP_AUDIT_WRITE',
];

/** Docker's default masked and read-only paths (moby oci/defaults.go). */
const maskedPaths = ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'];
const readonlyPaths = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** Docker's default device cgroup rules: nothing but mknod, then the usual character devices. */
const deviceRules = [
	{allow: false, access: 'rwm'},
	{allow: true, type: 'c', access: 'm'},
	{allow: true, type: 'b', access: 'm'},
	...[
		[1, 3],
		[1, 5],
		[1, 7],
		[1, 8],
		[1, 9],
		[5, 0],
		[5, 1],
		[5, 2],
		[10, 200],
	].map(([major, minor]) => ({allow: true, type: 'c', major, minor, access: 'rwm'})),
	{allow: true, type: 'c', major: 136, access: 'rwm'},
];

export type ProcessSpec = {
	args: string[];
	env: string[];
	cwd: string;
	user: ProcessUser;
	terminal: boolean;
};

/**
 * The OCI runtime config (config.json) for a container: its own pid, mount, uts and ipc namespaces
 * (plus network for `--network none`), hostname = the short ID, /proc /dev /sys mounted as Docker
 * mounts them, the init files bind-mounted from `initDir`, Docker's capabilities, masked paths and
 * device rules. Not applied: seccomp and AppArmor profiles (Docker's default seccomp profile is a
 * large allow-list; runc runs without one).
 */
export function buildRuntimeSpec(record: ContainerRecord, spec: ProcessSpec, initDir: string): Record<string, unknown> {
	const isRoot = spec.user.uid === 0;
	const namespaces = [{type: 'pid'}, {type: 'mount'}, {type: 'uts'}, {type: 'ipc'}];
	if (record.hostConfig.network === 'none') namespaces.push({type: 'network'});
	return {
		ociVersion: '1.0.2',
		process: {
			terminal: spec.terminal,
			user: {uid: spec.user.uid, gid: spec.user.gid, ...(spec.user.additionalGids.length > 0 ? {additionalGids: spec.user.additionalGids} : {})},
			args: spec.args,
			env: spec.env,
			cwd: spec.cwd,
			// Docker gives a non-root user the bounding set only: it can gain them through setuid binaries, not by default.
			capabilities: {
				bounding: defaultCapabilities,
				effective: isRoot ? defaultCapabilities : [],
				permitted: isRoot ? defaultCapabilities : [],
			},
			noNewPrivileges: false,
		},
		root: {path: 'rootfs', readonly: false},
		hostname: record.config.Hostname,
		mounts: [
			{destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
			{destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
			{destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']},
			{destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']},
			{destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev']},
			{destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']},
			{destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k']},
			...['hosts', 'hostname', 'resolv.conf'].map(name => ({destination: `/etc/${name}`, type: 'bind', source: `${initDir}/${name}`, options: ['rbind', 'rprivate']})),
		],
		linux: {
			namespaces,
			maskedPaths,
			readonlyPaths,
			resources: {devices: deviceRules},
			cgroupsPath: `/strata/${record.id}`,
		},
	};
}
