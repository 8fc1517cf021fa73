/**
 * The object headers the seeds' PUT Object documents, shared by putObject, appendObject, createMultipartUpload,
 * copyObject (Replaced) and uploadFile, so every entry point accepts and checks them the same way.
 */
import { assertMeta, assertTrafficLimit } from '../validate.ts';
import { invalidArgument } from '../errors.ts';

export type ObjectAcl = 'default' | 'private' | 'public-read';
export type BucketAcl = 'private' | 'public-read' | 'public-read-write';
export type StorageClass =
  | 'STANDARD'
  | 'STANDARD_IA'
  | 'ARCHIVE'
  | 'DEEP_ARCHIVE'
  | 'INTELLIGENT_TIERING'
  | 'MAZ_STANDARD'
  | 'MAZ_STANDARD_IA'
  | 'MAZ_INTELLIGENT_TIERING';

/** Grants, as COS header values: `id="100000000001",id="100000000011"` or `uri="http://cam.qcloud.com/groups/global/AllUsers"`. */
export interface GrantHeaders {
  grantRead?: string;
  grantReadAcp?: string;
  grantWriteAcp?: string;
  grantFullControl?: string;
}

export interface ObjectHeaderOptions extends GrantHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  /** Sent as the `Expires` header (a Date becomes an HTTP date). */
  expires?: string | Date;
  /** Custom metadata: `{ author: 'x' }` is sent as `x-cos-meta-author: x`. Letters, digits, `-`; 2 KB in total. */
  meta?: Record<string, string>;
  acl?: ObjectAcl;
  storageClass?: StorageClass;
  /** Bandwidth cap for this request in bit/s (819200..838860800). */
  trafficLimit?: number;
  /** Any further raw headers (server-side encryption, tagging, …), sent as given. */
  headers?: Record<string, string>;
}

export const OBJECT_HEADER_KEYS = [
  'contentType',
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
  'contentLanguage',
  'expires',
  'meta',
  'acl',
  'storageClass',
  'trafficLimit',
  'headers',
  'grantRead',
  'grantReadAcp',
  'grantWriteAcp',
  'grantFullControl',
] as const;

export function grantHeaders(input: GrantHeaders): Record<string, string | undefined> {
  return {
    'x-cos-grant-read': input.grantRead,
    'x-cos-grant-read-acp': input.grantReadAcp,
    'x-cos-grant-write-acp': input.grantWriteAcp,
    'x-cos-grant-full-control': input.grantFullControl,
  };
}

/** Validates and converts `ObjectHeaderOptions` to wire headers (`undefined` entries are dropped by the pipeline). */
export function objectHeaders(input: ObjectHeaderOptions): Record<string, string | undefined> {
  assertMeta(input.meta);
  assertTrafficLimit(input.trafficLimit);
  if (input.expires instanceof Date && Number.isNaN(input.expires.getTime())) throw invalidArgument('expires is an invalid Date');
  const headers: Record<string, string | undefined> = {
    'Content-Type': input.contentType,
    'Cache-Control': input.cacheControl,
    'Content-Disposition': input.contentDisposition,
    'Content-Encoding': input.contentEncoding,
    'Content-Language': input.contentLanguage,
    Expires: input.expires instanceof Date ? input.expires.toUTCString() : input.expires,
    'x-cos-acl': input.acl,
    'x-cos-storage-class': input.storageClass,
    'x-cos-traffic-limit': input.trafficLimit === undefined ? undefined : String(input.trafficLimit),
    ...grantHeaders(input),
  };
  for (const [name, value] of Object.entries(input.meta ?? {})) headers[`x-cos-meta-${name.toLowerCase()}`] = value;
  return { ...headers, ...input.headers };
}

/** Reads `x-cos-meta-*` response headers back into a plain object (names lower-cased, prefix removed). */
export function readMeta(headers: Headers): Record<string, string> {
  const meta: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith('x-cos-meta-')) meta[name.slice('x-cos-meta-'.length)] = value;
  });
  return meta;
}
