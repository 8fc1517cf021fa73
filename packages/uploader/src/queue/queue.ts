/**
 * `UploadQueue`: many files through `client.uploadFile`, `concurrency` files at once and one adaptive part budget
 * shared by all of them, with per-item pause / resume / cancel / retry, pause while offline, and events.
 *
 * Each item is a small state machine driven by its upload handle's state; the queue only decides when a handle
 * starts (or resumes) and translates the handle's outcome into item states and events.
 */
import type { CosClient, UploadFileResult, UploadHandle, UploadRecord } from '@coskit/core';
import { QueueEvents } from './events.ts';
import { AdaptivePartLimiter } from './limiter.ts';
import { bad, itemState, normalizeQueueOptions, type NormalizedQueueOptions } from './options.ts';
import { doneProgress, idleProgress, totalProgress } from './progress.ts';
import { ResumeLinks } from './resume-links.ts';
import type { QueueFileInput, QueueItem, QueueItemState, QueueProgress, UploadQueueOptions } from './types.ts';

const FINAL: ReadonlySet<QueueItemState> = new Set(['done', 'failed', 'canceled']);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Entry {
  item: Mutable<QueueItem>;
  handle: UploadHandle | undefined;
  fileHandle: FileSystemFileHandle | undefined;
  /** Bumped whenever the handle is replaced or dropped, so late callbacks of an old handle are ignored. */
  run: number;
  /** Paused by the offline handler (continues on `online`), not by the user. */
  offlinePaused: boolean;
}

/** A multi-file upload queue (see the module comment); an `EventTarget` with the events of `UploadQueueEventMap`. */
export class UploadQueue extends QueueEvents {
  readonly client: CosClient;
  /** The shared part budget (observe its `change` events to see throttling). */
  readonly limiter: AdaptivePartLimiter;
  private readonly o: NormalizedQueueOptions;
  private readonly links: ResumeLinks;
  private readonly entries: Entry[] = [];
  private readonly idPrefix = Math.random().toString(36).slice(2, 8);
  private nextId = 1;
  private started: boolean;
  private offline = false;
  private settledSinceComplete = false;
  private readonly listening: boolean;

  constructor(options: UploadQueueOptions) {
    super();
    this.o = normalizeQueueOptions(options);
    this.client = this.o.client;
    this.limiter = new AdaptivePartLimiter({ max: this.o.partBudget });
    const { bucket, region } = this.o.uploadOptions;
    this.links = new ResumeLinks(this.client, this.o.store, { bucket, region });
    this.started = this.o.autoStart;
    this.listening = this.o.pauseWhenOffline && typeof globalThis.addEventListener === 'function';
    if (this.listening) {
      globalThis.addEventListener('offline', this.onOffline);
      globalThis.addEventListener('online', this.onOnline);
      this.offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    }
  }

  /** Every item, in the order added. */
  get items(): readonly QueueItem[] {
    return this.entries.map((e) => e.item);
  }

  /** The item with this id. */
  get(id: string): QueueItem | undefined {
    return this.find(id)?.item;
  }

  /** Bytes, percent, speed and time left over every item that is not canceled. */
  get progress(): QueueProgress {
    return totalProgress(this.items);
  }

  /** Adds files (validated first: one bad entry adds none); they start at once with `autoStart`. */
  add(files: Iterable<File | QueueFileInput>): QueueItem[] {
    const inputs = Array.from(files ?? [], (f) => (f instanceof File ? { file: f } : f));
    for (const input of inputs) {
      if (typeof input !== 'object' || input === null || !(input.file instanceof File)) throw bad('add() takes Files or { file: File, key?, relativePath?, meta?, handle? }');
      for (const name of ['key', 'relativePath'] as const) if (input[name] !== undefined && typeof input[name] !== 'string') throw bad(`add(): ${name} must be a string`);
    }
    const added = inputs.map((input) => {
      const relativePath = (input.relativePath ?? input.file.webkitRelativePath ?? '').replace(/^\/+/, '');
      const item: Mutable<QueueItem> = {
        id: `${this.idPrefix}-${this.nextId++}`,
        file: input.file,
        key: input.key ?? this.o.keyFor(input.file, relativePath),
        relativePath,
        meta: { ...input.meta },
        state: 'queued',
        progress: idleProgress(input.file.size),
        error: undefined,
        result: undefined,
        resumed: false,
      };
      this.entries.push({ item, handle: undefined, fileHandle: input.handle, run: 0, offlinePaused: false });
      return item;
    });
    for (const item of added) this.emit('item-added', { item });
    // A microtask later: `item-added` for every file comes first, and listeners added right after add() see the start.
    if (this.o.autoStart) queueMicrotask(() => this.start());
    return added;
  }

  /** Starts (or continues) uploading queued items. */
  start(): void {
    this.started = true;
    this.pump();
  }

  /** Pauses one item: a queued one will not start, a running one stops its requests (kept parts stay). */
  pause(id: string): void {
    const entry = this.find(id);
    if (!entry || FINAL.has(entry.item.state) || entry.item.state === 'paused') return;
    entry.offlinePaused = false;
    this.pauseEntry(entry);
  }

  /** Continues a paused item when a file slot is free. */
  resume(id: string): void {
    const entry = this.find(id);
    if (!entry || entry.item.state !== 'paused') return;
    entry.offlinePaused = false;
    this.setState(entry, 'queued');
    this.pump();
  }

  /** Pauses every item that is not finished. */
  pauseAll(): void {
    // Queued items first: pausing a running one frees a slot, which must not start one that is about to be paused.
    const waiting = this.entries.filter((e) => e.item.state === 'queued');
    for (const entry of [...waiting, ...this.entries]) this.pause(entry.item.id);
  }

  /** Resumes every paused item (they start as file slots allow). */
  resumeAll(): void {
    for (const entry of this.entries) this.resume(entry.item.id);
  }

  /**
   * Cancels one item and cleans up on the server: its multipart upload is aborted (no orphaned parts) and its
   * resume record deleted. Resolves once that is done; rejects only if the cleanup request failed.
   */
  async cancel(id: string): Promise<void> {
    const entry = this.find(id);
    if (!entry || entry.item.state === 'done' || entry.item.state === 'canceled') return;
    const { handle } = entry;
    const wasFailed = entry.item.state === 'failed';
    entry.handle = undefined;
    entry.run++;
    this.setState(entry, 'canceled');
    this.settled();
    try {
      if (handle && !wasFailed) await handle.abort(new DOMException('The upload was canceled.', 'AbortError'));
      else if (handle?.uploadId) await this.links.discard(entry.item.key, handle.uploadId);
    } finally {
      if (entry.fileHandle) await this.links.forgetHandle(entry.item.key, entry.item.file);
      this.pump();
    }
  }

  /** Cancels everything not finished. */
  async cancelAll(): Promise<void> {
    await Promise.all(this.entries.map((e) => this.cancel(e.item.id)));
  }

  /** Queues a failed or canceled item again; a failed multipart upload continues from its resume record. */
  retry(id: string): void {
    const entry = this.find(id);
    if (!entry || (entry.item.state !== 'failed' && entry.item.state !== 'canceled')) return;
    entry.handle = undefined;
    entry.run++;
    Object.assign(entry.item, { error: undefined, result: undefined, progress: idleProgress(entry.item.file.size) });
    this.setState(entry, 'queued');
    this.pump();
  }

  /** Removes an item, canceling it first when it is not finished. */
  async remove(id: string): Promise<void> {
    const entry = this.find(id);
    if (!entry) return;
    if (!FINAL.has(entry.item.state)) await this.cancel(id).catch(() => undefined);
    const at = this.entries.indexOf(entry);
    if (at >= 0) this.entries.splice(at, 1);
    this.emit('item-removed', { item: entry.item });
    this.emitProgress(undefined, true);
  }

  /** Removes finished items (`done` and `canceled`); failed ones stay for `retry()`. */
  clear(): void {
    for (const entry of [...this.entries]) {
      if (entry.item.state !== 'done' && entry.item.state !== 'canceled') continue;
      this.entries.splice(this.entries.indexOf(entry), 1);
      this.emit('item-removed', { item: entry.item });
    }
    this.emitProgress(undefined, true);
  }

  /** Unfinished uploads recorded in the resume store (e.g. to list after a reload); re-adding the file resumes it. */
  pending(): Promise<UploadRecord[]> {
    return this.links.pending();
  }

  /**
   * Continues a `pending()` upload from its stored file handle (Chromium), without a file picker. With
   * `request: true` (call it from a click) the browser may ask the user for read permission. Resolves with the new
   * item, or `undefined` when there is no usable handle or the file changed.
   */
  async resumeFromHandle(record: UploadRecord, options: { request?: boolean } = {}): Promise<QueueItem | undefined> {
    const found = await this.links.fileFor(record, options);
    return found && this.add([{ ...found, key: record.key, relativePath: record.file?.relativePath ?? '' }])[0];
  }

  /** Stops listening to `online`/`offline` and terminates the queue's own hash workers. Uploads are not canceled. */
  dispose(): void {
    if (this.listening) {
      globalThis.removeEventListener('offline', this.onOffline);
      globalThis.removeEventListener('online', this.onOnline);
    }
    if (this.o.ownsHasher) this.o.hasher.dispose?.();
  }

  // ------------------------------------------------------------------------------------------------- internals

  private find(id: string): Entry | undefined {
    return this.entries.find((e) => e.item.id === id);
  }

  private readonly onOffline = (): void => {
    this.offline = true;
    for (const entry of this.entries) {
      if (entry.item.state !== 'hashing' && entry.item.state !== 'uploading') continue;
      entry.offlinePaused = true;
      this.pauseEntry(entry);
    }
  };

  private readonly onOnline = (): void => {
    this.offline = false;
    for (const entry of this.entries) {
      if (!entry.offlinePaused || entry.item.state !== 'paused') continue;
      entry.offlinePaused = false;
      this.setState(entry, 'queued');
    }
    this.pump();
  };

  private pauseEntry(entry: Entry): void {
    // The engine ignores pause() while completing (Complete is one short request): the item then just finishes.
    entry.handle?.pause();
    if (!entry.handle || entry.handle.state === 'paused') this.setState(entry, 'paused');
    this.pump();
  }

  /** Starts or resumes queued items while file slots are free. */
  private pump(): void {
    if (this.started && !this.offline) {
      let active = this.entries.filter((e) => e.item.state === 'hashing' || e.item.state === 'uploading').length;
      for (const entry of this.entries) {
        if (active >= this.o.concurrency) break;
        if (entry.item.state === 'queued' && this.launch(entry)) active++;
      }
    }
    this.maybeComplete();
  }

  /** Starts (or resumes) one item; false when it did not become active. */
  private launch(entry: Entry): boolean {
    const { item } = entry;
    if (entry.handle) {
      entry.handle.resume();
      this.setState(entry, itemState(entry.handle.state) ?? 'uploading');
      return true;
    }
    const before = this.emit('before-upload', { item }, true);
    if (before.defaultPrevented) {
      this.setState(entry, 'canceled');
      this.settled();
      return false;
    }
    const run = ++entry.run;
    const meta = { ...this.o.uploadOptions.meta, ...item.meta };
    let handle: UploadHandle;
    try {
      handle = this.client.uploadFile({
        ...this.o.uploadOptions,
        ...(Object.keys(meta).length > 0 ? { meta } : {}),
        key: item.key,
        file: item.file,
        hasher: this.o.hasher,
        limiter: this.limiter,
        ...(this.o.store ? { resumeStore: this.o.store } : {}),
        onProgress: (progress) => {
          if (run !== entry.run) return;
          item.progress = progress;
          this.emitProgress(item);
        },
        onStateChange: (state) => {
          const next = itemState(state);
          if (run !== entry.run || !next || FINAL.has(item.state)) return;
          this.setState(entry, next);
          if (next === 'paused') this.pump();
        },
      });
    } catch (error) {
      // Bad input (a key COS refuses, bad meta): fails this item before any request.
      this.fail(entry, error);
      return false;
    }
    entry.handle = handle;
    this.setState(entry, itemState(handle.state) ?? 'hashing');
    // Only informs `item.resumed`: a store that cannot be read just leaves it false.
    this.noteResume(entry, run).catch(() => undefined);
    handle.done.then(
      (result) => run === entry.run && this.succeed(entry, result),
      (error: unknown) => run === entry.run && this.fail(entry, error),
    );
    return true;
  }

  private async noteResume(entry: Entry, run: number): Promise<void> {
    const { item } = entry;
    if (entry.fileHandle) await this.links.rememberHandle(item.key, item.file, entry.fileHandle);
    if ((await this.links.isRecorded(item.key, item.file)) && run === entry.run) item.resumed = true;
  }

  private succeed(entry: Entry, result: UploadFileResult): void {
    const { item } = entry;
    entry.handle = undefined;
    item.result = result;
    if (result.partsReused > 0) item.resumed = true;
    item.progress = doneProgress(item.file.size);
    this.emitProgress(item, true);
    this.setState(entry, 'done');
    this.emit('item-success', { item, result });
    if (entry.fileHandle) this.links.forgetHandle(item.key, item.file).catch(() => undefined);
    this.settled();
    this.pump();
  }

  private fail(entry: Entry, error: unknown): void {
    const { item } = entry;
    if (FINAL.has(item.state)) return;
    item.error = error instanceof Error ? error : new Error(String(error), { cause: error });
    this.setState(entry, 'failed');
    this.emit('item-error', { item, error: item.error });
    this.settled();
    this.pump();
  }

  private setState(entry: Entry, state: QueueItemState): void {
    const previous = entry.item.state;
    if (previous === state) return;
    entry.item.state = state;
    this.emit('item-state', { item: entry.item, previous });
  }

  private settled(): void {
    this.settledSinceComplete = true;
  }

  private maybeComplete(): void {
    if (!this.settledSinceComplete || this.entries.some((e) => !FINAL.has(e.item.state))) return;
    this.settledSinceComplete = false;
    this.emit('complete', { items: [...this.items] });
  }
}
