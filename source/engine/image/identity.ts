import {type Digest, sha256Digest} from '../digest.js';

/** ChainIDs per the OCI spec: ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(n)). */
export function chainIDs(diffIDs: Digest[]): Digest[] {
	const chain: Digest[] = [];
	for (const diffID of diffIDs) {
		const previous = chain.at(-1);
		chain.push(previous ? sha256Digest(`${previous} ${diffID}`) : diffID);
	}
	return chain;
}

/** The digest of an empty tar (1024 NUL bytes): Docker does not append such a layer. */
export const emptyLayerDiffID: Digest = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';
