/**
 * PUT Object - Copy (Doc 10881), and the copy-source pieces Upload Part - Copy shares: the `x-cos-copy-source`
 * value and its `x-cos-copy-source-If-*` conditions.
 */
import type { CosClient } from '../client.ts';
import { invalidArgument } from '../errors.ts';
import { encodeKey } from '../http/endpoint.ts';
import { text } from '../http/xml.ts';
import { assertBucket, assertKey, assertKnownKeys, assertRegion } from '../validate.ts';
import { checkInput, httpDate, targetOf, type TargetOptions } from './common.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, type ObjectHeaderOptions } from './headers.ts';

/** Where a copy reads from: another object, in this or another bucket/region. */
export interface CopySource {
  /** @default the destination's bucket */
  bucket?: string;
  /** @default the destination's region */
  region?: string;
  key: string;
  versionId?: string;
}

/** `x-cos-copy-source-If-*`: the copy fails with 412 PreconditionFailed when they do not hold. */
export interface CopySourceConditions {
  sourceIfMatch?: string;
  sourceIfNoneMatch?: string;
  sourceIfModifiedSince?: string | Date;
  sourceIfUnmodifiedSince?: string | Date;
}

/** @internal option names of `CopySourceConditions`, for `checkInput`. */
export const SOURCE_CONDITION_KEYS = ['sourceIfMatch', 'sourceIfNoneMatch', 'sourceIfModifiedSince', 'sourceIfUnmodifiedSince'] as const;

/** @internal The `x-cos-copy-source-If-*` headers, dates checked. */
export function sourceConditionHeaders(input: CopySourceConditions): Record<string, string | undefined> {
  return {
    'x-cos-copy-source-If-Match': input.sourceIfMatch,
    'x-cos-copy-source-If-None-Match': input.sourceIfNoneMatch,
    'x-cos-copy-source-If-Modified-Since': httpDate(input.sourceIfModifiedSince, 'sourceIfModifiedSince'),
    'x-cos-copy-source-If-Unmodified-Since': httpDate(input.sourceIfUnmodifiedSince, 'sourceIfUnmodifiedSince'),
  };
}

const SOURCE_STRING = /^([a-z0-9-]+-\d+)\.cos\.([a-z0-9-]+)\.myqcloud\.com\/([^?]+)(?:\?versionId=(.+))?$/;

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

/** @internal `copySourceHeader` for a call's `source`, bucket and region defaulting to the destination's. */
export function sourceOf(client: CosClient, input: TargetOptions & { source: string | CopySource }): string {
  return copySourceHeader(input.source, {
    bucket: input.bucket ?? client.options.bucket,
    region: input.region ?? client.options.region,
  });
}

// ---------------------------------------------------------------------------------------------------- copyObject

/** Input of `copyObject`. */
export interface CopyObjectInput extends TargetOptions, ObjectHeaderOptions, CopySourceConditions {
  /** Destination key. */
  key: string;
  /**
   * The source: `{ bucket?, region?, key, versionId? }`, or the official SDKs' string form
   * `examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/percent-encoded/key[?versionId=…]`.
   */
  source: string | CopySource;
  /** `Copy` keeps the source's metadata; `Replaced` takes this request's content/meta options. @default 'Copy' */
  metadataDirective?: 'Copy' | 'Replaced';
}

/** What `copyObject` answers. */
export interface CopyObjectOutput {
  etag: string;
  crc64: string | undefined;
  lastModified: Date | undefined;
  versionId: string | undefined;
  requestId: string | undefined;
}

// Options that only take effect with metadataDirective 'Replaced'; with 'Copy' COS would silently ignore them.
const METADATA_OPTIONS = ['contentType', 'cacheControl', 'contentDisposition', 'contentEncoding', 'contentLanguage', 'expires', 'meta'] as const;
const COPY_KEYS = [...OBJECT_HEADER_KEYS, ...SOURCE_CONDITION_KEYS, 'key', 'source', 'metadataDirective'];

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
  const source = sourceOf(client, input);
  const response = await client.request({
    action: 'PutObjectCopy',
    method: 'PUT',
    ...targetOf(input),
    key: input.key,
    headers: {
      ...objectHeaders(input),
      'x-cos-copy-source': source,
      'x-cos-metadata-directive': directive,
      ...sourceConditionHeaders(input),
    },
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
