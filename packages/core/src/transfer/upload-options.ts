/**
 * `uploadFile`'s options, result and states, and the one place they are checked and normalized (from frozen
 * defaults with `??`; unknown keys are an error), before any request.
 */
import type { CosClient } from '../client.ts';
import { invalidArgument } from '../errors.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, type ObjectHeaderOptions } from '../ops/headers.ts';
import { assertBucket, assertKey, assertKnownKeys, assertRegion, MAX_PART_SIZE, MAX_PUT_SIZE, MIN_PART_SIZE } from '../validate.ts';
import { defaultHasher } from './hasher.ts';
import type { Hasher, PartLimiter, ResumeStore, TransferProgressEvent } from './types.ts';
import { effectivePartSize } from './upload-plan.ts';

const MiB = 1024 * 1024;

/**
 * States of an upload, in the order they usually happen: `preparing` (fingerprint, resume lookup, create),
 * `hashing` (only when Content-MD5 must be known before a simple PUT; parts are hashed as they go),
 * `uploading`, `paused`, `completing` (multipart Complete and the whole-object CRC check), then one of
 * `done` / `failed` / `aborted`.
 */
export type UploadState = 'preparing' | 'hashing' | 'uploading' | 'paused' | 'completing' | 'done' | 'failed' | 'aborted';

/** Input of `uploadFile`; every PUT Object header option (`ObjectHeaderOptions`) passes through to the object. */
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

/** What `uploadFile`'s `done` resolves with. */
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

/** @internal Checked, defaulted options. */
export interface Normalized {
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
export function normalize(client: CosClient, input: UploadFileInput): Normalized {
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

/** @internal Runs every input check of `uploadFile` without starting anything (batch calls validate up front). */
export function checkUploadInput(client: CosClient, input: UploadFileInput): void {
  normalize(client, input);
}
