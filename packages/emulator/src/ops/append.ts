import { createHash } from 'node:crypto';
import { crc64Combine } from '../crc64.ts';
import { CosError, err } from '../errors.ts';
import { MAX_OBJECT_BYTES, ingest, parseContentMd5, requireContentLength } from '../http/body.ts';
import { type Ctx, header } from '../http/context.ts';
import { quoteEtag, send } from '../http/respond.ts';
import { serverNow } from '../state.ts';
import type { ObjectMeta } from '../storage/types.ts';
import { aclFrom, lowerHeaders, storageClassOf, storedHeaders, validateKey } from './meta.ts';

const positionError = () => new CosError(409, 'AppendPositionErr', 'Position not equal object length');
const notAppendable = () => new CosError(409, 'ObjectNotAppendable', 'This object is not appendable');

function check(existing: ObjectMeta | undefined, position: number): void {
  if (existing && existing.type !== 'appendable') throw notAppendable();
  if (position !== (existing?.size ?? 0)) throw positionError();
}

/** APPEND Object: each append becomes one more segment, so earlier bytes are never rewritten. */
export async function appendObject(ctx: Ctx): Promise<void> {
  const bucket = ctx.bucket!;
  const key = validateKey(ctx.key);
  const posText = ctx.query.get('position');
  if (posText === undefined || !/^\d+$/.test(posText)) throw err.invalidArgument('position is required and must be a number');
  const position = Number(posText);
  const length = requireContentLength(ctx);
  const md5 = parseContentMd5(header(ctx, 'content-md5'));
  const store = ctx.state.store;
  check(store.getObject(bucket, key), position);
  if (position + length > MAX_OBJECT_BYTES) throw err.entityTooLarge();
  const hdrs = lowerHeaders(ctx);
  const got = await ingest(ctx, ctx.req, { expectedLength: length, contentMd5: md5, maxBytes: MAX_OBJECT_BYTES - position });
  // Another append may have won the race while this body streamed in.
  const current = store.getObject(bucket, key);
  try {
    check(current, position);
  } catch (e) {
    await store.backend.deleteBlob(got.blob);
    throw e;
  }
  const segment = { blob: got.blob, size: got.size };
  const meta: ObjectMeta = current
    ? {
        ...current,
        size: current.size + got.size,
        etag: createHash('md5').update(current.etag + got.md5).digest('hex'),
        crc64: crc64Combine(BigInt(current.crc64), got.crc64, got.size).toString(),
        lastModified: Math.floor(serverNow(ctx.state) * 1000),
        segments: [...current.segments, segment],
      }
    : {
        key,
        size: got.size,
        etag: got.md5,
        crc64: got.crc64.toString(),
        lastModified: Math.floor(serverNow(ctx.state) * 1000),
        type: 'appendable',
        storageClass: storageClassOf(hdrs['x-cos-storage-class']),
        acl: aclFrom(hdrs, 'default'),
        headers: storedHeaders(hdrs),
        segments: [segment],
      };
  await store.putObject(bucket, meta);
  await send(ctx, 200, {
    ETag: quoteEtag(got.md5),
    'x-cos-next-append-position': String(meta.size),
    'x-cos-hash-crc64ecma': meta.crc64,
  });
}
