import { ingest } from '../http/body.ts';
import { type Ctx, header } from '../http/context.ts';
import { isoDate, quoteEtag, sendXml } from '../http/respond.ts';
import { resolveCopySource } from './copy-source.ts';
import { aclFrom, lowerHeaders, normalObject, storageClassOf, storedHeaders, validateKey } from './meta.ts';
import { err } from '../errors.ts';

/** PUT Object - Copy: streams the source into a new blob (sharing blobs would need reference counts). */
export async function copyObject(ctx: Ctx): Promise<void> {
  const bucket = ctx.bucket!;
  const key = validateKey(ctx.key);
  const src = await resolveCopySource(ctx);
  const hdrs = lowerHeaders(ctx);
  const directive = (header(ctx, 'x-cos-metadata-directive') ?? 'Copy').toLowerCase();
  if (directive !== 'copy' && directive !== 'replaced') throw err.invalidArgument('x-cos-metadata-directive must be Copy or Replaced');
  if (directive === 'copy' && src.bucket === bucket && src.key === key && !hdrs['x-cos-storage-class']) {
    throw err.invalidRequest('This copy request is illegal because it is trying to copy an object to itself without changing the metadata.');
  }
  const headers = directive === 'replaced' ? storedHeaders(hdrs) : { ...src.meta.headers };
  const storageClass = storageClassOf(hdrs['x-cos-storage-class'] ?? src.meta.storageClass);
  const acl = aclFrom(hdrs, 'default');
  // Server-side copy is not throttled by the caller's connection limit.
  ctx.trafficLimit = undefined;
  const got = await ingest(ctx, ctx.state.store.readObject(src.meta, 0, src.meta.size), { expectedLength: src.meta.size });
  // A copy keeps the source ETag (a multipart source keeps its "-N" form).
  const etag = got.md5 === src.meta.etag || src.meta.etag.includes('-') ? src.meta.etag : got.md5;
  const meta = normalObject(ctx, key, got, { storageClass, acl, headers, etag });
  await ctx.state.store.putObject(bucket, meta);
  await sendXml(
    ctx,
    200,
    { CopyObjectResult: { ETag: quoteEtag(meta.etag), CRC64: meta.crc64, LastModified: isoDate(meta.lastModified) } },
    { 'x-cos-hash-crc64ecma': meta.crc64 },
  );
}
