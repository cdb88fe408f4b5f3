import {randomBytes, randomInt} from 'node:crypto';
import {StrataError} from '../errors.js';

// A few of Docker's namesgenerator words: enough for variety, short enough to read.
const adjectives = ['admiring', 'brave', 'clever', 'dazzling', 'eager', 'focused', 'gallant', 'happy', 'jolly', 'keen', 'lucid', 'modest', 'nifty', 'optimistic', 'quirky', 'relaxed', 'serene', 'tender', 'upbeat', 'vibrant', 'wizardly', 'zealous'];
const surnames = ['babbage', 'curie', 'darwin', 'euler', 'franklin', 'goodall', 'hopper', 'johnson', 'knuth', 'lovelace', 'meitner', 'noether', 'pasteur', 'ritchie', 'shannon', 'thompson', 'turing', 'wozniak', 'yalow', 'zhukovsky'];

/** A new container ID: 64 random hex characters, never all digits (Docker avoids IDs that read as numbers). */
export function newContainerId(): string {
	for (;;) {
		const id = randomBytes(32).toString('hex');
		if (!/^\d+$/.test(id.slice(0, 12))) return id;
	}
}

/** `strata_<adjective>_<surname>`, as the record describes; the caller retries on a collision. */
export function generateName(): string {
	return `strata_${adjectives[randomInt(adjectives.length)]}_${surnames[randomInt(surnames.length)]}`;
}

const validName = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Docker's rule for `--name`; returns the name without a leading `/`. */
export function validateName(name: string): string {
	if (!validName.test(name)) throw new StrataError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
	return name.replace(/^\//, '');
}

export function nameConflict(name: string, id: string): StrataError {
	return new StrataError(`Conflict. The container name "/${name}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`);
}
