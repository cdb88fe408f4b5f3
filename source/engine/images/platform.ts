/** The image platform of this host, in OCI/Go names (`amd64`, `arm64`). */
export function platform(): {architecture: string; os: string} {
	const architecture = {x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x'}[process.arch as string] ?? process.arch;
	return {architecture, os: 'linux'};
}
