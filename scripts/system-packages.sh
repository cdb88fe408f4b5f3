#!/usr/bin/env bash
# Installs the Debian packages strata's tests and benchmarks use (only those missing): the OCI runtimes,
# Docker, a registry, skopeo, umoci, busybox-static, attr (getfattr, which diff and commit use to read
# overlay opaque marks), debootstrap, tmux, hyperfine, buildah (the build benchmark's peer). Used by .ci/run
# and by `npm test` (pretest), so that a fresh machine needs no other set-up step.
set -euo pipefail

created_policy_rc=false
cleanup() {
	if [[ $created_policy_rc == true ]]; then
		rm -f /usr/sbin/policy-rc.d
	fi
}
trap cleanup EXIT

# package:command that proves it is installed ("-" = check dpkg only)
PACKAGES=(
	runc:runc
	crun:crun
	docker.io:dockerd
	docker-registry:docker-registry
	skopeo:skopeo
	umoci:umoci
	busybox-static:-
	attr:getfattr
	debootstrap:debootstrap
	tmux:tmux
	hyperfine:hyperfine
	buildah:buildah
)

missing=()
for entry in "${PACKAGES[@]}"; do
	package=${entry%%:*}
	command=${entry#*:}
	if [[ $command != - ]] && ! command -v "$command" >/dev/null 2>&1; then
		missing+=("$package")
	elif ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$package")
	fi
done
if ((${#missing[@]} == 0)); then
	echo "all present: ${PACKAGES[*]%%:*}"
else
	echo "installing: ${missing[*]}"
	if [[ $(id -u) -ne 0 ]]; then
		echo "error: missing packages (${missing[*]}); install them as root: apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	# Don't let the packages start system services (docker, containerd, registry): the tests run their own.
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		created_policy_rc=true
	fi
	DEBIAN_FRONTEND=noninteractive apt-get update -q || echo "warning: apt-get update reported errors; trying the install anyway" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" </dev/null
	if [[ $created_policy_rc == true ]]; then
		rm -f /usr/sbin/policy-rc.d
		created_policy_rc=false
	fi
fi

