/**
 * `downloadFile`: HEAD first; one GET when small, else ranged GETs pinned to the ETag with `If-Match` (a changed
 * object is `ObjectChanged`, never a silently mixed file), written to a Blob or a stream; the CRC-64 of the
 * assembled bytes (combined from the ranges) is checked against the server's before the output is closed.
 */
import type { CosClient } from '../client.ts';
import { crc64Combine } from '../checksum/crc64.ts';
import { CosClientError, isCosServiceError } from '../errors.ts';
import { normalize, type DownloadFileInput, type DownloadFileResult, type DownloadState, type Normalized } from './download-options.ts';
import { downloadFingerprint } from './fingerprint.ts';
import { drain } from './pool.ts';
import { ProgressMeter } from './progress.ts';
import { createSink, SeekSink, type RangeSink } from './sink.ts';
import { TransferTask } from './task.ts';
import type { DownloadRecord, ResumeStore, TransferProgressEvent } from './types.ts';

export type { DownloadFileInput, DownloadFileResult, DownloadState } from './download-options.ts';
export { checkDownloadInput, DOWNLOAD_INPUT_KEYS } from './download-options.ts';
export type { DownloadOutput } from './sink.ts';

interface Range {
  i: number;
  start: number;
  end: number;
}

/** A running download: `done`, `state`, `progress`, `pause()`, `resume()`, `abort()`; fires `progress`/`statechange`. */
export class DownloadHandle extends TransferTask<DownloadFileResult, DownloadState> {
  private readonly meter: ProgressMeter;
  private sink: RangeSink | undefined;
  private record: DownloadRecord | undefined;
  private recordWrites: Promise<void> = Promise.resolve();
  private readonly crcs = new Map<number, string>();
  private readonly inFlight = new Map<number, number>();
  private finishedBytes = 0;

  /** @internal use `client.downloadFile()` */
  constructor(
    private readonly client: CosClient,
    private readonly o: Normalized,
    callbacks: { onProgress?: ((p: TransferProgressEvent) => void) | undefined; onStateChange?: ((s: DownloadState) => void) | undefined },
    signal: AbortSignal | undefined,
  ) {
    super('preparing', ['preparing', 'downloading'], { done: 'done', failed: 'failed', aborted: 'aborted' }, callbacks, signal);
    this.meter = new ProgressMeter(0, (p) => this.emitProgress(p));
    this.start();
  }

  /** The latest progress. */
  get progress(): TransferProgressEvent {
    return this.meter.progress;
  }

  protected async run(): Promise<DownloadFileResult> {
    const { o, client } = this;
    await this.checkpoint();
    const signal = this.stopper.signal;
    const head = await client.headObject({ bucket: o.bucket, region: o.region, key: o.key, versionId: o.versionId, ...o.conditions, signal });
    const size = head.size;
    this.meter.setTotal(size);
    const whole = size <= o.sliceThreshold;
    const partSize = whole ? Math.max(1, size) : o.partSize;
    const ranges: Range[] = [];
    for (let start = 0, i = 0; start < size || (i === 0 && size === 0); start += partSize, i++) ranges.push({ i, start, end: Math.min(size, start + partSize) });
    const sink = createSink(o.output, o.concurrency, 0);
    this.sink = sink;
    if (o.store) await this.loadRecord(o.store, head.etag, size, partSize, sink);
    this.enter('downloading');
    await this.interruptible((phase) =>
      drain(this.pending(ranges, phase), o.concurrency, phase, (range, rangeSignal) => this.fetchRange(range, whole, head.etag, rangeSignal)),
    );
    await this.checkpoint();
    this.enter('verifying');
    if (o.verifyCrc64 && head.crc64 !== undefined) {
      // CRC-64 of the empty string is 0, so folding from '0' gives the CRC of the concatenated ranges.
      let combined = '0';
      for (const range of ranges) combined = crc64Combine(combined, this.crcs.get(range.i)!, range.end - range.start);
      if (combined !== head.crc64) {
        throw new CosClientError('ChecksumMismatch', `downloadFile ${o.key}: the bytes' CRC-64 ${combined} differs from the server's ${head.crc64}`);
      }
    }
    const blob = await sink.close(head.contentType ?? '');
    this.sink = undefined;
    if (this.record) await this.recordWrites.then(() => o.store!.delete(this.record!.fingerprint));
    this.meter.finish();
    return { ...(blob ? { blob } : {}), size, etag: head.etag, crc64: head.crc64 };
  }

  protected async cleanup({ byHandle }: { aborted: boolean; byHandle: boolean }): Promise<void> {
    await this.recordWrites;
    const sink = this.sink;
    if (byHandle) {
      if (this.record) await this.o.store?.delete(this.record.fingerprint);
      await sink?.discard(this.stopper.signal.reason).catch(() => undefined);
    } else if (sink?.seekable && this.record) {
      await sink.keep();
    } else {
      await sink?.discard(this.stopper.signal.reason ?? new DOMException('The download failed.', 'AbortError')).catch(() => undefined);
    }
  }

  /** Ranges still to fetch, each yielded only when the sink has room for it. */
  private async *pending(ranges: Range[], signal: AbortSignal): AsyncGenerator<Range> {
    for (const range of ranges) {
      if (this.sink!.has(range.i)) continue;
      await this.sink!.room(range.i, signal);
      yield range;
    }
  }

  private async loadRecord(store: ResumeStore, etag: string, size: number, partSize: number, sink: RangeSink): Promise<void> {
    const { o } = this;
    const fingerprint = downloadFingerprint({ bucket: o.bucket, region: o.region, key: o.key, versionId: o.versionId, partSize });
    const found = await store.get(fingerprint);
    const now = Date.now();
    if (found?.kind === 'download' && found.etag === etag && found.size === size && found.partSize === partSize) {
      this.record = found;
      for (const { i, crc64 } of found.done) {
        (sink as SeekSink).markWritten(i);
        this.crcs.set(i, crc64);
        this.finishedBytes += Math.min(size, (i + 1) * partSize) - i * partSize;
      }
    } else {
      this.record = { kind: 'download', fingerprint, bucket: o.bucket, region: o.region, key: o.key, etag, size, partSize, done: [], createdAt: now, updatedAt: now };
    }
    this.saveRecord();
  }

  private saveRecord(): void {
    const { record, o } = this;
    if (!record || !o.store) return;
    const snapshot: DownloadRecord = { ...record, done: [...this.crcs.entries()].map(([i, crc64]) => ({ i, crc64 })), updatedAt: Date.now() };
    this.recordWrites = this.recordWrites
      .then(() => o.store!.set(snapshot))
      .catch((error: unknown) => console.warn('coskit: could not write the resume record; this download will not resume', error));
  }

  private report(): void {
    let loaded = this.finishedBytes;
    for (const bytes of this.inFlight.values()) loaded += bytes;
    this.meter.update(loaded);
  }

  private async fetchRange(range: Range, whole: boolean, etag: string, signal: AbortSignal): Promise<void> {
    const { o } = this;
    const expected = range.end - range.start;
    let body: Blob;
    try {
      const out = await this.client.getObject({
        bucket: o.bucket,
        region: o.region,
        key: o.key,
        ...o.overrides,
        // Pinned to the HEAD's ETag: a range of a newer object must not be mixed in.
        ifMatch: etag,
        ...(whole ? {} : { range: { start: range.start, end: range.end - 1 } }),
        as: 'blob',
        signal,
        onProgress: (p) => {
          this.inFlight.set(range.i, p.loaded);
          this.report();
        },
      });
      body = out.body;
      if (out.etag && out.etag !== etag) throw changed(o.key, undefined);
    } catch (error) {
      this.inFlight.delete(range.i);
      if (isCosServiceError(error) && error.code === 'PreconditionFailed') throw changed(o.key, error);
      throw error;
    }
    if (body.size !== expected) {
      this.inFlight.delete(range.i);
      throw new CosClientError('MalformedResponse', `downloadFile ${o.key}: range ${range.start}-${range.end - 1} came back with ${body.size} bytes, not ${expected}`);
    }
    // The CRC is needed to verify the whole and, in a record, to verify it after a resume.
    if (o.verifyCrc64 || this.record) this.crcs.set(range.i, (await o.hasher.hash(body, { signal })).crc64);
    await this.sink!.put(range.i, range.start, body);
    this.inFlight.delete(range.i);
    this.finishedBytes += expected;
    this.saveRecord();
    this.report();
  }
}

function changed(key: string, cause: unknown): CosClientError {
  return new CosClientError('ObjectChanged', `downloadFile ${key}: the object changed during the download (its ETag no longer matches)`, { cause });
}

/**
 * Downloads one object (see `DownloadFileInput`). Input errors throw `InvalidArgument` synchronously; everything
 * else rejects `handle.done`.
 */
export function downloadFile(client: CosClient, input: DownloadFileInput): DownloadHandle {
  const o = normalize(client, input);
  return new DownloadHandle(client, o, { onProgress: input.onProgress, onStateChange: input.onStateChange }, input.signal);
}
