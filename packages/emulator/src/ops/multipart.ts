import { randomBytes } from 'node:crypto';
import { err } from '../errors.ts';
import { ingest, parseContentMd5, requireContentLength, type Ingested } from '../http/body.ts';
import { type Ctx, header } from '../http/context.ts';
import { isoDate, quoteEtag, send, sendXml } from '../http/respond.ts';
import { serverNow } from '../state.ts';
import type { PartMeta, UploadMeta } from '../storage/types.ts';
import { resolveCopySource } from './copy-source.ts';
import { aclFrom, lowerHeaders, storageClassOf, storedHeaders, validateKey } from './meta.ts';
import { owner } from './owner.ts';

export async function initiateUpload(ctx: Ctx): Promise<void> {
  const key = validateKey(ctx.key);
  const hdrs = lowerHeaders(ctx);
  const upload: UploadMeta = {
    uploadId: `${Date.now().toString(16)}${randomBytes(24).toString('hex')}`,
    bucket: ctx.bucket!,
    key,
    initiated: Math.floor(serverNow(ctx.state) * 1000),
    storageClass: storageClassOf(hdrs['x-cos-storage-class']),
    acl: aclFrom(hdrs, 'default'),
    headers: storedHeaders(hdrs),
    parts: {},
  };
  await ctx.state.store.saveUpload(upload);
  await sendXml(ctx, 200, { InitiateMultipartUploadResult: { Bucket: upload.bucket, Key: key, UploadId: upload.uploadId } });
}

/** The upload named by ?uploadId=, which must belong to this bucket and key (else NoSuchUpload). */
export function findUpload(ctx: Ctx): UploadMeta {
  const id = ctx.query.get('uploadId') ?? '';
  const u = ctx.state.store.getUpload(id);
  if (!u || u.bucket !== ctx.bucket || u.key !== ctx.key) throw err.noSuchUpload();
  return u;
}

function partNumberOf(ctx: Ctx): number {
  const v = ctx.query.get('partNumber') ?? '';
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 10000) throw err.invalidArgument('Part number must be an integer between 1 and 10000, inclusive');
  return n;
}

/** Records a part, freeing the bytes of any part it replaces; refuses if the upload vanished meanwhile. */
async function storePart(ctx: Ctx, part: PartMeta): Promise<void> {
  const store = ctx.state.store;
  const current = store.getUpload(ctx.query.get('uploadId') ?? '');
  if (!current) {
    await store.backend.deleteBlob(part.blob);
    throw err.noSuchUpload();
  }
  const old = current.parts[String(part.partNumber)];
  current.parts[String(part.partNumber)] = part;
  await store.saveUpload(current);
  if (old && old.blob !== part.blob) await store.backend.deleteBlob(old.blob);
}

export async function uploadPart(ctx: Ctx): Promise<void> {
  findUpload(ctx);
  const n = partNumberOf(ctx);
  const length = requireContentLength(ctx);
  const md5 = parseContentMd5(header(ctx, 'content-md5'));
  const got = await ingest(ctx, ctx.req, { expectedLength: length, contentMd5: md5 });
  const part = partFrom(ctx, n, got);
  await storePart(ctx, part);
  await send(ctx, 200, { ETag: quoteEtag(part.etag), 'x-cos-hash-crc64ecma': part.crc64 });
}

export async function uploadPartCopy(ctx: Ctx): Promise<void> {
  findUpload(ctx);
  const n = partNumberOf(ctx);
  const src = await resolveCopySource(ctx);
  let start = 0;
  let end = src.meta.size;
  const range = header(ctx, 'x-cos-copy-source-range');
  if (range !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(range.trim());
    if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) >= src.meta.size) {
      throw err.invalidArgument('The x-cos-copy-source-range value is not valid');
    }
    start = Number(m[1]);
    end = Number(m[2]) + 1;
  }
  ctx.trafficLimit = undefined;
  const got = await ingest(ctx, ctx.state.store.readObject(src.meta, start, end), { expectedLength: end - start });
  const part = partFrom(ctx, n, got);
  await storePart(ctx, part);
  await sendXml(
    ctx,
    200,
    { CopyPartResult: { ETag: quoteEtag(part.etag), LastModified: isoDate(part.lastModified) } },
    { 'x-cos-hash-crc64ecma': part.crc64 },
  );
}

export async function abortUpload(ctx: Ctx): Promise<void> {
  const u = findUpload(ctx);
  await ctx.state.store.removeUpload(u.uploadId, true);
  await send(ctx, 204, {});
}

function intParam(ctx: Ctx, name: string, def: number, min: number, max: number): number {
  const v = ctx.query.get(name);
  if (v === undefined || v === '') return def;
  if (!/^\d+$/.test(v) || Number(v) < min) throw err.invalidArgument(`${name} is not valid`);
  return Math.min(Number(v), max);
}

export async function listParts(ctx: Ctx): Promise<void> {
  const u = findUpload(ctx);
  const maxParts = intParam(ctx, 'max-parts', 1000, 0, 1000);
  const marker = intParam(ctx, 'part-number-marker', 0, 0, 10000);
  const encoding = ctx.query.get('encoding-type');
  if (encoding !== undefined && encoding !== 'url') throw err.invalidArgument('encoding-type must be url');
  const all = Object.values(u.parts)
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const who = owner(ctx);
  await sendXml(ctx, 200, {
    ListPartsResult: {
      Bucket: u.bucket,
      ...(encoding ? { 'Encoding-type': encoding } : {}),
      Key: encoding ? encodeURIComponent(u.key) : u.key,
      UploadId: u.uploadId,
      Initiator: who,
      Owner: who,
      PartNumberMarker: marker,
      Part: page.map((p) => ({ PartNumber: p.partNumber, LastModified: isoDate(p.lastModified), ETag: quoteEtag(p.etag), Size: p.size })),
      NextPartNumberMarker: page.length ? page[page.length - 1]!.partNumber : marker,
      StorageClass: u.storageClass,
      MaxParts: maxParts,
      IsTruncated: truncated,
    },
  });
}

/** A part made of one freshly ingested blob (Upload Part and Upload Part - Copy). */
function partFrom(ctx: Ctx, partNumber: number, got: Ingested): PartMeta {
  return {
    partNumber,
    size: got.size,
    etag: got.md5,
    crc64: got.crc64.toString(),
    lastModified: Math.floor(serverNow(ctx.state) * 1000),
    blob: got.blob,
  };
}
