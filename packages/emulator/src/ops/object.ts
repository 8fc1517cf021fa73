import type { OutgoingHttpHeaders } from 'node:http';
import { CosError, err } from '../errors.ts';
import { ingest, parseContentMd5, requireContentLength } from '../http/body.ts';
import { type Ctx, header } from '../http/context.ts';
import { quoteEtag, send } from '../http/respond.ts';
import { liveObject } from '../lifecycle.ts';
import { aclFrom, checkConditions, lowerHeaders, normalObject, objectHeaders, storageClassOf, storedHeaders, validateKey } from './meta.ts';

const OVERRIDES: Record<string, string> = {
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
  'response-content-language': 'Content-Language',
  'response-content-type': 'Content-Type',
  'response-expires': 'Expires',
};

export async function putObject(ctx: Ctx): Promise<void> {
  const bucket = ctx.bucket!;
  const key = validateKey(ctx.key);
  const length = requireContentLength(ctx);
  const md5 = parseContentMd5(header(ctx, 'content-md5'));
  const hdrs = lowerHeaders(ctx);
  const headers = storedHeaders(hdrs);
  const storageClass = storageClassOf(hdrs['x-cos-storage-class']);
  const acl = aclFrom(hdrs, 'default');
  const got = await ingest(ctx, ctx.req, { expectedLength: length, contentMd5: md5 });
  const meta = normalObject(ctx, key, got, { storageClass, acl, headers });
  await ctx.state.store.putObject(bucket, meta);
  await send(ctx, 200, { ETag: quoteEtag(meta.etag), 'x-cos-hash-crc64ecma': meta.crc64 });
}

/** `bytes=a-b | a- | -n`, single range only; anything else means "whole object" as HTTP allows. */
function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!value) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw invalidRange();
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw invalidRange();
  return { start, end };
}

function invalidRange(): CosError {
  return new CosError(416, 'InvalidRange', 'The requested range is not satisfiable');
}

export async function getObject(ctx: Ctx): Promise<void> {
  const meta = await liveObject(ctx.state, ctx.bucket!, ctx.key ?? '');
  if (!meta) throw err.noSuchKey();
  const overrides: Record<string, string> = {};
  for (const [q, h] of Object.entries(OVERRIDES)) {
    const v = ctx.query.get(q);
    // A CR/LF (header injection) or another byte Node refuses in a header would otherwise end as a 500.
    if (v !== undefined && /[^\t\x20-\x7e\x80-\xff]/.test(v)) throw err.invalidArgument(`${q} is not a valid header value.`);
    if (v !== undefined) overrides[h] = v;
  }
  if (Object.keys(overrides).length && ctx.principal.kind === 'anonymous') {
    throw err.invalidRequest('Request specific response headers cannot be used for anonymous GET requests.');
  }
  const base = objectHeaders(meta);
  if (checkConditions(ctx, meta) === 304) {
    await send(ctx, 304, { ETag: base['ETag'], 'Last-Modified': base['Last-Modified'] });
    return;
  }
  // Header names are case-insensitive; drop the stored lowercase twin of every override.
  for (const h of Object.keys(overrides)) delete base[h.toLowerCase()];
  const headers: OutgoingHttpHeaders = { ...base, ...overrides };
  if (ctx.method === 'HEAD') {
    headers['Content-Length'] = String(meta.size);
    await send(ctx, 200, headers);
    return;
  }
  const range = parseRange(header(ctx, 'range'), meta.size);
  if (range) {
    headers['Content-Length'] = String(range.end - range.start + 1);
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
    await send(ctx, 206, headers, ctx.state.store.readObject(meta, range.start, range.end + 1));
    return;
  }
  headers['Content-Length'] = String(meta.size);
  await send(ctx, 200, headers, ctx.state.store.readObject(meta, 0, meta.size));
}

export async function deleteObject(ctx: Ctx): Promise<void> {
  if (!ctx.key) throw err.invalidArgument('Object key is empty');
  await ctx.state.store.deleteObject(ctx.bucket!, ctx.key);
  await send(ctx, 204, {});
}
