/**
 * `WorkerHasher`: a small, lazily started pool of hash workers implementing core's `Hasher`. Falls back to hashing
 * in the page (in slices that yield, so no task blocks input for long) where workers are unavailable or fail to
 * start, e.g. a strict `worker-src` CSP.
 */
import { CosClientError, type Hasher, type HashOptions, type HashResult } from '@coskit/core';
import { digestBlob } from './digest.ts';
import type { FromWorkerMessage, ToWorkerMessage } from './protocol.ts';

/** Options of `WorkerHasher`; all optional. */
export interface WorkerHasherOptions {
  /** Most workers to run. @default min(4, navigator.hardwareConcurrency - 1), at least 1 */
  size?: number;
  /**
   * Starts one worker. The script-tag build passes a Blob-URL worker (see `workerFromSource`); bundlers use the
   * default. @default the factory set with `setDefaultWorkerFactory`, else `new Worker(new URL('./hash.worker.ts',
   * import.meta.url), { type: 'module' })`
   */
  createWorker?: () => Worker;
  /** Hash in the page when workers cannot start; `false` fails with `UnsupportedEnvironment` instead. @default true */
  fallback?: boolean;
  /** In-page hashing yields to the event loop after this many ms of work. @default 8 */
  sliceMs?: number;
}

/** Where hashing runs: not decided yet (no job so far), in workers, or in the page. */
export type HasherMode = 'pending' | 'worker' | 'main-thread';

const OPTION_KEYS = ['size', 'createWorker', 'fallback', 'sliceMs'] as const;
const DEFAULTS = Object.freeze({ maxSize: 4, fallback: true, sliceMs: 8 });

let defaultFactory: (() => Worker) | undefined;

/**
 * Sets the worker factory every `WorkerHasher` without its own `createWorker` uses. The script-tag build calls it
 * once with a Blob-URL factory, so hashers created by `UploadQueue` or `<cos-uploader>` find their worker too.
 */
export function setDefaultWorkerFactory(factory: (() => Worker) | undefined): void {
  defaultFactory = factory;
}

/**
 * A worker factory from the bundled source of `hash.worker.ts` (a classic script). A Blob URL has the page's
 * origin, so this works when the script itself is served from a CDN (a cross-origin worker URL would be refused).
 * CSP: needs `worker-src blob:`.
 */
export function workerFromSource(source: string): () => Worker {
  let url: string | undefined;
  return () => {
    url ??= URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    return new Worker(url, { name: 'coskit-hash' });
  };
}

function createDefaultWorker(): Worker {
  if (defaultFactory) return defaultFactory();
  // Kept literally in this form: Vite, webpack 5 and esbuild-based dev servers recognise it and emit the worker.
  return new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module', name: 'coskit-hash' });
}

function defaultSize(): number {
  const cores = typeof navigator === 'undefined' ? 2 : (navigator.hardwareConcurrency ?? 2);
  // Leave one core to the page (and the network stack).
  return Math.max(1, Math.min(DEFAULTS.maxSize, cores - 1));
}

interface Job {
  id: number;
  blob: Blob;
  md5: boolean;
  signal: AbortSignal | undefined;
  resolve(result: HashResult): void;
  reject(error: unknown): void;
  settled: boolean;
  detach(): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The job this worker is on; stays set after a cancel until the worker answers, so jobs never overlap. */
  job: Job | undefined;
}

/** Maps a failure the worker reported to a typed error. */
function failure(name: string, message: string): CosClientError {
  // NotReadableError / NotFoundError: the file changed or vanished on disk since it was picked.
  const code = name === 'NotReadableError' || name === 'NotFoundError' ? 'FileUnreadable' : 'UnsupportedEnvironment';
  return new CosClientError(code, `hashing failed: ${name}: ${message}`, { cause: { name, message } });
}

/** A pool of Web Workers computing CRC-64 (+ MD5) of Blob slices; implements core's `Hasher`. */
export class WorkerHasher implements Hasher {
  private readonly size: number;
  private readonly createWorker: () => Worker;
  private readonly fallback: boolean;
  private readonly sliceMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private current: HasherMode = 'pending';

  constructor(options: WorkerHasherOptions = {}) {
    assertKnownKeysLocal(options);
    if (options.size !== undefined && (!Number.isInteger(options.size) || options.size < 1)) {
      throw new CosClientError('InvalidArgument', `WorkerHasher size must be a positive integer; got ${String(options.size)}`);
    }
    if (options.createWorker !== undefined && typeof options.createWorker !== 'function') {
      throw new CosClientError('InvalidArgument', 'WorkerHasher createWorker must be a function returning a Worker');
    }
    this.size = options.size ?? defaultSize();
    this.createWorker = options.createWorker ?? createDefaultWorker;
    this.fallback = options.fallback ?? DEFAULTS.fallback;
    this.sliceMs = options.sliceMs ?? DEFAULTS.sliceMs;
  }

  /** Where hashing runs now. */
  get mode(): HasherMode {
    return this.current;
  }

  /** CRC-64 (and MD5 with `md5: true`) of `blob`; rejects with `signal.reason` when aborted. */
  hash(blob: Blob, options: HashOptions = {}): Promise<HashResult> {
    if (!(blob instanceof Blob)) return Promise.reject(new CosClientError('InvalidArgument', 'hash() needs a Blob'));
    for (const name of Object.keys(options)) {
      if (name !== 'md5' && name !== 'signal') return Promise.reject(new CosClientError('InvalidArgument', `hash: unknown option "${name}"`));
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const md5 = options.md5 ?? false;
    if (this.current === 'main-thread') return this.inPage(blob, md5, signal);
    return new Promise<HashResult>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        blob,
        md5,
        signal,
        settled: false,
        resolve: (r) => settle(() => resolve(r)),
        reject: (e) => settle(() => reject(e)),
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      const settle = (fn: () => void) => {
        if (job.settled) return;
        job.settled = true;
        job.detach();
        fn();
      };
      const onAbort = () => {
        const waitingAt = this.queue.indexOf(job);
        if (waitingAt >= 0) this.queue.splice(waitingAt, 1);
        const slot = this.slots.find((s) => s.job === job);
        if (slot) post(slot, { type: 'cancel', id: job.id });
        job.reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Terminates the workers; jobs not finished reject with an `AbortError`. The next `hash` starts workers again. */
  dispose(): void {
    const error = new DOMException('the hasher was disposed', 'AbortError');
    for (const slot of this.slots.splice(0)) {
      slot.worker.terminate();
      slot.job?.reject(error);
    }
    for (const job of this.queue.splice(0)) job.reject(error);
    if (this.current === 'worker') this.current = 'pending';
  }

  private inPage(blob: Blob, md5: boolean, signal: AbortSignal | undefined): Promise<HashResult> {
    if (!this.fallback) {
      return Promise.reject(new CosClientError('UnsupportedEnvironment', 'hash workers could not start and `fallback` is off'));
    }
    return digestBlob(blob, { md5, signal, sliceMs: this.sliceMs }).catch((error: unknown) => {
      if (signal?.aborted) throw signal.reason;
      const e = error as { name?: unknown; message?: unknown };
      throw failure(String(e?.name ?? 'Error'), String(e?.message ?? error));
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.current !== 'main-thread') {
      let slot = this.slots.find((s) => s.job === undefined);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      post(slot, { type: 'hash', id: job.id, blob: job.blob, md5: job.md5 });
    }
  }

  private spawn(): Slot | undefined {
    let worker: Worker;
    try {
      if (typeof Worker === 'undefined') throw new Error('Worker is not available');
      worker = this.createWorker();
    } catch (error) {
      this.degrade(error);
      return undefined;
    }
    const slot: Slot = { worker, ready: false, job: undefined };
    worker.addEventListener('message', (event: MessageEvent<FromWorkerMessage>) => this.onMessage(slot, event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.onError(slot, event);
    });
    worker.addEventListener('messageerror', () => {
      const job = slot.job;
      slot.job = undefined;
      job?.reject(new CosClientError('UnsupportedEnvironment', 'the hash worker sent a message that could not be read'));
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.current = 'worker';
      return;
    }
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    slot.job = undefined;
    if (message.type === 'done') {
      const result: HashResult = { crc64: message.crc64 };
      if (message.md5 !== undefined) result.md5 = message.md5;
      if (message.md5Hex !== undefined) result.md5Hex = message.md5Hex;
      job.resolve(result);
    } else if (message.type === 'failed') {
      job.reject(failure(message.name, message.message));
    } else {
      // `canceled`: the job already rejected with the abort reason.
      job.reject(job.signal?.reason);
    }
    this.pump();
  }

  private onError(slot: Slot, event: ErrorEvent): void {
    const at = this.slots.indexOf(slot);
    // Already dropped (disposed, or every worker went when the pool degraded): a late event changes nothing.
    if (at < 0) return;
    slot.worker.terminate();
    this.slots.splice(at, 1);
    const job = slot.job;
    slot.job = undefined;
    if (!slot.ready) {
      // The script never ran (blocked by CSP, 404, a bundler that did not emit it): hash in the page from now on.
      if (job && !job.settled) this.queue.unshift(job);
      this.degrade(event.message || 'the worker script did not load');
      return;
    }
    job?.reject(new CosClientError('UnsupportedEnvironment', `the hash worker crashed: ${event.message || 'unknown error'}`));
    this.pump();
  }

  /** Switches to in-page hashing for good and moves every waiting or started job there. */
  private degrade(why: unknown): void {
    this.current = 'main-thread';
    // Once per hasher: the usual cause is a Content-Security-Policy without `worker-src` for the worker's URL.
    if (this.fallback) console.warn('coskit: hash workers could not start; hashing on the main thread instead (check worker-src in your CSP):', why);
    const jobs = [...this.slots.map((s) => s.job), ...this.queue.splice(0)];
    for (const slot of this.slots.splice(0)) slot.worker.terminate();
    for (const job of jobs) {
      if (!job || job.settled) continue;
      this.inPage(job.blob, job.md5, job.signal).then(job.resolve, job.reject);
    }
  }
}

function post(slot: Slot, message: ToWorkerMessage): void {
  slot.worker.postMessage(message);
}

function assertKnownKeysLocal(options: object): void {
  for (const name of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(name)) throw new CosClientError('InvalidArgument', `WorkerHasher: unknown option "${name}"`);
  }
}
