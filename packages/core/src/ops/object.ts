/**
 * Single-object transfers in one request: PUT, GET and HEAD Object (Docs 7749, 7753, 7745). Every function
 * validates its whole input before the first network call, so a typo or a bad key fails with `InvalidArgument` and
 * nothing is sent. Deletes live in delete.ts, PUT-Copy in copy.ts.
 */
import type { CosClient } from '../client.ts';
import { invalidArgument } from '../errors.ts';
import type { RequestBody, RetryInfo, TransferProgress } from '../http/types.ts';
import { assertBody, assertKey, assertKnownKeys, assertNonNegativeInteger, assertTrafficLimit, bodySize } from '../validate.ts';
import { assertContentMd5, checkInput, hashBody, httpDate, targetOf, uploadProgress, verifyCrc, type TargetOptions } from './common.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, readMeta, type ObjectHeaderOptions } from './headers.ts';

/**
 * Object facts from GET/HEAD response headers. In a browser, headers outside the CORS-safelisted set are readable
 * only when the bucket's CORS rule lists them in ExposeHeader: COS's usual list covers ETag, the CRC-64, the object
 * type, storage class and version id, but `x-cos-meta-*`, `Content-Disposition` and `Content-Encoding` must be
 * added by name, or `meta` is `{}` and those fields `undefined`.
 */
export interface ObjectMetadata {
  /** ETag as COS sends it, with quotes. */
  etag: string;
  /** Unsigned decimal CRC-64 of the whole object (`x-cos-hash-crc64ecma`). */
  crc64: string | undefined;
  lastModified: Date | undefined;
  contentType: string | undefined;
  cacheControl: string | undefined;
  contentDisposition: string | undefined;
  contentEncoding: string | undefined;
  contentLanguage: string | undefined;
  expires: string | undefined;
  /** `x-cos-meta-*` headers, names lower-cased and without the prefix. */
  meta: Record<string, string>;
  /** `normal` or `appendable`. */
  objectType: string;
  /** COS omits the header for STANDARD. */
  storageClass: string;
  versionId: string | undefined;
  requestId: string | undefined;
  headers: Headers;
}

/** Reads object facts from GET/HEAD response headers. */
export function readObjectMetadata(headers: Headers): ObjectMetadata {
  const header = (name: string): string | undefined => headers.get(name) ?? undefined;
  const modified = header('last-modified');
  return {
    etag: header('etag') ?? '',
    crc64: header('x-cos-hash-crc64ecma'),
    lastModified: modified === undefined ? undefined : new Date(modified),
    contentType: header('content-type'),
    cacheControl: header('cache-control'),
    contentDisposition: header('content-disposition'),
    contentEncoding: header('content-encoding'),
    contentLanguage: header('content-language'),
    expires: header('expires'),
    meta: readMeta(headers),
    objectType: header('x-cos-object-type') ?? 'normal',
    storageClass: header('x-cos-storage-class') ?? 'STANDARD',
    versionId: header('x-cos-version-id'),
    requestId: header('x-cos-request-id'),
    headers,
  };
}

// ---------------------------------------------------------------------------------------------------- putObject

/** Input of `putObject`. */
export interface PutObjectInput extends TargetOptions, ObjectHeaderOptions {
  key: string;
  body: RequestBody;
  /** Send `Content-MD5` so COS refuses a corrupted body (BadDigest): `true` computes it, a string is sent as is. @default false */
  contentMd5?: boolean | string;
  /** Compare the server's `x-cos-hash-crc64ecma` with the body's CRC-64 (`ChecksumMismatch` if they differ). @default true */
  verifyCrc64?: boolean;
  onProgress?: (progress: TransferProgress) => void;
  /** Called before each retry (e.g. to notice throttling: `info.throttled`). */
  onRetry?: (info: RetryInfo) => void;
}

/** What `putObject` answers. */
export interface PutObjectOutput {
  etag: string;
  crc64: string | undefined;
  versionId: string | undefined;
  /** The object's URL (without signature). */
  location: string;
  requestId: string | undefined;
}

const PUT_KEYS = [...OBJECT_HEADER_KEYS, 'key', 'body', 'contentMd5', 'verifyCrc64', 'onProgress', 'onRetry'];
const PUT_DEFAULTS = Object.freeze({ contentMd5: false as boolean | string, verifyCrc64: true });

/** Uploads an object in one request (up to 5 GB; use `uploadFile` for large files). */
export async function putObject(client: CosClient, input: PutObjectInput): Promise<PutObjectOutput> {
  checkInput(client, input, PUT_KEYS, 'putObject');
  assertKey(input.key);
  assertBody(input.body);
  assertContentMd5(input.contentMd5);
  const headers = objectHeaders(input);
  const contentMd5 = input.contentMd5 ?? PUT_DEFAULTS.contentMd5;
  const verify = input.verifyCrc64 ?? PUT_DEFAULTS.verifyCrc64;
  // MD5 must be known before sending; a CRC alone is computed while the body uploads.
  const hashing = verify || contentMd5 === true ? hashBody(client, input.body, { md5: contentMd5 === true, signal: input.signal }) : undefined;
  const hashes = contentMd5 === true ? await hashing : undefined;
  if (typeof contentMd5 === 'string') headers['Content-MD5'] = contentMd5;
  else if (hashes?.md5) headers['Content-MD5'] = hashes.md5;
  const progress = uploadProgress(input.onProgress, bodySize(input.body));
  const request = client.request({
    action: 'PutObject',
    method: 'PUT',
    ...targetOf(input),
    key: input.key,
    headers,
    body: input.body,
    responseType: 'none',
    onUploadProgress: progress.onUploadProgress,
    onRetry: input.onRetry,
  });
  const [response, local] = await Promise.all([request, hashing]);
  progress.done();
  const serverCrc = response.headers.get('x-cos-hash-crc64ecma');
  if (verify && local) verifyCrc(local.crc64, serverCrc, `putObject ${input.key}`);
  return {
    etag: response.headers.get('etag') ?? '',
    crc64: serverCrc ?? undefined,
    versionId: response.headers.get('x-cos-version-id') ?? undefined,
    location: response.url,
    requestId: response.requestId,
  };
}

// ---------------------------------------------------------------------------------------------------- getObject

/** How `getObject` hands over the body. */
export type GetObjectAs = 'blob' | 'arrayBuffer' | 'text' | 'stream';
/** The body type for each `as`. */
export interface GetObjectBodies {
  blob: Blob;
  arrayBuffer: ArrayBuffer;
  text: string;
  stream: ReadableStream<Uint8Array>;
}

/** Conditions shared by GET and HEAD (304 -> `NotModified`, 412 -> `PreconditionFailed`). */
export interface ObjectConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date | string;
  ifUnmodifiedSince?: Date | string;
}

/** `response-*` overrides: the headers COS answers a GET with instead of the stored ones. */
export interface ResponseOverrides {
  responseContentType?: string;
  responseContentLanguage?: string;
  responseExpires?: Date | string;
  responseCacheControl?: string;
  responseContentDisposition?: string;
  responseContentEncoding?: string;
}

/** Input of `getObject`; `as` picks the body type. */
export interface GetObjectInput<A extends GetObjectAs = GetObjectAs> extends TargetOptions, ObjectConditions, ResponseOverrides {
  key: string;
  /** A byte range: `{ start, end? }` (inclusive, like HTTP) or a raw `bytes=…` value. Answers 206. */
  range?: { start: number; end?: number } | string;
  versionId?: string;
  /** Bandwidth cap in bit/s (819200..838860800). */
  trafficLimit?: number;
  /** @default 'blob' */
  as?: A;
  onProgress?: (progress: TransferProgress) => void;
}

/** What `getObject` answers: the body, its status and the object's facts. */
export interface GetObjectOutput<B = Blob> extends ObjectMetadata {
  body: B;
  /** 200, or 206 for a range. */
  status: number;
  contentLength: number | undefined;
  /** `bytes a-b/total` on a 206. */
  contentRange: string | undefined;
}

const CONDITION_KEYS = ['ifMatch', 'ifNoneMatch', 'ifModifiedSince', 'ifUnmodifiedSince'] as const;
const RESPONSE_OVERRIDES = {
  responseContentType: 'response-content-type',
  responseContentLanguage: 'response-content-language',
  responseExpires: 'response-expires',
  responseCacheControl: 'response-cache-control',
  responseContentDisposition: 'response-content-disposition',
  responseContentEncoding: 'response-content-encoding',
} as const;
const GET_KEYS = [...CONDITION_KEYS, ...Object.keys(RESPONSE_OVERRIDES), 'key', 'range', 'versionId', 'trafficLimit', 'as', 'onProgress'];
const GET_DEFAULTS = Object.freeze({ as: 'blob' as GetObjectAs });
const AS_VALUES: readonly GetObjectAs[] = ['blob', 'arrayBuffer', 'text', 'stream'];

/** @internal If-* headers, checked. */
export function conditionHeaders(input: ObjectConditions): Record<string, string | undefined> {
  return {
    'If-Match': input.ifMatch,
    'If-None-Match': input.ifNoneMatch,
    'If-Modified-Since': httpDate(input.ifModifiedSince, 'ifModifiedSince'),
    'If-Unmodified-Since': httpDate(input.ifUnmodifiedSince, 'ifUnmodifiedSince'),
  };
}

/** @internal The `Range` header value for a `{ start, end? }` or `bytes=…` range (one range only, as COS serves). */
export function rangeHeader(range: GetObjectInput['range']): string | undefined {
  if (range === undefined) return undefined;
  if (typeof range === 'string') {
    if (!/^bytes=(\d+-\d*|-\d+)$/.test(range)) throw invalidArgument(`range must be one "bytes=first-last", "bytes=first-" or "bytes=-suffix"; got ${JSON.stringify(range)}`);
    return range;
  }
  if (typeof range !== 'object' || range === null) throw invalidArgument('range must be { start, end? } or a "bytes=…" string');
  assertKnownKeys(range, ['start', 'end'], 'range');
  assertNonNegativeInteger(range.start, 'range.start');
  if (range.end === undefined) return `bytes=${range.start}-`;
  assertNonNegativeInteger(range.end, 'range.end');
  if (range.end < range.start) throw invalidArgument(`range.end (${range.end}) is before range.start (${range.start}); both are inclusive`);
  return `bytes=${range.start}-${range.end}`;
}

/** Downloads an object (or a range of it) as a Blob, ArrayBuffer, text or a ReadableStream. */
export async function getObject<A extends GetObjectAs = 'blob'>(
  client: CosClient,
  input: GetObjectInput<A>,
): Promise<GetObjectOutput<GetObjectBodies[A]>> {
  checkInput(client, input, GET_KEYS, 'getObject');
  assertKey(input.key);
  assertTrafficLimit(input.trafficLimit);
  const as = input.as ?? GET_DEFAULTS.as;
  if (!AS_VALUES.includes(as)) throw invalidArgument(`as must be one of ${AS_VALUES.join(', ')}; got ${JSON.stringify(as)}`);
  const query: Record<string, string | undefined> = { versionId: input.versionId };
  for (const [option, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = input[option as keyof typeof RESPONSE_OVERRIDES];
    query[name] = option === 'responseExpires' ? httpDate(value, option) : (value as string | undefined);
  }
  const headers = {
    ...conditionHeaders(input),
    Range: rangeHeader(input.range),
    'x-cos-traffic-limit': input.trafficLimit === undefined ? undefined : String(input.trafficLimit),
  };
  const response = await client.request({
    action: 'GetObject',
    method: 'GET',
    ...targetOf(input),
    key: input.key,
    query,
    headers,
    responseType: as,
    onDownloadProgress: input.onProgress,
  });
  const length = response.headers.get('content-length');
  return {
    ...readObjectMetadata(response.headers),
    body: response.body as GetObjectBodies[A],
    status: response.status,
    contentLength: length === null ? undefined : Number(length),
    contentRange: response.headers.get('content-range') ?? undefined,
  };
}

// --------------------------------------------------------------------------------------------------- headObject

/** Input of `headObject`. */
export interface HeadObjectInput extends TargetOptions, ObjectConditions {
  key: string;
  versionId?: string;
}

/** What `headObject` answers: the object's facts and size. */
export interface HeadObjectOutput extends ObjectMetadata {
  /** Object size in bytes. */
  size: number;
}

const HEAD_KEYS = [...CONDITION_KEYS, 'key', 'versionId'];

/** Reads an object's metadata without its body. A missing key rejects with `NoSuchKey` (404). */
export async function headObject(client: CosClient, input: HeadObjectInput): Promise<HeadObjectOutput> {
  checkInput(client, input, HEAD_KEYS, 'headObject');
  assertKey(input.key);
  const response = await client.request({
    action: 'HeadObject',
    method: 'HEAD',
    ...targetOf(input),
    key: input.key,
    query: { versionId: input.versionId },
    headers: conditionHeaders(input),
    responseType: 'none',
  });
  return { ...readObjectMetadata(response.headers), size: Number(response.headers.get('content-length') ?? 0) };
}
