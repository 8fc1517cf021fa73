/**
 * Where downloaded ranges go. Three sinks, one interface:
 * - `BlobSink` (no output given): keeps each range's Blob and joins them at the end.
 * - `SeekSink` (a `FileSystemWritableFileStream`): writes each range at its position as soon as it arrives, so
 *   ranges finished in an earlier session can be skipped.
 * - `OrderedSink` (any other `WritableStream`): writes ranges in order, holding early arrivals in a reorder buffer
 *   that never exceeds `window` ranges (the download's concurrency): producers wait for room before fetching.
 */
import { deferred, whenAborted, type Deferred } from './pool.ts';

/** What downloadFile writes to. */
export type DownloadOutput = WritableStream<Uint8Array> | FileSystemWritableFileStream;

/** @internal What the downloader writes finished ranges to. */
export interface RangeSink {
  /** True when ranges can be written out of order at their positions (resume across sessions). */
  readonly seekable: boolean;
  /** Waits until range `i` may be fetched without overflowing the reorder buffer. */
  room(i: number, signal: AbortSignal): Promise<void>;
  /** Hands over range `i` (bytes from `position`); resolves once written or stored. */
  put(i: number, position: number, data: Blob): Promise<void>;
  /** True if range `i` is written or buffered (survives a pause). */
  has(i: number): boolean;
  /** All ranges are in: flush and close. Returns the Blob for `BlobSink`. */
  close(type: string): Promise<Blob | undefined>;
  /** Keep what was written (seekable sinks commit their partial file, for resume). */
  keep(): Promise<void>;
  /** Discard: the output stream is aborted with `reason`. */
  discard(reason: unknown): Promise<void>;
}

/** True for outputs that accept positioned writes (`FileSystemWritableFileStream`). */
export function isSeekable(output: DownloadOutput): boolean {
  return typeof (output as { seek?: unknown }).seek === 'function';
}

/** @internal The sink for an output (`window`: most ranges held for reordering; `first`: first range to write). */
export function createSink(output: DownloadOutput | undefined, window: number, first: number): RangeSink {
  if (output === undefined) return new BlobSink();
  return isSeekable(output) ? new SeekSink(output) : new OrderedSink(output, window, first);
}

/** Writes a Blob to a writer chunk by chunk, so a whole range is never copied into one buffer. */
async function writeBlob(writer: WritableStreamDefaultWriter<unknown>, data: Blob, position?: number): Promise<void> {
  const reader = data.stream().getReader();
  let at = position;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    await writer.write(at === undefined ? value : { type: 'write', position: at, data: value });
    if (at !== undefined) at += value.byteLength;
  }
}

class BlobSink implements RangeSink {
  readonly seekable = false;
  private readonly parts = new Map<number, Blob>();
  async room(): Promise<void> {}
  async put(i: number, _position: number, data: Blob): Promise<void> {
    this.parts.set(i, data);
  }
  has(i: number): boolean {
    return this.parts.has(i);
  }
  async close(type: string): Promise<Blob> {
    const ordered = [...this.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, blob]) => blob);
    return new Blob(ordered, { type });
  }
  async keep(): Promise<void> {}
  async discard(): Promise<void> {
    this.parts.clear();
  }
}

class SeekSink implements RangeSink {
  readonly seekable = true;
  private readonly writer: WritableStreamDefaultWriter<unknown>;
  private readonly written = new Set<number>();
  constructor(output: DownloadOutput) {
    this.writer = (output as WritableStream<unknown>).getWriter();
  }
  async room(): Promise<void> {}
  async put(i: number, position: number, data: Blob): Promise<void> {
    await writeBlob(this.writer, data, position);
    this.written.add(i);
  }
  /** Ranges finished in an earlier session are already in the file. */
  markWritten(i: number): void {
    this.written.add(i);
  }
  has(i: number): boolean {
    return this.written.has(i);
  }
  async close(): Promise<undefined> {
    await this.writer.close();
    return undefined;
  }
  async keep(): Promise<void> {
    // A FileSystemWritableFileStream only commits on close; aborting it would throw the written ranges away.
    await this.writer.close();
  }
  async discard(reason: unknown): Promise<void> {
    await this.writer.abort(reason);
  }
}

class OrderedSink implements RangeSink {
  readonly seekable = false;
  private readonly writer: WritableStreamDefaultWriter<unknown>;
  private readonly pending = new Map<number, Blob>();
  private readonly written = new Set<number>();
  private writing: Promise<void> = Promise.resolve();
  private advanced: Deferred<void> = deferred();
  constructor(
    output: DownloadOutput,
    private readonly window: number,
    private next: number,
  ) {
    this.writer = (output as WritableStream<unknown>).getWriter();
  }
  async room(i: number, signal: AbortSignal): Promise<void> {
    while (i >= this.next + this.window) {
      await Promise.race([this.advanced.promise, whenAborted(signal)]);
      signal.throwIfAborted();
    }
  }
  put(i: number, _position: number, data: Blob): Promise<void> {
    this.pending.set(i, data);
    // Serialized: two ranges finishing together must not interleave their chunks.
    this.writing = this.writing.then(() => this.flush());
    return this.writing;
  }
  private async flush(): Promise<void> {
    for (let data = this.pending.get(this.next); data !== undefined; data = this.pending.get(this.next)) {
      await writeBlob(this.writer, data);
      this.pending.delete(this.next);
      this.written.add(this.next);
      this.next++;
      const advanced = this.advanced;
      this.advanced = deferred();
      advanced.resolve();
    }
  }
  has(i: number): boolean {
    return this.written.has(i) || this.pending.has(i);
  }
  async close(): Promise<undefined> {
    await this.writing;
    await this.writer.close();
    return undefined;
  }
  async keep(): Promise<void> {
    // A plain stream cannot be reopened at an offset: nothing to keep across sessions.
    await this.writer.abort(new DOMException('The download stopped.', 'AbortError')).catch(() => undefined);
  }
  async discard(reason: unknown): Promise<void> {
    await this.writer.abort(reason);
  }
}

export { SeekSink };
