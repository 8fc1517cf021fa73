import { createHash } from 'node:crypto';
import { crc64Combine } from '../crc64.ts';
import { CosError, err } from '../errors.ts';
import { readCheckedBody } from '../http/body.ts';
import type { Ctx } from '../http/context.ts';
import { quoteEtag, sendXml } from '../http/respond.ts';
import { serverNow } from '../state.ts';
import type { ObjectMeta, PartMeta } from '../storage/types.ts';
import { MAX_XML_BYTES, asArray, parseXml, text } from '../xml.ts';
import { findUpload } from './multipart.ts';

const MIN_PART = 1024 * 1024;
const completing = new WeakSet<object>();

function invalidPart(): CosError {
  return new CosError(400, 'InvalidPart', 'One or more of the specified parts could not be found or the specified entity tag might not have matched the part\'s entity tag.');
}

/** Parses and validates the part list in the order §2.14 lists the errors. */
function chooseParts(ctx: Ctx, body: Buffer, parts: Record<string, PartMeta>): PartMeta[] {
  const doc = parseXml(body.toString('utf8'));
  const root = doc['CompleteMultipartUpload'] as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw err.malformedXml();
  const listed = asArray(root['Part'] as Record<string, unknown> | Record<string, unknown>[] | undefined).map((p) => ({
    n: Number(text(p['PartNumber'])),
    etag: text(p['ETag']).replace(/^"|"$/g, ''),
  }));
  if (listed.length === 0 || listed.some((p) => !Number.isInteger(p.n))) throw err.malformedXml();
  for (let i = 1; i < listed.length; i++) {
    if (listed[i]!.n <= listed[i - 1]!.n) {
      throw new CosError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
  }
  const chosen = listed.map((p) => {
    const stored = parts[String(p.n)];
    if (!stored || stored.etag !== p.etag) throw invalidPart();
    return stored;
  });
  if (ctx.state.opts.requireConsecutiveParts) {
    chosen.forEach((p, i) => {
      if (p.partNumber !== i + 1) throw invalidPart();
    });
  }
  chosen.forEach((p, i) => {
    if (i < chosen.length - 1 && p.size < MIN_PART) {
      throw new CosError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
    }
  });
  return chosen;
}

/** Complete: the object becomes the listed parts' blobs in order; CRC is combined, never recomputed. */
export async function completeUpload(ctx: Ctx): Promise<void> {
  const u = findUpload(ctx);
  const body = await readCheckedBody(ctx, MAX_XML_BYTES, () => new CosError(400, 'XMLSizeLimit', 'The XML body is too large.'));
  if (completing.has(u)) throw err.noSuchUpload();
  const chosen = chooseParts(ctx, body, u.parts);
  completing.add(u);
  try {
    let crc = 0n;
    let size = 0;
    const md5s = createHash('md5');
    for (const p of chosen) {
      crc = size === 0 ? BigInt(p.crc64) : crc64Combine(crc, BigInt(p.crc64), p.size);
      size += p.size;
      md5s.update(Buffer.from(p.etag, 'hex'));
    }
    const meta: ObjectMeta = {
      key: u.key,
      size,
      etag: `${md5s.digest('hex')}-${chosen.length}`,
      crc64: crc.toString(),
      lastModified: Math.floor(serverNow(ctx.state) * 1000),
      type: 'normal',
      storageClass: u.storageClass,
      acl: u.acl,
      headers: u.headers,
      segments: chosen.map((p) => ({ blob: p.blob, size: p.size })),
    };
    const store = ctx.state.store;
    await store.putObject(u.bucket, meta);
    await store.removeUpload(u.uploadId, false);
    const used = new Set(chosen.map((p) => p.blob));
    for (const p of Object.values(u.parts)) if (!used.has(p.blob)) await store.backend.deleteBlob(p.blob);
    const pathKey = ctx.virtualHosted ? `/${u.key}` : `/${u.bucket}/${u.key}`;
    await sendXml(
      ctx,
      200,
      {
        CompleteMultipartUploadResult: {
          '@_xmlns': 'http://www.qcloud.com/document/product/436/7751',
          Location: `http://${ctx.host}${pathKey}`,
          Bucket: u.bucket,
          Key: u.key,
          ETag: quoteEtag(meta.etag),
        },
      },
      { 'x-cos-hash-crc64ecma': meta.crc64 },
    );
  } finally {
    completing.delete(u);
  }
}
