/**
 * The multipart upload family (Docs 7746, 7750, 8287, 7742, 7740): the building blocks the transfer engine drives,
 * usable on their own. Listing parts and uploads lives in multipart-list.ts.
 */
import type { CosClient } from '../client.ts';
import { md5Base64 } from '../checksum/index.ts';
import { CosClientError, invalidArgument } from '../errors.ts';
import type { RequestBody, RetryInfo, TransferProgress } from '../http/types.ts';
import { buildXml } from '../http/xml.ts';
import { assertBody, assertKey, assertNonNegativeInteger, assertPartNumber, assertTrafficLimit, assertUploadId } from '../validate.ts';
import { assertContentMd5, checkInput, hashBody, targetOf, text, type TargetOptions } from './common.ts';
import { SOURCE_CONDITION_KEYS, sourceConditionHeaders, sourceOf, type CopySource, type CopySourceConditions } from './copy.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, type ObjectHeaderOptions } from './headers.ts';

// ---------------------------------------------------------------------------------------------------------------
// Initiate

/**
 * Initiate Multipart Upload: the headers given here (type, metadata, ACL, class) become the final object's.
 * `trafficLimit` is accepted so one header object can serve every call of an upload, but it is not sent here
 * (Initiate has no body to throttle); pass it to `uploadPart`.
 */
export interface CreateMultipartUploadInput extends TargetOptions, ObjectHeaderOptions {
  key: string;
}

/** What `createMultipartUpload` answers: the `uploadId` every later call of the upload needs. */
export interface CreateMultipartUploadOutput {
  uploadId: string;
  key: string;
  bucket: string;
}

const CREATE_KEYS = ['key', ...OBJECT_HEADER_KEYS];

/** Starts a multipart upload (POST `?uploads`) and returns its `uploadId`. */
export async function createMultipartUpload(client: CosClient, input: CreateMultipartUploadInput): Promise<CreateMultipartUploadOutput> {
  checkInput(client, input, CREATE_KEYS, 'createMultipartUpload');
  assertKey(input.key);
  const headers = { ...objectHeaders(input), 'x-cos-traffic-limit': undefined };
  const { data } = await client.request({ action: 'InitiateMultipartUpload', method: 'POST', ...targetOf(input), key: input.key, query: { uploads: '' }, headers });
  const uploadId = text(data.UploadId);
  if (!uploadId) throw new CosClientError('MalformedResponse', 'InitiateMultipartUpload answered without an UploadId');
  return { uploadId, key: text(data.Key) || input.key, bucket: text(data.Bucket) };
}

// ---------------------------------------------------------------------------------------------------------------
// Upload Part

/** Input of `uploadPart`. */
export interface UploadPartInput extends TargetOptions {
  key: string;
  uploadId: string;
  /** 1..10000. */
  partNumber: number;
  body: RequestBody;
  /** `true`: compute and send `Content-MD5` (COS answers BadDigest on a mismatch); a string is sent as given. */
  contentMd5?: boolean | string;
  /** Bandwidth cap in bit/s (819200..838860800). */
  trafficLimit?: number;
  /** Compare the server's `x-cos-hash-crc64ecma` with the body's CRC-64 (`ChecksumMismatch` if they differ). @default true */
  verifyCrc64?: boolean;
  /**
   * The body's CRC-64 if you already have it (e.g. from a hash worker): it is not computed again. A promise of it
   * lets your own hasher run while the part uploads; if it rejects, the request is aborted with its reason.
   */
  crc64?: string | PromiseLike<string>;
  onProgress?: (progress: TransferProgress) => void;
  /** Called before each retry of this part (e.g. to notice throttling: `info.throttled`). */
  onRetry?: (info: RetryInfo) => void;
}

/** What `uploadPart` answers; keep it for `completeMultipartUpload`. */
export interface UploadPartOutput {
  /** With quotes, as COS sends it; pass it to `completeMultipartUpload`. */
  etag: string;
  /** The part's CRC-64 (the server's, else the local one); `undefined` only when neither is known. */
  crc64: string | undefined;
}

const UPLOAD_PART_KEYS = ['key', 'uploadId', 'partNumber', 'body', 'contentMd5', 'trafficLimit', 'verifyCrc64', 'crc64', 'onProgress', 'onRetry'];
function checkCrcString(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) {
    throw invalidArgument(`crc64 must be the unsigned decimal CRC-64 string; got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A header the browser could not read because the bucket's CORS rule does not expose it. */
function missingHeader(action: string, name: string, hint = ''): CosClientError {
  return new CosClientError(
    'CorsHeaderMissing',
    `${action} response has no readable ${name} header: add ${name} to the bucket's CORS ExposeHeader${hint}`,
  );
}

/**
 * Uploads one part (PUT `?partNumber&uploadId`). By default the part's CRC-64 is computed while it uploads and
 * compared with the server's `x-cos-hash-crc64ecma`.
 */
export async function uploadPart(client: CosClient, input: UploadPartInput): Promise<UploadPartOutput> {
  checkInput(client, input, UPLOAD_PART_KEYS, 'uploadPart');
  assertKey(input.key);
  assertUploadId(input.uploadId);
  assertPartNumber(input.partNumber);
  assertBody(input.body);
  assertTrafficLimit(input.trafficLimit);
  const { contentMd5 } = input;
  assertContentMd5(contentMd5);
  const given = input.crc64;
  // A value is checked now, before any request; a promise's value when it arrives.
  if (given !== undefined && typeof (given as Partial<PromiseLike<string>>).then !== 'function') checkCrcString(given);
  const knownCrc = given === undefined ? undefined : Promise.resolve(given).then(checkCrcString);
  knownCrc?.catch(() => undefined);
  const verify = input.verifyCrc64 ?? true;
  let md5 = typeof contentMd5 === 'string' ? contentMd5 : undefined;
  let local: Promise<string | undefined> = knownCrc ?? Promise.resolve(undefined);
  if (contentMd5 === true) {
    // Content-MD5 must be in the headers, so this one hash pass happens before the upload.
    const h = await hashBody(client, input.body, { md5: true, signal: input.signal });
    md5 = h.md5;
    local = knownCrc ?? Promise.resolve(h.crc64);
  } else if (verify && knownCrc === undefined) {
    // Hash while the bytes upload instead of before: the part costs max(hash, upload), not the sum.
    local = hashBody(client, input.body, { md5: false, signal: input.signal }).then((h) => h.crc64);
  }
  // A hash that fails (an unreadable file) stops the upload of the same bytes at once.
  const hashFailed = new AbortController();
  local.catch((reason: unknown) => hashFailed.abort(reason));
  const [response, ours] = await Promise.all([
    client.request({
      action: 'UploadPart',
      method: 'PUT',
      ...targetOf(input),
      signal: input.signal ? AbortSignal.any([input.signal, hashFailed.signal]) : hashFailed.signal,
      key: input.key,
      query: { partNumber: input.partNumber, uploadId: input.uploadId },
      headers: {
        'Content-MD5': md5,
        'x-cos-traffic-limit': input.trafficLimit === undefined ? undefined : String(input.trafficLimit),
      },
      body: input.body,
      responseType: 'none',
      onUploadProgress: input.onProgress,
      onRetry: input.onRetry,
    }),
    local,
  ]);
  const etag = response.headers.get('ETag');
  if (!etag) throw missingHeader('UploadPart', 'ETag');
  const theirs = response.headers.get('x-cos-hash-crc64ecma') ?? undefined;
  if (verify) {
    if (theirs === undefined) throw missingHeader('UploadPart', 'x-cos-hash-crc64ecma', ', or pass verifyCrc64: false');
    if (theirs !== ours) {
      throw new CosClientError(
        'ChecksumMismatch',
        `part ${input.partNumber} of ${JSON.stringify(input.key)}: the server stored CRC-64 ${theirs} but the body's is ${String(ours)}`,
      );
    }
  }
  return { etag, crc64: theirs ?? ours };
}

// ---------------------------------------------------------------------------------------------------------------
// Upload Part - Copy

/** Input of `uploadPartCopy`. */
export interface UploadPartCopyInput extends TargetOptions, CopySourceConditions {
  key: string;
  uploadId: string;
  partNumber: number;
  /** `{ bucket?, region?, key, versionId? }` (bucket/region default to the destination's) or the SDKs' string form. */
  source: string | CopySource;
  /** Inclusive byte range of the source; the whole source by default. */
  range?: { start: number; end: number };
}

/** What `uploadPartCopy` answers; its `etag` goes to `completeMultipartUpload`. */
export interface UploadPartCopyOutput {
  etag: string;
  crc64: string | undefined;
  lastModified: Date;
}

/** Copies (a range of) an existing object into one part (PUT `?partNumber&uploadId` with `x-cos-copy-source`). */
export async function uploadPartCopy(client: CosClient, input: UploadPartCopyInput): Promise<UploadPartCopyOutput> {
  checkInput(client, input, ['key', 'uploadId', 'partNumber', 'source', 'range', ...SOURCE_CONDITION_KEYS], 'uploadPartCopy');
  assertKey(input.key);
  assertUploadId(input.uploadId);
  assertPartNumber(input.partNumber);
  const source = sourceOf(client, input);
  let range: string | undefined;
  if (input.range !== undefined) {
    const { start, end } = input.range;
    assertNonNegativeInteger(start, 'range.start');
    assertNonNegativeInteger(end, 'range.end');
    if (start > end) throw invalidArgument(`range.start (${start}) must not be after range.end (${end}); both are inclusive`);
    range = `bytes=${start}-${end}`;
  }
  const response = await client.request({
    action: 'UploadPartCopy',
    method: 'PUT',
    ...targetOf(input),
    key: input.key,
    query: { partNumber: input.partNumber, uploadId: input.uploadId },
    headers: {
      'x-cos-copy-source': source,
      'x-cos-copy-source-range': range,
      ...sourceConditionHeaders(input),
    },
  });
  const { data } = response;
  return {
    etag: text(data.ETag),
    crc64: response.headers.get('x-cos-hash-crc64ecma') ?? (text(data.CRC64) || undefined),
    lastModified: new Date(text(data.LastModified)),
  };
}


// ---------------------------------------------------------------------------------------------------------------
// Complete / Abort

/** A part as `completeMultipartUpload` takes it. */
export interface CompletedPart {
  partNumber: number;
  /** As `uploadPart` returned it; quotes are added when missing. */
  etag: string;
}

/** Input of `completeMultipartUpload`. */
export interface CompleteMultipartUploadInput extends TargetOptions {
  key: string;
  uploadId: string;
  /** Every part of the object, in any order (they are sent sorted). Extra fields (size, crc64) are ignored. */
  parts: readonly CompletedPart[];
}

/** What `completeMultipartUpload` answers: the finished object. */
export interface CompleteMultipartUploadOutput {
  location: string;
  bucket: string;
  key: string;
  /** Opaque (`"<hex>-<parts>"`): verify integrity with `crc64`, not the ETag. */
  etag: string;
  /** The whole object's CRC-64 from `x-cos-hash-crc64ecma`. */
  crc64: string | undefined;
  versionId: string | undefined;
}

/**
 * Completes an upload (POST `?uploadId` with the part list). Real COS may stream whitespace before the XML and
 * may answer 200 with an `<Error>` body: the first is tolerated, the second rejects like any error.
 */
export async function completeMultipartUpload(client: CosClient, input: CompleteMultipartUploadInput): Promise<CompleteMultipartUploadOutput> {
  checkInput(client, input, ['key', 'uploadId', 'parts'], 'completeMultipartUpload');
  assertKey(input.key);
  assertUploadId(input.uploadId);
  if (!Array.isArray(input.parts) || input.parts.length === 0) throw invalidArgument('parts must be a non-empty array of { partNumber, etag }');
  const seen = new Set<number>();
  for (const part of input.parts) {
    if (typeof part !== 'object' || part === null) throw invalidArgument('each part must be { partNumber, etag }');
    assertPartNumber(part.partNumber);
    if (typeof part.etag !== 'string' || part.etag.replace(/"/g, '') === '') throw invalidArgument(`part ${part.partNumber} needs its etag`);
    if (seen.has(part.partNumber)) throw invalidArgument(`part ${part.partNumber} is listed twice`);
    seen.add(part.partNumber);
  }
  const sorted = [...input.parts].sort((a, b) => a.partNumber - b.partNumber);
  const body = buildXml('CompleteMultipartUpload', {
    Part: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag.startsWith('"') ? p.etag : `"${p.etag}"` })),
  });
  const response = await client.request({
    action: 'CompleteMultipartUpload',
    method: 'POST',
    ...targetOf(input),
    key: input.key,
    query: { uploadId: input.uploadId },
    headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5Base64(body) },
    body,
  });
  const { data, headers } = response;
  return {
    location: text(data.Location),
    bucket: text(data.Bucket),
    key: text(data.Key) || input.key,
    etag: text(data.ETag),
    crc64: headers.get('x-cos-hash-crc64ecma') ?? undefined,
    versionId: headers.get('x-cos-version-id') ?? undefined,
  };
}

/** Input of `abortMultipartUpload`. */
export interface AbortMultipartUploadInput extends TargetOptions {
  key: string;
  uploadId: string;
}

/** Aborts an upload and frees its parts (DELETE `?uploadId`). */
export async function abortMultipartUpload(client: CosClient, input: AbortMultipartUploadInput): Promise<void> {
  checkInput(client, input, ['key', 'uploadId'], 'abortMultipartUpload');
  assertKey(input.key);
  assertUploadId(input.uploadId);
  await client.request({
    action: 'AbortMultipartUpload',
    method: 'DELETE',
    ...targetOf(input),
    key: input.key,
    query: { uploadId: input.uploadId },
    responseType: 'none',
  });
}
