/**
 * `uploadFile`: one file to one key, verified and resumable. Simple PUT up to `sliceThreshold`, multipart above
 * it: Blob slices (never the whole file in memory) from an iterator drained by `concurrency` workers, each part's
 * CRC-64 from the `Hasher` compared with the server's, the whole object's CRC-64 combined from the parts and
 * compared with Complete's. See `UploadHandle` for pause / abort / signal semantics.
 */
import type { CosClient } from '../client.ts';
import { crc64Combine } from '../checksum/crc64.ts';
import { CosClientError, invalidArgument, isCosClientError, isCosServiceError } from '../errors.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, type ObjectHeaderOptions } from '../ops/headers.ts';
import { assertBucket, assertKey, assertKnownKeys, assertRegion, MAX_PART_SIZE, MAX_PUT_SIZE, MIN_PART_SIZE } from '../validate.ts';
import { defaultHasher } from './hasher.ts';
import { drain } from './pool.ts';
import { ProgressMeter } from './progress.ts';
import { TransferTask } from './task.ts';
import type { Hasher, HashResult, PartLimiter, ResumePart, ResumeStore, TransferProgressEvent, UploadRecord } from './types.ts';
import { uploadFingerprint } from './fingerprint.ts';
import { adoptFromServer, effectivePartSize, planParts, resumeFromRecord, sameEtag, type PartPlan, type ReuseCandidate } from './upload-plan.ts';

const MiB = 1024 * 1024;

/**
 * States of an upload, in the order they usually happen: `preparing` (fingerprint, resume lookup, create),
 * `hashing` (only when Content-MD5 must be known before a simple PUT; parts are hashed as they go),
 * `uploading`, `paused`, `completing` (multipart Complete and the whole-object CRC check), then one of
 * `done` / `failed` / `aborted`.
 */
export type UploadState = 'preparing' | 'hashing' | 'uploading' | 'paused' | 'completing' | 'done' | 'failed' | 'aborted';

export interface UploadFileInput extends ObjectHeaderOptions {
  /** Bucket `name-appid`; default the client's. */
  bucket?: string;
  /** Region; default the client's. */
  region?: string;
  /** Object key. */
  key: string;
  /** The file (any Blob). It is read in slices, never whole. */
  file: Blob;
  /** Files up to this size go in one PUT; larger ones multipart. @default 20 MiB */
  sliceThreshold?: number;
  /** Part size in bytes, at least 1 MiB; grown (whole MiB) when the file would need more than 10,000 parts. @default 8 MiB */
  partSize?: number;
  /** Parts in flight at once. @default 5 */
  concurrency?: number;
  /** Send `Content-MD5` with every request (COS then refuses a corrupted body with BadDigest). @default false */
  contentMd5?: boolean;
  /** Compare CRC-64 of every part and of the whole object with the server's (`ChecksumMismatch`). @default true */
  verifyCrc64?: boolean;
  /**
   * Continue an earlier upload of the same file: `true` uses the resume store's record; `'server'` also adopts a
   * matching in-progress upload found on the server when there is no record. @default true when a resumeStore is set
   */
  resume?: boolean | 'server';
  /** Where the resume record lives. @default the client's `resumeStore` */
  resumeStore?: ResumeStore;
  /** Checksums of the parts. @default the client's `hasher`, else main-thread */
  hasher?: Hasher;
  /** A part budget shared with other transfers (each part holds a slot while it is sent). */
  limiter?: PartLimiter;
  /**
   * Stops the upload without cleanup, like closing the tab: with resume on, the multipart upload and its record
   * stay so a later `uploadFile` of the same file continues; with resume off, the multipart upload is aborted on
   * the server. `done` rejects with `signal.reason`. Use `handle.abort()` to cancel and clean up.
   */
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgressEvent) => void;
  onStateChange?: (state: UploadState) => void;
}

export interface UploadFileResult {
  bucket: string;
  region: string;
  key: string;
  /** ETag with quotes; a multipart ETag is opaque (`"…-N"`), not an MD5. */
  etag: string;
  /** CRC-64 of the whole object, as COS computed it (undefined only when the server sent none). */
  crc64: string | undefined;
  location: string;
  versionId: string | undefined;
  multipart: boolean;
  uploadId?: string;
  /** Requests that carried file bytes (parts, or 1 for a simple PUT), re-sends included. */
  partsSent: number;
  /** Parts kept from an earlier attempt (resume). */
  partsReused: number;
}

const DEFAULTS = Object.freeze({
  sliceThreshold: 20 * MiB,
  partSize: 8 * MiB,
  concurrency: 5,
  contentMd5: false,
  verifyCrc64: true,
});

const INPUT_KEYS = [
  ...OBJECT_HEADER_KEYS,
  'bucket', 'region', 'key', 'file', 'sliceThreshold', 'partSize', 'concurrency', 'contentMd5', 'verifyCrc64',
  'resume', 'resumeStore', 'hasher', 'limiter', 'signal', 'onProgress', 'onStateChange',
] as const;

/** @internal The shared upload option names (for `uploadFiles`). */
export const UPLOAD_INPUT_KEYS: readonly string[] = INPUT_KEYS;

interface Normalized {
  bucket: string;
  region: string;
  key: string;
  file: Blob;
  multipart: boolean;
  partSize: number;
  concurrency: number;
  contentMd5: boolean;
  verifyCrc64: boolean;
  resume: boolean | 'server';
  store: ResumeStore | undefined;
  hasher: Hasher;
  limiter: PartLimiter | undefined;
  headers: ObjectHeaderOptions;
}

function positiveInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${name} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
  return value;
}

/** Every input check, before any request (throws `InvalidArgument`). */
function normalize(client: CosClient, input: UploadFileInput): Normalized {
  if (typeof input !== 'object' || input === null) throw invalidArgument('uploadFile takes an options object');
  assertKnownKeys(input, INPUT_KEYS, 'uploadFile');
  const bucket = input.bucket ?? client.options.bucket;
  const region = input.region ?? client.options.region;
  assertBucket(bucket);
  assertRegion(region);
  assertKey(input.key);
  if (typeof Blob === 'undefined' || !(input.file instanceof Blob)) throw invalidArgument('file must be a Blob or File');
  const sliceThreshold = positiveInteger(input.sliceThreshold ?? DEFAULTS.sliceThreshold, 'sliceThreshold', 0, MAX_PUT_SIZE);
  const requested = positiveInteger(input.partSize ?? DEFAULTS.partSize, 'partSize', MIN_PART_SIZE, MAX_PART_SIZE);
  const concurrency = positiveInteger(input.concurrency ?? DEFAULTS.concurrency, 'concurrency', 1, 100);
  for (const name of ['contentMd5', 'verifyCrc64'] as const) {
    if (input[name] !== undefined && typeof input[name] !== 'boolean') throw invalidArgument(`${name} must be a boolean`);
  }
  const store = input.resumeStore ?? client.options.resumeStore;
  const resume = input.resume ?? store !== undefined;
  if (resume !== true && resume !== false && resume !== 'server') throw invalidArgument(`resume must be true, false or 'server'; got ${String(resume)}`);
  if (resume === true && !store) throw invalidArgument('resume: true needs a resumeStore (on the client or in this call)');
  const headers: ObjectHeaderOptions = {};
  for (const name of OBJECT_HEADER_KEYS) if (input[name] !== undefined) (headers as Record<string, unknown>)[name] = input[name];
  objectHeaders(headers); // validates meta, trafficLimit, expires
  const multipart = input.file.size > sliceThreshold;
  return {
    bucket,
    region,
    key: input.key,
    file: input.file,
    multipart,
    partSize: multipart ? effectivePartSize(input.file.size, requested) : requested,
    concurrency,
    contentMd5: input.contentMd5 ?? DEFAULTS.contentMd5,
    verifyCrc64: input.verifyCrc64 ?? DEFAULTS.verifyCrc64,
    resume,
    store: resume === false ? undefined : store,
    hasher: input.hasher ?? client.options.hasher ?? defaultHasher(),
    limiter: input.limiter,
    headers,
  };
}

function mismatch(what: string, local: string, server: string): CosClientError {
  return new CosClientError('ChecksumMismatch', `${what}: the server's CRC-64 ${server} differs from the local ${local}`);
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
          });
          const [result, hash] = await Promise.all([put, hashing]);
          if (this.o.verifyCrc64 && result.crc64 !== undefined && result.crc64 !== hash.crc64) {
            throw mismatch(`putObject ${this.o.key}`, hash.crc64, result.crc64);
          }
          return result;
        } catch (error) {
          // RetryInfo is not exposed by putObject; a SlowDown that exhausted the pipeline's retries still counts.
          throttled = isCosServiceError(error) && (error.status === 503 || error.status === 429);
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
    this.enter('uploading');
    await this.interruptible((signal) =>
      drain(
        plan.filter((p) => !this.finished.has(p.n)),
        o.concurrency,
        signal,
        (part, partSignal) => this.sendPart(part, candidates, partSignal),
      ),
    );
    await this.checkpoint();
    this.enter('completing');
    return this.complete(plan);
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
      const created = await this.client.createMultipartUpload({ ...o.headers, ...this.target(signal) });
      this.currentUploadId = created.uploadId;
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
    const snapshot: UploadRecord = { ...record, parts: [...this.finished.values()].sort((a, b) => a.n - b.n), updatedAt: Date.now() };
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
      out = { etag: head.etag, crc64: head.crc64, location: '', versionId: head.versionId };
    }
    if (this.record) await this.recordWrites.then(() => o.store!.delete(this.record!.fingerprint));
    this.record = undefined;
    if (o.verifyCrc64 && out.crc64 !== undefined && out.crc64 !== combined) {
      throw mismatch(`completeMultipartUpload ${o.key} (the object is stored with these bytes; upload it again)`, combined, out.crc64);
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

/** @internal Runs every input check of `uploadFile` without starting anything (batch calls validate up front). */
export function checkUploadInput(client: CosClient, input: UploadFileInput): void {
  normalize(client, input);
}

/**
 * Uploads one file (see `UploadFileInput`). Input errors throw `InvalidArgument` synchronously, before any
 * request; everything else rejects `handle.done`.
 */
export function uploadFile(client: CosClient, input: UploadFileInput): UploadHandle {
  const o = normalize(client, input);
  return new UploadHandle(client, o, { onProgress: input.onProgress, onStateChange: input.onStateChange }, input.signal);
}
