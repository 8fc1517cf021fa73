import { percentDecode } from '../auth/signature.ts';
import { CosError, err } from '../errors.ts';
import { type Ctx, header } from '../http/context.ts';
import { liveObject } from '../lifecycle.ts';
import { BUCKET_RE } from '../options.ts';
import type { ObjectMeta } from '../storage/types.ts';
import { checkConditions } from './meta.ts';

const invalidCopySource = () => new CosError(400, 'InvalidCopySource', 'The copy source is not valid.');

/**
 * `<bucket-appid>.cos.<region>.<domain>/<urlencoded key>[?versionId=]`, with or without a scheme;
 * `/<bucket>/<key>` (path-style) is accepted too since the emulator serves both styles.
 */
export function parseCopySource(value: string): { bucket: string; key: string } {
  let v = value.trim().replace(/^https?:\/\//i, '');
  const q = v.indexOf('?');
  if (q >= 0) v = v.slice(0, q);
  let bucket: string;
  let rawKey: string;
  if (v.startsWith('/')) {
    const slash = v.indexOf('/', 1);
    if (slash < 0) throw invalidCopySource();
    bucket = v.slice(1, slash);
    rawKey = v.slice(slash + 1);
  } else {
    const slash = v.indexOf('/');
    if (slash < 0) throw invalidCopySource();
    const host = v.slice(0, slash);
    bucket = host.split('.')[0]!.toLowerCase();
    rawKey = v.slice(slash + 1);
  }
  const key = percentDecode(rawKey);
  if (!BUCKET_RE.test(bucket) || !key) throw invalidCopySource();
  return { bucket, key };
}

/** Resolves and checks the source of a copy: it must exist, match its x-cos-copy-source-If-* headers, and not be appendable. */
export async function resolveCopySource(ctx: Ctx): Promise<{ bucket: string; key: string; meta: ObjectMeta }> {
  const h = header(ctx, 'x-cos-copy-source');
  if (!h) throw invalidCopySource();
  const src = parseCopySource(h);
  if (!ctx.state.store.getBucket(src.bucket)) throw err.noSuchBucket();
  const meta = await liveObject(ctx.state, src.bucket, src.key);
  if (!meta) throw err.noSuchKey();
  checkConditions(ctx, meta, 'x-cos-copy-source-');
  if (meta.type === 'appendable') throw err.invalidRequest('An appendable object cannot be copied.');
  return { ...src, meta };
}
