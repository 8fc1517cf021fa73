/**
 * Messages between the hash pool (main thread) and a hash worker. The part travels as a Blob: structured cloning
 * a Blob shares the underlying bytes by reference, so the main thread never reads or copies them.
 */

/** Main thread -> worker: hash this slice. */
export interface HashJobMessage {
  type: 'hash';
  id: number;
  blob: Blob;
  /** Also compute MD5 (for Content-MD5). */
  md5: boolean;
}

/** Main thread -> worker: stop job `id` (its result would be ignored anyway); the worker answers `canceled`. */
export interface CancelJobMessage {
  type: 'cancel';
  id: number;
}

/** Everything the pool sends to a hash worker. */
export type ToWorkerMessage = HashJobMessage | CancelJobMessage;

/** Worker -> main thread, once, as soon as the script has loaded: proves the worker actually started. */
export interface ReadyMessage {
  type: 'ready';
}

/** Worker -> main thread: the checksums of job `id` (`md5`/`md5Hex` only when asked). */
export interface HashDoneMessage {
  type: 'done';
  id: number;
  crc64: string;
  md5?: string;
  md5Hex?: string;
}

/** Reading or hashing failed inside the worker (e.g. the file changed on disk: `NotReadableError`). */
export interface HashFailedMessage {
  type: 'failed';
  id: number;
  /** The DOMException/Error `name`, kept so the pool can classify it. */
  name: string;
  message: string;
}

/** Worker -> main thread: job `id` stopped after a `cancel`; the worker is free again. */
export interface HashCanceledMessage {
  type: 'canceled';
  id: number;
}

/** Everything a hash worker sends to the pool. */
export type FromWorkerMessage = ReadyMessage | HashDoneMessage | HashFailedMessage | HashCanceledMessage;
