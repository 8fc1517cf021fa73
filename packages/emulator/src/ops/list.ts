import { err } from '../errors.ts';
import type { Ctx } from '../http/context.ts';
import { isoDate, quoteEtag, sendXml } from '../http/respond.ts';
import { isExpired } from '../lifecycle.ts';
import { serverNow } from '../state.ts';
import { compareKeys } from '../storage/store.ts';

/** GET Bucket (List Objects v1): max-keys counts Contents and CommonPrefixes together (Doc 7734). */
export async function listObjects(ctx: Ctx): Promise<void> {
  const q = ctx.query;
  const bucket = ctx.bucket!;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const encoding = q.get('encoding-type');
  if (encoding !== undefined && encoding !== 'url') throw err.invalidArgument('encoding-type must be url');
  const maxText = q.get('max-keys');
  if (maxText !== undefined && maxText !== '' && !/^\d+$/.test(maxText)) throw err.invalidArgument('max-keys is not valid');
  const maxKeys = Math.min(Number(maxText || 1000), 1000);
  const enc = (s: string) => (encoding ? encodeURIComponent(s) : s);
  const store = ctx.state.store;
  const bucketMeta = store.getBucket(bucket)!;
  const nowMs = serverNow(ctx.state) * 1000;

  const contents: Array<Record<string, unknown>> = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let nextMarker = '';
  let lastPrefix: string | undefined;
  const who = { ID: ctx.bucket!.slice(ctx.bucket!.lastIndexOf('-') + 1), DisplayName: ctx.bucket!.slice(ctx.bucket!.lastIndexOf('-') + 1) };
  for (const key of store.sortedKeys(bucket)) {
    if (!key.startsWith(prefix)) continue;
    if (marker && compareKeys(key, marker) <= 0) continue;
    const obj = store.getObject(bucket, key);
    if (!obj || isExpired(bucketMeta, obj, nowMs)) continue;
    let cp: string | undefined;
    if (delimiter) {
      const i = key.indexOf(delimiter, prefix.length);
      if (i >= 0) cp = key.slice(0, i + delimiter.length);
    }
    if (cp !== undefined && (cp === lastPrefix || (marker && compareKeys(cp, marker) <= 0))) continue;
    if (count >= maxKeys) {
      truncated = true;
      break;
    }
    count++;
    if (cp !== undefined) {
      prefixes.push(cp);
      lastPrefix = cp;
      nextMarker = cp;
    } else {
      nextMarker = key;
      contents.push({
        Key: enc(key),
        LastModified: isoDate(obj.lastModified),
        ETag: quoteEtag(obj.etag),
        Size: obj.size,
        Owner: who,
        StorageClass: obj.storageClass,
      });
    }
  }
  await sendXml(ctx, 200, {
    ListBucketResult: {
      Name: bucket,
      ...(encoding ? { EncodingType: encoding } : {}),
      Prefix: enc(prefix),
      Marker: enc(marker),
      MaxKeys: maxKeys,
      Delimiter: enc(delimiter),
      IsTruncated: truncated,
      ...(truncated ? { NextMarker: enc(nextMarker) } : {}),
      Contents: contents,
      CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
    },
  });
}
