import { CosError, err } from '../errors.ts';
import { type Ctx, header } from '../http/context.ts';
import { quoteEtag } from '../http/respond.ts';
import type { Ingested } from '../http/body.ts';
import { serverNow } from '../state.ts';
import type { AclState, AclValue, Grant, ObjectMeta } from '../storage/types.ts';
import { applyPublic, isAllUsers, parseGrantHeader, permissionOf } from './grants.ts';

const STORED = ['content-type', 'cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
const STORAGE_CLASSES = new Set(['STANDARD', 'STANDARD_IA', 'ARCHIVE', 'DEEP_ARCHIVE', 'INTELLIGENT_TIERING', 'MAZ_STANDARD', 'MAZ_STANDARD_IA', 'MAZ_INTELLIGENT_TIERING']);
const ACLS = new Set(['default', 'private', 'public-read', 'public-read-write']);
const MAX_META_BYTES = 2048;
const MAX_KEY_BYTES = 850;

/** Headers (or POST form fields) that become part of the object, validated per §4. */
export function storedHeaders(source: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let metaBytes = 0;
  for (const [k0, v] of Object.entries(source)) {
    const k = k0.toLowerCase();
    if (STORED.includes(k)) out[k] = v;
    else if (k.startsWith('x-cos-meta-')) {
      if (!/^x-cos-meta-[a-z0-9-]+$/.test(k)) throw err.invalidArgument(`Invalid metadata name ${k}`);
      metaBytes += Buffer.byteLength(k.slice('x-cos-meta-'.length)) + Buffer.byteLength(v);
      out[k] = v;
    }
  }
  if (metaBytes > MAX_META_BYTES) throw new CosError(400, 'MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.');
  if (!out['content-type']) out['content-type'] = 'application/octet-stream';
  return out;
}

export function storageClassOf(value: string | undefined): string {
  const v = (value ?? 'STANDARD').toUpperCase();
  if (!STORAGE_CLASSES.has(v)) throw err.invalidArgument(`Invalid storage class ${value}`);
  return v;
}

/**
 * Canned ACL plus x-cos-grant-* headers (or their POST-form twins). Grantees are stored in the form GET ?acl reports
 * (`id="100000000011"` -> `qcs::cam::uin/100000000011:uin/100000000011`); grants to AllUsers become the canned value.
 */
export function aclFrom(source: Record<string, string>, fallback: AclValue): AclState {
  const canned = (source['x-cos-acl'] ?? source['acl'] ?? fallback) as AclValue;
  if (!ACLS.has(canned)) throw err.invalidArgument(`Invalid x-cos-acl ${canned}`);
  const grants: Grant[] = [];
  const open = new Set<string>();
  for (const perm of ['read', 'write', 'read-acp', 'write-acp', 'full-control']) {
    const v = source[`x-cos-grant-${perm}`];
    if (!v) continue;
    const permission = permissionOf(perm);
    for (const grantee of parseGrantHeader(v)) {
      if (isAllUsers(grantee)) open.add(permission);
      else if (!grants.some((g) => g.permission === permission && g.grantee === grantee)) grants.push({ permission, grantee });
    }
  }
  return applyPublic({ canned, grants }, open);
}

/** Key rules of §4 applied to writes: length, leading slash, control characters. */
export function validateKey(key: string | undefined): string {
  if (!key) throw err.invalidArgument('Object key is empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new CosError(400, 'KeyTooLong', 'Your key is too long.');
  if (key.startsWith('/') || /[\0\n\r\x18-\x1b]/.test(key)) {
    throw new CosError(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
  return key;
}

export function lowerHeaders(ctx: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.req.headers)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/** Response headers describing a stored object (GET/HEAD). */
export function objectHeaders(meta: ObjectMeta): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta.headers)) h[k] = v;
  h['ETag'] = quoteEtag(meta.etag);
  h['Last-Modified'] = new Date(meta.lastModified).toUTCString();
  h['x-cos-hash-crc64ecma'] = meta.crc64;
  h['x-cos-object-type'] = meta.type;
  h['Accept-Ranges'] = 'bytes';
  if (meta.storageClass !== 'STANDARD') h['x-cos-storage-class'] = meta.storageClass;
  if (meta.type === 'appendable') h['x-cos-next-append-position'] = String(meta.size);
  return h;
}

function etagList(v: string): string[] {
  return v.split(',').map((s) => s.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
}

function parseHttpDate(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * RFC 7232 evaluation order, shared by GET/HEAD (prefix '') and copy sources (prefix 'x-cos-copy-source-').
 * Returns 304 when a "not modified" condition applies to GET/HEAD; throws 412 otherwise.
 */
export function checkConditions(ctx: Ctx, meta: ObjectMeta, prefix = ''): 304 | undefined {
  const ifMatch = header(ctx, `${prefix}if-match`);
  const ifNoneMatch = header(ctx, `${prefix}if-none-match`);
  const ifModifiedSince = parseHttpDate(header(ctx, `${prefix}if-modified-since`));
  const ifUnmodifiedSince = parseHttpDate(header(ctx, `${prefix}if-unmodified-since`));
  const modified = Math.floor(meta.lastModified / 1000) * 1000;
  const copy = prefix !== '';
  if (ifMatch !== undefined) {
    const tags = etagList(ifMatch);
    if (!tags.includes('*') && !tags.includes(meta.etag)) throw err.preconditionFailed();
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    throw err.preconditionFailed();
  }
  if (ifNoneMatch !== undefined) {
    const tags = etagList(ifNoneMatch);
    if (tags.includes('*') || tags.includes(meta.etag)) {
      if (copy) throw err.preconditionFailed();
      return 304;
    }
  } else if (ifModifiedSince !== undefined && modified <= ifModifiedSince) {
    if (copy) throw err.preconditionFailed();
    return 304;
  }
  return undefined;
}

/** The metadata of a normal (non-appendable) object made of one freshly ingested blob: PUT, POST form and copy. */
export function normalObject(
  ctx: Ctx,
  key: string,
  got: Ingested,
  fields: { storageClass: string; acl: AclState; headers: Record<string, string>; etag?: string },
): ObjectMeta {
  return {
    key,
    size: got.size,
    etag: fields.etag ?? got.md5,
    crc64: got.crc64.toString(),
    lastModified: Math.floor(serverNow(ctx.state) * 1000),
    type: 'normal',
    storageClass: fields.storageClass,
    acl: fields.acl,
    headers: fields.headers,
    segments: [{ blob: got.blob, size: got.size }],
  };
}
