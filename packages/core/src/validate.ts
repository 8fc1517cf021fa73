/**
 * Input checks that run before any network call. Each throws `CosClientError('InvalidArgument')` with a message
 * that names the argument and says what is allowed.
 */
import { invalidArgument } from './errors.ts';

const BUCKET = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?-\d{1,20}$/;
const REGION = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
// ASCII control characters (COS refuses 0x00-0x1F and 0x7F in keys; Doc 13324).
const CONTROL = /[\u0000-\u001f\u007f]/;
const META_NAME = /^[A-Za-z0-9-]+$/;
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

export const MAX_KEY_BYTES = 850;
export const MAX_META_BYTES = 2048;
export const TRAFFIC_LIMIT_MIN = 819_200;
export const TRAFFIC_LIMIT_MAX = 838_860_800;
export const MAX_PARTS = 10_000;
export const MIN_PART_SIZE = 1024 * 1024;
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
export const MAX_PUT_SIZE = 5 * 1024 * 1024 * 1024;

const encoder = new TextEncoder();
export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

export function assertBucket(bucket: unknown): asserts bucket is string {
  if (typeof bucket !== 'string' || !BUCKET.test(bucket)) {
    throw invalidArgument(
      `bucket must be "name-appid" (lowercase letters, digits and "-", then "-" and the numeric APPID, e.g. "examplebucket-1250000000"); got ${JSON.stringify(bucket)}`,
    );
  }
}

export function assertRegion(region: unknown): asserts region is string {
  if (typeof region !== 'string' || !REGION.test(region)) {
    throw invalidArgument(`region must look like "ap-guangzhou"; got ${JSON.stringify(region)}`);
  }
}

export function assertKey(key: unknown, name = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument(`${name} must be a non-empty string`);
  if (key.startsWith('/')) {
    throw invalidArgument(`${name} must not start with "/" (COS keys are relative: use ${JSON.stringify(key.replace(/^\/+/, ''))})`);
  }
  if (CONTROL.test(key)) throw invalidArgument(`${name} must not contain control characters (U+0000-U+001F, U+007F)`);
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES) throw invalidArgument(`${name} is ${bytes} bytes of UTF-8; COS allows at most ${MAX_KEY_BYTES}`);
}

/** `prefix` may be empty (the bucket root) but otherwise follows the key rules. */
export function assertPrefix(prefix: unknown, name = 'prefix'): asserts prefix is string {
  if (prefix === '') return;
  assertKey(prefix, name);
}

export function assertMeta(meta: unknown): asserts meta is Record<string, string> {
  if (meta === undefined) return;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw invalidArgument('meta must be an object of string values');
  let total = 0;
  for (const [name, value] of Object.entries(meta)) {
    if (!META_NAME.test(name)) {
      throw invalidArgument(`meta name ${JSON.stringify(name)} may contain only letters, digits and "-" (COS refuses "_")`);
    }
    if (typeof value !== 'string') throw invalidArgument(`meta.${name} must be a string`);
    if (!PRINTABLE_ASCII.test(value)) {
      throw invalidArgument(`meta.${name} must be printable ASCII (HTTP headers); encode other text, e.g. with encodeURIComponent`);
    }
    total += utf8Length(`x-cos-meta-${name}`) + utf8Length(value);
  }
  if (total > MAX_META_BYTES) throw invalidArgument(`meta totals ${total} bytes; COS allows at most ${MAX_META_BYTES}`);
}

export function assertTrafficLimit(limit: unknown): void {
  if (limit === undefined) return;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < TRAFFIC_LIMIT_MIN || limit > TRAFFIC_LIMIT_MAX) {
    throw invalidArgument(
      `trafficLimit is in bit/s, an integer from ${TRAFFIC_LIMIT_MIN} (100 KB/s) to ${TRAFFIC_LIMIT_MAX} (100 MB/s); got ${String(limit)}`,
    );
  }
}

export function assertPartNumber(n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PARTS) {
    throw invalidArgument(`partNumber must be an integer from 1 to ${MAX_PARTS}; got ${String(n)}`);
  }
}

export function assertNonNegativeInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${name} must be a non-negative integer; got ${String(value)}`);
  }
}

export function assertUploadId(uploadId: unknown): asserts uploadId is string {
  if (typeof uploadId !== 'string' || uploadId.length === 0) throw invalidArgument('uploadId must be a non-empty string');
}

/** Bodies the pipeline can send. */
export function assertBody(body: unknown, name = 'body'): void {
  if (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof Blob !== 'undefined' && body instanceof Blob)
  ) {
    return;
  }
  throw invalidArgument(`${name} must be a Blob, File, ArrayBuffer, typed array or string; got ${describe(body)}`);
}

/** Byte length of a body accepted by `assertBody`. */
export function bodySize(body: Blob | ArrayBuffer | ArrayBufferView | string): number {
  if (typeof body === 'string') return utf8Length(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  return body.size;
}

/** Rejects option keys the function does not know: a typo must not be silently ignored. */
export function assertKnownKeys(input: object, known: readonly string[], what: string): void {
  for (const name of Object.keys(input)) {
    if (!known.includes(name)) throw invalidArgument(`${what}: unknown option "${name}"`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
