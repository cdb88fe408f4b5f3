import {StrataError} from '../errors.js';
import {TarFormatError} from './tar-header.js';

/** A problem with a layer's content, reported as `<label>: <what>` (label: the layer's file or digest). */
export function layerError(label: string, message: string): StrataError {
	return new StrataError(`${label}: ${message}`);
}

/** A name as it appears in messages: quoted, with control characters escaped so it stays one line. */
export function quote(name: string): string {
	return JSON.stringify(name);
}

/** Malformed-tar errors become user-facing errors naming the layer; anything else passes unchanged. */
export function asLayerError(label: string, error: unknown): unknown {
	return error instanceof TarFormatError ? layerError(label, error.message) : error;
}
