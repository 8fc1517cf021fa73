/**
 * `downloadFile`'s options, result and states, and the one place they are checked and normalized.
 */
import type { CosClient } from '../client.ts';
import { invalidArgument } from '../errors.ts';
import type { ObjectConditions, ResponseOverrides } from '../ops/object.ts';
import { assertBucket, assertKey, assertKnownKeys, assertRegion, assertTrafficLimit } from '../validate.ts';
import { defaultHasher } from './hasher.ts';
import { isSeekable, type DownloadOutput } from './sink.ts';
import type { Hasher, ResumeStore, TransferProgressEvent } from './types.ts';

const MiB = 1024 * 1024;

/** States of a download. */
export type DownloadState = 'preparing' | 'downloading' | 'paused' | 'verifying' | 'done' | 'failed' | 'aborted';

/**
 * Input of `downloadFile`. Its conditions are checked once, by the first HEAD (304 -> NotModified, 412 ->
 * PreconditionFailed); every range is then pinned to that ETag.
 */
export interface DownloadFileInput extends ObjectConditions, ResponseOverrides {
  bucket?: string;
  region?: string;
  key: string;
  /**
   * Where the bytes go: a `WritableStream` (written in order) or a `FileSystemWritableFileStream` (written at
   * positions; resumable across sessions when reopened with `{ keepExistingData: true }`). The stream is closed
   * after the CRC-64 check and aborted on failure. @default collect into a Blob (`result.blob`)
   */
  output?: DownloadOutput;
  /** Objects up to this size come in one GET. @default 20 MiB */
  sliceThreshold?: number;
  /** Range size for larger objects. @default 20 MiB */
  partSize?: number;
  /** Ranges in flight (and, for a plain stream, the most ranges held for reordering). @default 5 */
  concurrency?: number;
  /** Check the assembled bytes' CRC-64 against the server's (`ChecksumMismatch`). @default true */
  verifyCrc64?: boolean;
  versionId?: string;
  /** Bandwidth cap per request in bit/s (819200..838860800). */
  trafficLimit?: number;
  /** Records finished ranges (only for a `FileSystemWritableFileStream` output). @default the client's */
  resumeStore?: ResumeStore;
  /** Use the record. @default true when a resumeStore is set */
  resume?: boolean;
  /** Checksums of the ranges. @default the client's `hasher`, else main-thread */
  hasher?: Hasher;
  /** Stops the download; a seekable output is closed with what was written, and the record stays for resume. */
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgressEvent) => void;
  onStateChange?: (state: DownloadState) => void;
}

/** What `downloadFile`'s `done` resolves with. */
export interface DownloadFileResult {
  /** The object's bytes when no `output` was given. */
  blob?: Blob;
  size: number;
  /** ETag with quotes. */
  etag: string;
  crc64: string | undefined;
}

const DEFAULTS = Object.freeze({ sliceThreshold: 20 * MiB, partSize: 20 * MiB, concurrency: 5, verifyCrc64: true });
const OVERRIDE_KEYS = [
  'responseContentType', 'responseContentLanguage', 'responseExpires', 'responseCacheControl',
  'responseContentDisposition', 'responseContentEncoding',
] as const;
const CONDITION_KEYS = ['ifMatch', 'ifNoneMatch', 'ifModifiedSince', 'ifUnmodifiedSince'] as const;
const INPUT_KEYS = [
  ...OVERRIDE_KEYS, ...CONDITION_KEYS,
  'bucket', 'region', 'key', 'output', 'sliceThreshold', 'partSize', 'concurrency', 'verifyCrc64', 'versionId',
  'trafficLimit', 'resumeStore', 'resume', 'hasher', 'signal', 'onProgress', 'onStateChange',
] as const;

/** @internal The shared download option names (for `downloadFolder`). */
export const DOWNLOAD_INPUT_KEYS: readonly string[] = INPUT_KEYS;

function integer(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw invalidArgument(`${name} must be an integer >= ${min}; got ${String(value)}`);
  return value;
}

/** @internal Every input check of `downloadFile`, before any request; defaults applied with `??`. */
export function normalize(client: CosClient, input: DownloadFileInput) {
  if (typeof input !== 'object' || input === null) throw invalidArgument('downloadFile takes an options object');
  assertKnownKeys(input, INPUT_KEYS, 'downloadFile');
  const bucket = input.bucket ?? client.options.bucket;
  const region = input.region ?? client.options.region;
  assertBucket(bucket);
  assertRegion(region);
  assertKey(input.key);
  assertTrafficLimit(input.trafficLimit);
  if (input.output !== undefined && (typeof input.output !== 'object' || typeof (input.output as WritableStream).getWriter !== 'function')) {
    throw invalidArgument('output must be a WritableStream or a FileSystemWritableFileStream');
  }
  if (input.verifyCrc64 !== undefined && typeof input.verifyCrc64 !== 'boolean') throw invalidArgument('verifyCrc64 must be a boolean');
  const store = input.resumeStore ?? client.options.resumeStore;
  const resume = input.resume ?? store !== undefined;
  if (typeof resume !== 'boolean') throw invalidArgument('resume must be a boolean');
  const overrides: Record<string, unknown> = {};
  for (const name of [...OVERRIDE_KEYS, 'versionId', 'trafficLimit'] as const) if (input[name] !== undefined) overrides[name] = input[name];
  const conditions: Record<string, unknown> = {};
  for (const name of CONDITION_KEYS) if (input[name] !== undefined) conditions[name] = input[name];
  return {
    bucket,
    region,
    key: input.key,
    output: input.output,
    sliceThreshold: integer(input.sliceThreshold ?? DEFAULTS.sliceThreshold, 'sliceThreshold', 0),
    partSize: integer(input.partSize ?? DEFAULTS.partSize, 'partSize', 1),
    concurrency: Math.min(100, integer(input.concurrency ?? DEFAULTS.concurrency, 'concurrency', 1)),
    verifyCrc64: input.verifyCrc64 ?? DEFAULTS.verifyCrc64,
    versionId: input.versionId,
    // Records only help an output that can be reopened at an offset.
    store: resume && input.output !== undefined && isSeekable(input.output) ? store : undefined,
    hasher: input.hasher ?? client.options.hasher ?? defaultHasher(),
    overrides,
    conditions,
  };
}

/** @internal */
export type Normalized = ReturnType<typeof normalize>;

/** @internal Runs every input check of `downloadFile` without starting anything (folder downloads check up front). */
export function checkDownloadInput(client: CosClient, input: DownloadFileInput): void {
  normalize(client, input);
}
