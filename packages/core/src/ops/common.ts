/**
 * What every operation family shares: the target options each call takes and the input check it starts with, the
 * checksum and progress helpers of the calls that send a body, and small readers of parsed XML values.
 */
import type { CosClient } from '../client.ts';
import { crc64, md5Base64 } from '../checksum/index.ts';
import { CosClientError, invalidArgument } from '../errors.ts';
import type { RequestBody, TransferProgress, XmlNode, XmlValue } from '../http/types.ts';
import { defaultHasher } from '../transfer/hasher.ts';
import { assertBucket, assertKnownKeys, assertRegion } from '../validate.ts';

// ---------------------------------------------------------------------------------------------------------------
// Target and input

/** What every operation accepts besides its own options. */
export interface TargetOptions {
  /** Bucket `name-appid`; default the client's. */
  bucket?: string;
  /** Region, e.g. `ap-guangzhou`; default the client's. */
  region?: string;
  /** Cancels the call; it then rejects with `signal.reason`, like fetch. */
  signal?: AbortSignal;
}

/** Option names of `TargetOptions`: every operation accepts them. */
const TARGET_KEYS = ['bucket', 'region', 'signal'] as const;

/**
 * @internal Checks the input object, its option names (`known` plus the target options, which every operation
 * takes) and an explicitly given bucket/region.
 */
export function checkInput(client: CosClient, input: unknown, known: readonly string[], what: string): void {
  if (typeof input !== 'object' || input === null) throw invalidArgument(`${what} takes an options object`);
  assertKnownKeys(input, [...TARGET_KEYS, ...known], what);
  // A missing bucket/region is the pipeline's to report (it knows when the endpoint needs a region).
  const { bucket, region } = input as TargetOptions;
  if (bucket !== undefined) assertBucket(bucket);
  if (region !== undefined) assertRegion(region);
}

/** @internal the part of a request init that says where it goes and how to cancel it. */
export function targetOf(input: TargetOptions): { bucket?: string; region?: string; signal?: AbortSignal } {
  return { bucket: input.bucket, region: input.region, signal: input.signal };
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

// ---------------------------------------------------------------------------------------------------------------
// Bodies: checksums and upload progress

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

// ---------------------------------------------------------------------------------------------------------------
// Reading parsed XML values and paging

/** @internal text of an element (`''` when absent or not text). */
export function text(value: XmlValue | undefined): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** @internal a number, whether the parser typed it or not; `undefined` when absent or empty. */
export function num(value: XmlValue | undefined): number | undefined {
  const t = text(value);
  return t === '' ? undefined : Number(t);
}

/** @internal a child element (`{}` when absent). */
export function node(value: XmlValue | undefined): XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** @internal repeated elements; a single one is still a list (the parser already does this for known tags). */
export function nodes(value: XmlValue | undefined): XmlNode[] {
  if (value === undefined || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(node);
}

/** @internal repeated text elements, e.g. `<AllowedOrigin>`. */
export function texts(value: XmlValue | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(text);
}

/** @internal `true` only for a parsed boolean or the text `true`. */
export function bool(value: XmlValue | undefined): boolean {
  return value === true || value === 'true';
}

/** An account as COS lists it (`<Owner>`, `<Initiator>`). */
export interface CosOwner {
  id: string;
  displayName: string;
}

/** @internal */
export function ownerOf(value: XmlValue | undefined): CosOwner | undefined {
  if (value === undefined) return undefined;
  const n = node(value);
  return { id: text(n.ID), displayName: text(n.DisplayName) };
}

/** @internal list page sizes (max-keys, max-parts, max-uploads) are 1..1000. */
export function assertPageSize(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw invalidArgument(`${name} must be an integer from 1 to 1000; got ${String(value)}`);
  }
}

/** @internal `''` would go on the wire as a bare flag (`?marker`); an empty filter means "no filter". */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}
