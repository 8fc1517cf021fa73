/** `UploadQueue` options: checked and normalized in one place, from frozen defaults. */
import { CosClientError, type CosClient, type Hasher, type ResumeStore, type UploadState } from '@coskit/core';
import { IndexedDbResumeStore } from '../resume/idb-store.ts';
import { WorkerHasher } from '../workers/pool.ts';
import type { QueueItemState, QueueUploadOptions, UploadQueueOptions } from './types.ts';

const DEFAULTS = Object.freeze({ concurrency: 3, partBudget: 6, autoStart: true, prefix: '', pauseWhenOffline: true });
const OPTION_KEYS: readonly string[] = ['client', 'concurrency', 'partBudget', 'hasher', 'resumeStore', 'autoStart', 'prefix', 'keyFor', 'uploadOptions', 'pauseWhenOffline'];
/** `uploadFile` options the queue sets itself, per item. */
const OWNED_UPLOAD_KEYS: readonly string[] = ['key', 'file', 'signal', 'onProgress', 'onStateChange', 'limiter', 'hasher', 'resumeStore'];

export interface NormalizedQueueOptions {
  readonly client: CosClient;
  readonly concurrency: number;
  readonly partBudget: number;
  readonly hasher: Hasher;
  /** The queue made the hasher, so it disposes it. */
  readonly ownsHasher: boolean;
  readonly store: ResumeStore | undefined;
  readonly autoStart: boolean;
  readonly keyFor: (file: File, relativePath: string) => string;
  readonly uploadOptions: QueueUploadOptions;
  readonly pauseWhenOffline: boolean;
}

/** `InvalidArgument` with the message. */
export const bad = (message: string): CosClientError => new CosClientError('InvalidArgument', message);

function positive(v: unknown, name: string): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) throw bad(`UploadQueue ${name} must be a positive integer; got ${String(v)}`);
}

/** The default object name: `prefix` + (relative path or file name), `/` between them when missing. */
function prefixed(prefix: string): (file: File, relativePath: string) => string {
  return (file, relativePath) => {
    const name = relativePath || file.name;
    if (prefix === '') return name;
    return prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`;
  };
}

export function normalizeQueueOptions(options: UploadQueueOptions): NormalizedQueueOptions {
  if (typeof options !== 'object' || options === null) throw bad('UploadQueue takes an options object');
  for (const name of Object.keys(options)) if (!OPTION_KEYS.includes(name)) throw bad(`UploadQueue: unknown option "${name}"`);
  if (typeof options.client?.uploadFile !== 'function') throw bad('UploadQueue needs `client`, a CosClient');
  positive(options.concurrency, 'concurrency');
  positive(options.partBudget, 'partBudget');
  if (options.keyFor !== undefined && typeof options.keyFor !== 'function') throw bad('UploadQueue keyFor must be a function');
  if (options.prefix !== undefined && typeof options.prefix !== 'string') throw bad('UploadQueue prefix must be a string');
  for (const name of Object.keys(options.uploadOptions ?? {})) {
    if (OWNED_UPLOAD_KEYS.includes(name)) throw bad(`UploadQueue uploadOptions.${name} is set by the queue (use the queue's own option or the item)`);
  }
  return Object.freeze({
    client: options.client,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    partBudget: options.partBudget ?? DEFAULTS.partBudget,
    hasher: options.hasher ?? new WorkerHasher(),
    ownsHasher: options.hasher === undefined,
    store: options.resumeStore === false ? undefined : (options.resumeStore ?? new IndexedDbResumeStore()),
    autoStart: options.autoStart ?? DEFAULTS.autoStart,
    keyFor: options.keyFor ?? prefixed(options.prefix ?? DEFAULTS.prefix),
    uploadOptions: Object.freeze({ ...options.uploadOptions }),
    pauseWhenOffline: options.pauseWhenOffline ?? DEFAULTS.pauseWhenOffline,
  });
}

/** Maps the engine's states onto the queue's fewer ones. */
export function itemState(state: UploadState): QueueItemState | undefined {
  if (state === 'preparing' || state === 'hashing') return 'hashing';
  if (state === 'uploading' || state === 'completing') return 'uploading';
  if (state === 'paused') return 'paused';
  return undefined; // done / failed / aborted arrive through `done`.
}
