/** Public types of `UploadQueue`: items, inputs, options and the event map. */
import type { CosClient, Hasher, ResumeStore, TransferProgressEvent, UploadFileInput, UploadFileResult } from '@coskit/core';

/** Where a queue item is in its life. `done`, `failed` and `canceled` are final until `retry()`. */
export type QueueItemState = 'queued' | 'hashing' | 'uploading' | 'paused' | 'done' | 'failed' | 'canceled';

/** Progress of the whole queue (canceled items excluded): the same shape as one transfer's. */
export type QueueProgress = TransferProgressEvent;

/** One file in the queue. The queue owns it; only `key` and `meta` may be changed, in a `before-upload` listener. */
export interface QueueItem {
  readonly id: string;
  readonly file: File;
  /** Object key; a `before-upload` listener may change it. */
  key: string;
  /** Path inside a picked/dropped folder (`a/b.txt`), or `''` for a single file. */
  readonly relativePath: string;
  /** `x-cos-meta-*` values; a `before-upload` listener may change them. */
  meta: Record<string, string>;
  readonly state: QueueItemState;
  readonly progress: TransferProgressEvent;
  /** Why it failed (`CosServiceError` / `CosClientError` usually), while `state` is `failed`. */
  readonly error: Error | undefined;
  /** What COS stored, once `done`. */
  readonly result: UploadFileResult | undefined;
  /** Continued an earlier, unfinished upload of the same file (parts already on the server were kept). */
  readonly resumed: boolean;
}

/** A file to add, with optional overrides. `handle` (Chromium) lets it continue after a reload without a picker. */
export interface QueueFileInput {
  file: File;
  key?: string;
  relativePath?: string;
  meta?: Record<string, string>;
  handle?: FileSystemFileHandle;
}

/** `uploadFile` options applied to every item (the queue sets key, file, meta merging, hasher, store, limiter). */
export type QueueUploadOptions = Omit<
  Partial<UploadFileInput>,
  'key' | 'file' | 'signal' | 'onProgress' | 'onStateChange' | 'limiter' | 'hasher' | 'resumeStore'
>;

/** Options of `UploadQueue`: only `client` is required. */
export interface UploadQueueOptions {
  /** The client every upload goes through (credentials, endpoint, retries). */
  client: CosClient;
  /** Files uploading at once. @default 3 */
  concurrency?: number;
  /** Parts in flight across all files; halved on throttling, regrown one by one. @default 6 */
  partBudget?: number;
  /** Checksums. @default a `WorkerHasher` the queue owns (disposed by `dispose()`) */
  hasher?: Hasher;
  /** Resume records; `false` turns resume across reloads off. @default an `IndexedDbResumeStore` */
  resumeStore?: ResumeStore | false;
  /** Start uploading as soon as files are added; else call `start()`. @default true */
  autoStart?: boolean;
  /** Key prefix for items without an explicit key (`/` added when missing; '' = bucket root). @default '' */
  prefix?: string;
  /** Names objects; wins over `prefix`. @default prefix + (relativePath or file name) */
  keyFor?: (file: File, relativePath: string) => string;
  uploadOptions?: QueueUploadOptions;
  /** Pause on the window's `offline` event and continue on `online`. @default true */
  pauseWhenOffline?: boolean;
}

/** Events of `UploadQueue`; each is a `CustomEvent`. */
export interface UploadQueueEventMap {
  'item-added': CustomEvent<{ item: QueueItem }>;
  /** Cancelable: `preventDefault()` cancels the item; listeners may change `item.key` / `item.meta`. */
  'before-upload': CustomEvent<{ item: QueueItem }>;
  'item-state': CustomEvent<{ item: QueueItem; previous: QueueItemState }>;
  /** Throttled; `item` is the item that moved (absent for queue-wide changes). */
  progress: CustomEvent<{ item?: QueueItem; total: QueueProgress }>;
  'item-success': CustomEvent<{ item: QueueItem; result: UploadFileResult }>;
  'item-error': CustomEvent<{ item: QueueItem; error: Error }>;
  'item-removed': CustomEvent<{ item: QueueItem }>;
  /** Nothing is queued, running or paused any more (every item is done, failed or canceled). */
  complete: CustomEvent<{ items: QueueItem[] }>;
}
