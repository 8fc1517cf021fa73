/**
 * Single-object operations: PUT, GET, HEAD, DELETE (one and many) and PUT-Copy (Docs 7749, 7753, 7745, 7743, 8289,
 * 10881). Every function validates its whole input before the first network call, so a typo or a bad key fails
 * with `InvalidArgument` and nothing is sent.
 */
import type { CosClient } from '../client.ts';
import { CosClientError, invalidArgument } from '../errors.ts';
import { crc64, md5Base64 } from '../checksum/index.ts';
import { defaultHasher } from '../transfer/hasher.ts';
import { encodeKey } from '../http/endpoint.ts';
import { buildXml, list, text } from '../http/xml.ts';
import type { RequestBody, TransferProgress, XmlNode } from '../http/types.ts';
import {
  assertBody,
  assertBucket,
  bodySize,
  assertKey,
  assertKnownKeys,
  assertNonNegativeInteger,
  assertRegion,
  assertTrafficLimit,
} from '../validate.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, readMeta, type ObjectHeaderOptions } from './headers.ts';

/** What every operation accepts besides its own options. */
export interface TargetOptions {
  /** Bucket `name-appid`; default the client's. */
  bucket?: string;
  /** Region, e.g. `ap-guangzhou`; default the client's. */
  region?: string;
  /** Cancels the call; it then rejects with `signal.reason`, like fetch. */
  signal?: AbortSignal;
}

/** @internal option names of `TargetOptions`, for `assertKnownKeys`. */
export const TARGET_KEYS = ['bucket', 'region', 'signal'] as const;

/** @internal Checks the input object, its option names and an explicitly given bucket/region. */
export function checkInput(client: CosClient, input: unknown, known: readonly string[], what: string): void {
  if (typeof input !== 'object' || input === null) throw invalidArgument(`${what} takes an options object`);
  assertKnownKeys(input, known, what);
  // A missing bucket/region is the pipeline's to report (it knows when the endpoint needs a region).
  const { bucket, region } = input as TargetOptions;
  if (bucket !== undefined) assertBucket(bucket);
  if (region !== undefined) assertRegion(region);
}

/** @internal An HTTP date from a Date or a string the caller already formatted. */
export function httpDate(value: Date | string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidArgument(`${name} is an invalid Date`);
    return value.toUTCString();
  }
  if (typeof value !== 'string' || value === '') throw invalidArgument(`${name} must be a Date or an HTTP date string`);
  return value;
}

/** @internal Checks an optional `Content-MD5` option: `true` (compute it) or a ready base64 value. */
export function assertContentMd5(value: unknown): void {
  if (value === undefined || typeof value === 'boolean') return;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(value)) {
    throw invalidArgument('contentMd5 must be true/false or the base64 MD5 of the body (24 characters)');
  }
}

/**
 * @internal CRC-64 (and MD5 when asked) of a request body. Blobs go to the client's `hasher` (the uploader's worker
 * pool) or the main-thread default, which reads them in chunks, so a large File is never held in memory at once.
 */
export async function hashBody(
  client: CosClient,
  body: RequestBody,
  options: { md5: boolean; signal?: AbortSignal | undefined },
): Promise<{ crc64: string; md5: string | undefined }> {
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    const hasher = client.options.hasher ?? defaultHasher();
    const result = await hasher.hash(body, options.signal ? { md5: options.md5, signal: options.signal } : { md5: options.md5 });
    return { crc64: result.crc64, md5: result.md5 };
  }
  const bytes = body as Exclude<RequestBody, Blob>;
  return { crc64: crc64(bytes), md5: options.md5 ? md5Base64(bytes) : undefined };
}

/** @internal Throws `ChecksumMismatch` when the server's CRC-64 is present and differs from ours. */
export function verifyCrc(local: string, server: string | null, what: string): void {
  if (server !== null && server !== local) {
    throw new CosClientError(
      'ChecksumMismatch',
      `${what}: the server's CRC-64 ${server} differs from the body's ${local}; the stored object is not what was sent`,
    );
  }
}

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

/**
 * @internal Upload progress that always reaches the end: Chromium fires no `xhr.upload` progress events when a
 * service worker controls the page (seen in Chromium 156 under msw; any PWA worker does the same), so the caller
 * would otherwise never hear of the upload finishing.
 */
export function uploadProgress(onProgress: ((p: TransferProgress) => void) | undefined, total: number) {
  if (!onProgress) return { onUploadProgress: undefined, done: () => undefined };
  let loaded = -1;
  return {
    onUploadProgress: (p: TransferProgress) => {
      loaded = p.loaded;
      onProgress(p);
    },
    done: () => {
      if (loaded < total) onProgress({ loaded: total, total });
    },
  };
}

// ---------------------------------------------------------------------------------------------------- putObject

export interface PutObjectInput extends TargetOptions, ObjectHeaderOptions {
  key: string;
  body: RequestBody;
  /** Send `Content-MD5` so COS refuses a corrupted body (BadDigest): `true` computes it, a string is sent as is. @default false */
  contentMd5?: boolean | string;
  /** Compare the server's `x-cos-hash-crc64ecma` with the body's CRC-64 (`ChecksumMismatch` if they differ). @default true */
  verifyCrc64?: boolean;
  onProgress?: (progress: TransferProgress) => void;
}

export interface PutObjectOutput {
  etag: string;
  crc64: string | undefined;
  versionId: string | undefined;
  /** The object's URL (without signature). */
  location: string;
  requestId: string | undefined;
}

const PUT_KEYS = [...TARGET_KEYS, ...OBJECT_HEADER_KEYS, 'key', 'body', 'contentMd5', 'verifyCrc64', 'onProgress'];
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
    bucket: input.bucket,
    region: input.region,
    key: input.key,
    headers,
    body: input.body,
    responseType: 'none',
    signal: input.signal,
    onUploadProgress: progress.onUploadProgress,
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

export interface GetObjectInput<A extends GetObjectAs = GetObjectAs> extends TargetOptions, ObjectConditions {
  key: string;
  /** A byte range: `{ start, end? }` (inclusive, like HTTP) or a raw `bytes=…` value. Answers 206. */
  range?: { start: number; end?: number } | string;
  responseContentType?: string;
  responseContentLanguage?: string;
  responseExpires?: Date | string;
  responseCacheControl?: string;
  responseContentDisposition?: string;
  responseContentEncoding?: string;
  versionId?: string;
  /** Bandwidth cap in bit/s (819200..838860800). */
  trafficLimit?: number;
  /** @default 'blob' */
  as?: A;
  onProgress?: (progress: TransferProgress) => void;
}

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
const GET_KEYS = [...TARGET_KEYS, ...CONDITION_KEYS, ...Object.keys(RESPONSE_OVERRIDES), 'key', 'range', 'versionId', 'trafficLimit', 'as', 'onProgress'];
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
    bucket: input.bucket,
    region: input.region,
    key: input.key,
    query,
    headers,
    responseType: as,
    signal: input.signal,
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

export interface HeadObjectInput extends TargetOptions, ObjectConditions {
  key: string;
  versionId?: string;
}

export interface HeadObjectOutput extends ObjectMetadata {
  /** Object size in bytes. */
  size: number;
}

const HEAD_KEYS = [...TARGET_KEYS, ...CONDITION_KEYS, 'key', 'versionId'];

/** Reads an object's metadata without its body. A missing key rejects with `NoSuchKey` (404). */
export async function headObject(client: CosClient, input: HeadObjectInput): Promise<HeadObjectOutput> {
  checkInput(client, input, HEAD_KEYS, 'headObject');
  assertKey(input.key);
  const response = await client.request({
    action: 'HeadObject',
    method: 'HEAD',
    bucket: input.bucket,
    region: input.region,
    key: input.key,
    query: { versionId: input.versionId },
    headers: conditionHeaders(input),
    responseType: 'none',
    signal: input.signal,
  });
  return { ...readObjectMetadata(response.headers), size: Number(response.headers.get('content-length') ?? 0) };
}

// ------------------------------------------------------------------------------------------ deleteObject(s)

export interface DeleteObjectInput extends TargetOptions {
  key: string;
  versionId?: string;
}

export interface DeleteObjectOutput {
  /** On versioned buckets: the version deleted, or the delete marker's version. */
  versionId: string | undefined;
  /** On versioned buckets: whether a delete marker was created. */
  deleteMarker: boolean;
  requestId: string | undefined;
}

/** Deletes one object. Deleting a missing key succeeds (204), as in COS. */
export async function deleteObject(client: CosClient, input: DeleteObjectInput): Promise<DeleteObjectOutput> {
  checkInput(client, input, [...TARGET_KEYS, 'key', 'versionId'], 'deleteObject');
  assertKey(input.key);
  const response = await client.request({
    action: 'DeleteObject',
    method: 'DELETE',
    bucket: input.bucket,
    region: input.region,
    key: input.key,
    query: { versionId: input.versionId },
    responseType: 'none',
    signal: input.signal,
  });
  return {
    versionId: response.headers.get('x-cos-version-id') ?? undefined,
    deleteMarker: response.headers.get('x-cos-delete-marker') === 'true',
    requestId: response.requestId,
  };
}

export interface DeleteObjectsInput extends TargetOptions {
  /** 1 to 1000 keys (or `{ key, versionId }`). */
  keys: Array<string | { key: string; versionId?: string }>;
  /** Ask COS to list only failures. @default false */
  quiet?: boolean;
}

export interface DeletedObject {
  key: string;
  versionId?: string;
  deleteMarker?: boolean;
  deleteMarkerVersionId?: string;
}

export interface DeleteObjectError {
  key: string;
  code: string;
  message: string;
  versionId?: string;
}

export interface DeleteObjectsOutput {
  deleted: DeletedObject[];
  /** Keys COS could not delete; they are returned, not thrown, so one bad key does not hide the rest. */
  errors: DeleteObjectError[];
  requestId: string | undefined;
}

/** COS caps DELETE Multiple at 1000 objects (Doc 8289). */
export const MAX_DELETE_KEYS = 1000;

/** Deletes up to 1000 objects in one request; per-key failures come back in `errors`. */
export async function deleteObjects(client: CosClient, input: DeleteObjectsInput): Promise<DeleteObjectsOutput> {
  checkInput(client, input, [...TARGET_KEYS, 'keys', 'quiet'], 'deleteObjects');
  if (!Array.isArray(input.keys) || input.keys.length === 0) throw invalidArgument('deleteObjects: keys must be a non-empty array');
  if (input.keys.length > MAX_DELETE_KEYS) {
    throw invalidArgument(`deleteObjects: COS deletes at most ${MAX_DELETE_KEYS} keys a call; got ${input.keys.length} (split them, or use deleteFolder)`);
  }
  if (input.quiet !== undefined && typeof input.quiet !== 'boolean') throw invalidArgument('deleteObjects: quiet must be a boolean');
  const objects = input.keys.map((entry, i) => {
    const item = typeof entry === 'string' ? { key: entry } : entry;
    if (typeof item !== 'object' || item === null) throw invalidArgument(`keys[${i}] must be a key or { key, versionId? }`);
    assertKnownKeys(item, ['key', 'versionId'], `keys[${i}]`);
    assertKey(item.key, `keys[${i}]`);
    return { Key: item.key, VersionId: item.versionId };
  });
  const body = buildXml('Delete', { Quiet: input.quiet ?? false, Object: objects });
  const response = await client.request({
    action: 'DeleteMultipleObjects',
    method: 'POST',
    bucket: input.bucket,
    region: input.region,
    query: { delete: '' },
    // COS requires Content-MD5 on this request (Doc 8289), as the official SDKs always send it.
    headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5Base64(body) },
    body,
    signal: input.signal,
  });
  const optional = (node: XmlNode, name: string): string | undefined => (node[name] === undefined ? undefined : text(node, name));
  return {
    deleted: list(response.data, 'Deleted').map((node) => {
      const item: DeletedObject = { key: text(node, 'Key') };
      const versionId = optional(node, 'VersionId');
      if (versionId !== undefined) item.versionId = versionId;
      if (node.DeleteMarker !== undefined) item.deleteMarker = node.DeleteMarker === true;
      const markerVersion = optional(node, 'DeleteMarkerVersionId');
      if (markerVersion !== undefined) item.deleteMarkerVersionId = markerVersion;
      return item;
    }),
    errors: list(response.data, 'Error').map((node) => {
      const item: DeleteObjectError = { key: text(node, 'Key'), code: text(node, 'Code'), message: text(node, 'Message') };
      const versionId = optional(node, 'VersionId');
      if (versionId !== undefined) item.versionId = versionId;
      return item;
    }),
    requestId: response.requestId,
  };
}

// --------------------------------------------------------------------------------------------------- copyObject

/** Where a copy reads from: another object, in this or another bucket/region. */
export interface CopySource {
  /** @default the destination's bucket */
  bucket?: string;
  /** @default the destination's region */
  region?: string;
  key: string;
  versionId?: string;
}

export interface CopyObjectInput extends TargetOptions, ObjectHeaderOptions {
  /** Destination key. */
  key: string;
  /**
   * The source: `{ bucket?, region?, key, versionId? }`, or the official SDKs' string form
   * `examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/percent-encoded/key[?versionId=…]`.
   */
  source: string | CopySource;
  /** `Copy` keeps the source's metadata; `Replaced` takes this request's content/meta options. @default 'Copy' */
  metadataDirective?: 'Copy' | 'Replaced';
  sourceIfMatch?: string;
  sourceIfNoneMatch?: string;
  sourceIfModifiedSince?: Date | string;
  sourceIfUnmodifiedSince?: Date | string;
}

export interface CopyObjectOutput {
  etag: string;
  crc64: string | undefined;
  lastModified: Date | undefined;
  versionId: string | undefined;
  requestId: string | undefined;
}

const SOURCE_STRING = /^([a-z0-9-]+-\d+)\.cos\.([a-z0-9-]+)\.myqcloud\.com\/([^?]+)(?:\?versionId=(.+))?$/;
// Options that only take effect with metadataDirective 'Replaced'; with 'Copy' COS would silently ignore them.
const METADATA_OPTIONS = ['contentType', 'cacheControl', 'contentDisposition', 'contentEncoding', 'contentLanguage', 'expires', 'meta'] as const;
const COPY_KEYS = [
  ...TARGET_KEYS,
  ...OBJECT_HEADER_KEYS,
  'key',
  'source',
  'metadataDirective',
  'sourceIfMatch',
  'sourceIfNoneMatch',
  'sourceIfModifiedSince',
  'sourceIfUnmodifiedSince',
];

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The `x-cos-copy-source` value for a source (shared with Upload Part - Copy): always the `myqcloud.com` form with
 * the key percent-encoded like a URL path, whatever endpoint the client talks to, because COS resolves the source
 * itself (Doc 10881).
 */
export function copySourceHeader(source: string | CopySource, defaults: { bucket: string | undefined; region: string | undefined }): string {
  let parsed: CopySource;
  if (typeof source === 'string') {
    const m = SOURCE_STRING.exec(source);
    if (!m) {
      throw invalidArgument(
        `source string must be "<bucket-appid>.cos.<region>.myqcloud.com/<key>"; got ${JSON.stringify(source)} (or pass { bucket?, region?, key })`,
      );
    }
    parsed = { bucket: m[1]!, region: m[2]!, key: decodeSafe(m[3]!), ...(m[4] === undefined ? {} : { versionId: decodeSafe(m[4]) }) };
  } else if (typeof source === 'object' && source !== null) {
    assertKnownKeys(source, ['bucket', 'region', 'key', 'versionId'], 'source');
    parsed = source;
  } else {
    throw invalidArgument('source must be { bucket?, region?, key, versionId? } or a copy-source string');
  }
  const bucket = parsed.bucket ?? defaults.bucket;
  const region = parsed.region ?? defaults.region;
  assertBucket(bucket);
  assertRegion(region);
  assertKey(parsed.key, 'source.key');
  if (parsed.versionId !== undefined && (typeof parsed.versionId !== 'string' || parsed.versionId === '')) {
    throw invalidArgument('source.versionId must be a non-empty string');
  }
  const version = parsed.versionId === undefined ? '' : `?versionId=${encodeURIComponent(parsed.versionId)}`;
  return `${bucket}.cos.${region}.myqcloud.com/${encodeKey(parsed.key)}${version}`;
}

/** Copies an object server-side (up to 5 GB; larger sources need multipart Upload Part - Copy). */
export async function copyObject(client: CosClient, input: CopyObjectInput): Promise<CopyObjectOutput> {
  checkInput(client, input, COPY_KEYS, 'copyObject');
  assertKey(input.key);
  const directive = input.metadataDirective ?? 'Copy';
  if (directive !== 'Copy' && directive !== 'Replaced') throw invalidArgument(`metadataDirective must be "Copy" or "Replaced"; got ${JSON.stringify(directive)}`);
  const ignored = METADATA_OPTIONS.filter((name) => input[name] !== undefined);
  if (directive === 'Copy' && ignored.length > 0) {
    throw invalidArgument(`copyObject: ${ignored.join(', ')} only apply with metadataDirective: 'Replaced' (with 'Copy' the source's are kept)`);
  }
  const source = copySourceHeader(input.source, {
    bucket: input.bucket ?? client.options.bucket,
    region: input.region ?? client.options.region,
  });
  const response = await client.request({
    action: 'PutObjectCopy',
    method: 'PUT',
    bucket: input.bucket,
    region: input.region,
    key: input.key,
    headers: {
      ...objectHeaders(input),
      'x-cos-copy-source': source,
      'x-cos-metadata-directive': directive,
      'x-cos-copy-source-If-Match': input.sourceIfMatch,
      'x-cos-copy-source-If-None-Match': input.sourceIfNoneMatch,
      'x-cos-copy-source-If-Modified-Since': httpDate(input.sourceIfModifiedSince, 'sourceIfModifiedSince'),
      'x-cos-copy-source-If-Unmodified-Since': httpDate(input.sourceIfUnmodifiedSince, 'sourceIfUnmodifiedSince'),
    },
    signal: input.signal,
  });
  const data = response.data;
  const modified = text(data, 'LastModified');
  return {
    etag: text(data, 'ETag'),
    crc64: text(data, 'CRC64') || (response.headers.get('x-cos-hash-crc64ecma') ?? undefined),
    lastModified: modified ? new Date(modified) : undefined,
    versionId: text(data, 'VersionId') || (response.headers.get('x-cos-version-id') ?? undefined),
    requestId: response.requestId,
  };
}
