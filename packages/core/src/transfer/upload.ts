/**
 * `uploadFile`: one file to one key, verified and resumable. Simple PUT up to `sliceThreshold`, multipart above
 * it: Blob slices (never the whole file in memory) from an iterator drained by `concurrency` workers, each part's
 * CRC-64 from the `Hasher` compared with the server's, the whole object's CRC-64 combined from the parts and
 * compared with Complete's. See `UploadHandle` for pause / abort / signal semantics.
 */
import type { CosClient } from '../client.ts';
import { crc64Combine } from '../checksum/crc64.ts';
import { CosClientError, isCosClientError, isCosServiceError } from '../errors.ts';
import { drain } from './pool.ts';
import { ProgressMeter } from './progress.ts';
import { TransferTask } from './task.ts';
import type { HashResult, ResumePart, TransferProgressEvent, UploadRecord } from './types.ts';
import { normalize, type Normalized, type UploadFileInput, type UploadFileResult, type UploadState } from './upload-options.ts';
import { uploadFingerprint } from './fingerprint.ts';
import { adoptFromServer, planParts, resumeFromRecord, sameEtag, type PartPlan, type ReuseCandidate } from './upload-plan.ts';

export type { UploadFileInput, UploadFileResult, UploadState } from './upload-options.ts';
export { checkUploadInput, UPLOAD_INPUT_KEYS } from './upload-options.ts';

function mismatch(what: string, local: string, server: string): CosClientError {
  return new CosClientError('ChecksumMismatch', `${what}: the server's CRC-64 ${server} differs from the local ${local}`);
}

/** Same wording as uploadPart's: the header exists on COS, so its absence means CORS does not expose it. */
function crcHeaderMissing(action: string): CosClientError {
  return new CosClientError(
    'CorsHeaderMissing',
    `${action}: the response has no readable x-cos-hash-crc64ecma; add it to the bucket's CORS ExposeHeader, or pass verifyCrc64: false`,
  );
}

function isMismatch(error: unknown): boolean {
  return isCosClientError(error) && error.code === 'ChecksumMismatch';
}

/**
 * A running upload: `done`, `state`, `progress`, `pause()`, `resume()`, `abort()`; an `EventTarget` firing
 * `progress` and `statechange`.
 *
 * - `pause()` stops starting parts and cancels in-flight ones (they are re-sent on `resume()`); the multipart
 *   upload stays. Ignored while completing.
 * - `abort()` cancels in-flight requests, aborts the multipart upload on the server and deletes the resume record;
 *   `done` rejects with the reason.
 * - The input `signal` stops without cleanup when resume is on (see `UploadFileInput.signal`).
 */
export class UploadHandle extends TransferTask<UploadFileResult, UploadState> {
  private readonly meter: ProgressMeter;
  private currentUploadId: string | undefined;
  private record: UploadRecord | undefined;
  private recordWrites: Promise<void> = Promise.resolve();
  private readonly finished = new Map<number, ResumePart>();
  private readonly inFlight = new Map<number, number>();
  private finishedBytes = 0;
  private partsSent = 0;
  private partsReused = 0;
  /** Recorded parts not yet re-checked against the local bytes: kept in the record until they are. */
  private unchecked = new Map<number, ReuseCandidate>();

  /** @internal use `client.uploadFile()` */
  constructor(
    private readonly client: CosClient,
    private readonly o: Normalized,
    callbacks: { onProgress?: ((p: TransferProgressEvent) => void) | undefined; onStateChange?: ((s: UploadState) => void) | undefined },
    signal: AbortSignal | undefined,
  ) {
    super('preparing', ['preparing', 'hashing', 'uploading'], { done: 'done', failed: 'failed', aborted: 'aborted' }, callbacks, signal);
    this.meter = new ProgressMeter(o.file.size, (p) => this.emitProgress(p));
    this.start();
  }

  /** The multipart upload id, once created or resumed. */
  get uploadId(): string | undefined {
    return this.currentUploadId;
  }

  /** The latest progress (also between `progress` events). */
  get progress(): TransferProgressEvent {
    return this.meter.progress;
  }

  protected async run(): Promise<UploadFileResult> {
    await this.checkpoint();
    return this.o.multipart ? this.multipart() : this.simple();
  }

  protected async cleanup({ aborted, byHandle }: { aborted: boolean; byHandle: boolean }): Promise<void> {
    await this.recordWrites;
    const keep = !byHandle && (this.record !== undefined || this.o.resume === 'server');
    // Only a deliberate abort() or an upload nobody can resume is removed: a kept one is what resume needs.
    if (keep || this.currentUploadId === undefined) return;
    if (this.record) await this.o.store?.delete(this.record.fingerprint);
    try {
      await this.client.abortMultipartUpload({ bucket: this.o.bucket, region: this.o.region, key: this.o.key, uploadId: this.currentUploadId });
    } catch (error) {
      if (isCosServiceError(error) && error.code === 'NoSuchUpload') return;
      // A failed upload still rejects with its own cause; only abort() reports a failed cleanup.
      if (aborted && byHandle) throw error;
    }
  }

  private target(signal: AbortSignal): { bucket: string; region: string; key: string; signal: AbortSignal } {
    return { bucket: this.o.bucket, region: this.o.region, key: this.o.key, signal };
  }

  private reportProgress(): void {
    let loaded = this.finishedBytes;
    for (const bytes of this.inFlight.values()) loaded += bytes;
    this.meter.update(loaded);
  }

  // ---------------------------------------------------------------------------------------------- simple PUT

  private async simple(): Promise<UploadFileResult> {
    const { file } = this.o;
    const out = await this.interruptible(async (signal) => {
      this.enter(this.o.contentMd5 ? 'hashing' : 'uploading');
      // MD5 must precede the request; CRC-64 alone is computed while the body uploads.
      const hashing = this.o.hasher.hash(file, { md5: this.o.contentMd5, signal });
      hashing.catch(() => undefined);
      const md5 = this.o.contentMd5 ? (await hashing).md5 : undefined;
      this.enter('uploading');
      for (let attempt = 1; ; attempt++) {
        const release = await this.o.limiter?.acquire(signal);
        let throttled = false;
        try {
          this.partsSent++;
          const put = this.client.putObject({
            ...this.o.headers,
            ...this.target(signal),
            body: file,
            contentMd5: md5,
            verifyCrc64: false,
            onProgress: (p) => {
              this.inFlight.set(1, p.loaded);
              this.reportProgress();
            },
            onRetry: (info) => {
              if (info.throttled) throttled = true;
            },
          });
          const [result, hash] = await Promise.all([put, hashing]);
          if (this.o.verifyCrc64) {
            if (result.crc64 === undefined) throw crcHeaderMissing('PutObject');
            if (result.crc64 !== hash.crc64) throw mismatch(`putObject ${this.o.key}`, hash.crc64, result.crc64);
          }
          return result;
        } catch (error) {
          // A SlowDown that exhausted the pipeline's retries counts too.
          throttled ||= isCosServiceError(error) && (error.status === 503 || error.status === 429);
          // The corrupted body is stored and will be overwritten by the re-send.
          if (isMismatch(error) && attempt === 1) continue;
          throw error;
        } finally {
          this.inFlight.delete(1);
          release?.({ throttled });
        }
      }
    });
    this.finishedBytes = file.size;
    this.meter.finish();
    return { ...this.base(), etag: out.etag, crc64: out.crc64, location: out.location, versionId: out.versionId, multipart: false };
  }

  private base(): Pick<UploadFileResult, 'bucket' | 'region' | 'key' | 'partsSent' | 'partsReused'> {
    return { bucket: this.o.bucket, region: this.o.region, key: this.o.key, partsSent: this.partsSent, partsReused: this.partsReused };
  }

  // ----------------------------------------------------------------------------------------------- multipart

  private async multipart(): Promise<UploadFileResult> {
    const { o } = this;
    const plan = planParts(o.file.size, o.partSize);
    const candidates = await this.prepare();
    this.unchecked = candidates;
    this.enter('uploading');
    await this.interruptible((signal) =>
      drain(
        this.partsLeft(plan),
        o.concurrency,
        signal,
        (part, partSignal) => this.sendPart(part, candidates, partSignal),
      ),
    );
    await this.checkpoint();
    this.enter('completing');
    return this.complete(plan);
  }

  /** Parts not finished yet, pulled lazily by the workers (a resumed run skips what the paused one finished). */
  private *partsLeft(plan: PartPlan[]): Generator<PartPlan> {
    for (const part of plan) if (!this.finished.has(part.n)) yield part;
  }

  /** Finds or creates the multipart upload; returns the parts that may be kept. */
  private async prepare(): Promise<Map<number, ReuseCandidate>> {
    const { o } = this;
    const signal = this.stopper.signal;
    const target = { ...this.target(signal), size: o.file.size, partSize: o.partSize };
    const fingerprint = o.store ? await uploadFingerprint({ ...target, file: o.file }, o.hasher, signal) : undefined;
    let point = o.store && fingerprint ? await resumeFromRecord(this.client, o.store, fingerprint, target) : undefined;
    if (!point && o.resume === 'server') point = await adoptFromServer(this.client, target);
    signal.throwIfAborted();
    if (point) {
      this.currentUploadId = point.uploadId;
      this.record = point.record;
    } else {
      // Not cancelled by a stop: a sent Initiate may already have created the upload, and only its id lets cleanup
      // abort it (a cancelled one would leave an orphan nobody knows about). It is one short request.
      const { signal: _notCancelled, ...target } = this.target(signal);
      const created = await this.client.createMultipartUpload({ ...o.headers, ...target });
      this.currentUploadId = created.uploadId;
      signal.throwIfAborted();
    }
    if (o.store && fingerprint && !this.record) {
      const file = o.file as Partial<File> & { webkitRelativePath?: string };
      const now = Date.now();
      this.record = {
        kind: 'upload', fingerprint, bucket: o.bucket, region: o.region, key: o.key, uploadId: this.currentUploadId!,
        partSize: o.partSize, size: o.file.size, parts: [], createdAt: now, updatedAt: now,
        file: { name: file.name ?? '', size: o.file.size, type: o.file.type, lastModified: file.lastModified ?? 0, ...(file.webkitRelativePath ? { relativePath: file.webkitRelativePath } : {}) },
      };
      this.saveRecord();
    }
    return point?.candidates ?? new Map();
  }

  /** Queues a durable write of the record (writes stay in order; a failing store only loses resume). */
  private saveRecord(): void {
    const { record, o } = this;
    if (!record || !o.store) return;
    const parts = [...this.finished.values()];
    // A session that stops before re-checking a recorded part must not make the next one re-send it.
    for (const [n, c] of this.unchecked) if (c.crc64 !== undefined && !this.finished.has(n)) parts.push({ n, etag: c.etag, size: c.size, crc64: c.crc64 });
    const snapshot: UploadRecord = { ...record, parts: parts.sort((a, b) => a.n - b.n), updatedAt: Date.now() };
    this.recordWrites = this.recordWrites
      .then(() => o.store!.set(snapshot))
      .catch((error: unknown) => console.warn('coskit: could not write the resume record; this upload will not resume', error));
  }

  private markFinished(part: ResumePart, reused: boolean): void {
    this.finished.set(part.n, part);
    this.finishedBytes += part.size;
    this.inFlight.delete(part.n);
    if (reused) this.partsReused++;
    this.saveRecord();
    this.reportProgress();
  }

  private async sendPart(part: PartPlan, candidates: Map<number, ReuseCandidate>, signal: AbortSignal): Promise<void> {
    const { o } = this;
    const body = o.file.slice(part.start, part.end);
    const size = part.end - part.start;
    const candidate = candidates.get(part.n);
    // An adopted part is checked by its ETag, i.e. its MD5.
    const needMd5 = o.contentMd5 || (candidate !== undefined && candidate.crc64 === undefined);
    const hash: HashResult = await o.hasher.hash(body, { md5: needMd5, signal });
    if (candidate && candidate.size === size) {
      const same = candidate.crc64 !== undefined ? candidate.crc64 === hash.crc64 : hash.md5Hex !== undefined && sameEtag(candidate.etag, hash.md5Hex);
      candidates.delete(part.n);
      if (same) return this.markFinished({ n: part.n, etag: candidate.etag, size, crc64: hash.crc64 }, true);
    }
    for (let attempt = 1; ; attempt++) {
      const release = await o.limiter?.acquire(signal);
      let throttled = false;
      try {
        this.partsSent++;
        const out = await this.client.uploadPart({
          ...this.target(signal),
          uploadId: this.currentUploadId!,
          partNumber: part.n,
          body,
          contentMd5: o.contentMd5 ? hash.md5 : undefined,
          crc64: hash.crc64,
          verifyCrc64: o.verifyCrc64,
          trafficLimit: o.headers.trafficLimit,
          onRetry: (info) => {
            throttled ||= info.throttled;
          },
          onProgress: (p) => {
            this.inFlight.set(part.n, Math.max(this.inFlight.get(part.n) ?? 0, p.loaded));
            this.reportProgress();
          },
        });
        if (o.verifyCrc64 && out.crc64 !== undefined && out.crc64 !== hash.crc64) {
          throw mismatch(`uploadPart ${part.n} of ${o.key}`, hash.crc64, out.crc64);
        }
        return this.markFinished({ n: part.n, etag: out.etag, size, crc64: hash.crc64 }, false);
      } catch (error) {
        this.inFlight.delete(part.n);
        this.reportProgress();
        // One re-send for a part the server stored differently; a second mismatch means something persistent.
        if (isMismatch(error) && attempt === 1 && !signal.aborted) continue;
        throw error;
      } finally {
        release?.({ throttled });
      }
    }
  }

  private async complete(plan: PartPlan[]): Promise<UploadFileResult> {
    const { o } = this;
    const parts = plan.map((p) => this.finished.get(p.n)!);
    let combined = parts[0]!.crc64;
    for (const part of parts.slice(1)) combined = crc64Combine(combined, part.crc64, part.size);
    let out: { etag: string; crc64: string | undefined; location: string; versionId: string | undefined };
    try {
      out = await this.client.completeMultipartUpload({
        ...this.target(this.stopper.signal),
        uploadId: this.currentUploadId!,
        parts: parts.map((p) => ({ partNumber: p.n, etag: p.etag })),
      });
    } catch (error) {
      // A retried Complete whose first answer was lost finds the upload gone: the object tells whether it worked.
      if (!(isCosServiceError(error) && error.code === 'NoSuchUpload')) throw error;
      const head = await this.client.headObject(this.target(this.stopper.signal)).catch(() => undefined);
      if (!head || head.size !== o.file.size || head.crc64 !== combined) throw error;
      out = { etag: head.etag, crc64: head.crc64, location: this.client.endpointFor(this.target(this.stopper.signal)).url, versionId: head.versionId };
    }
    if (this.record) await this.recordWrites.then(() => o.store!.delete(this.record!.fingerprint));
    this.record = undefined;
    if (o.verifyCrc64 && out.crc64 === undefined) throw crcHeaderMissing('CompleteMultipartUpload');
    if (o.verifyCrc64 && out.crc64 !== combined) {
      throw mismatch(`completeMultipartUpload ${o.key} (the object is stored with these bytes; upload it again)`, combined, out.crc64 ?? '');
    }
    this.meter.finish();
    return {
      ...this.base(),
      etag: out.etag,
      crc64: out.crc64,
      location: out.location,
      versionId: out.versionId,
      multipart: true,
      uploadId: this.currentUploadId!,
    };
  }
}

/**
 * Uploads one file (see `UploadFileInput`). Input errors throw `InvalidArgument` synchronously, before any
 * request; everything else rejects `handle.done`.
 */
export function uploadFile(client: CosClient, input: UploadFileInput): UploadHandle {
  const o = normalize(client, input);
  return new UploadHandle(client, o, { onProgress: input.onProgress, onStateChange: input.onStateChange }, input.signal);
}
