import { err } from '../errors.ts';
import type { Ctx } from '../http/context.ts';
import { isoDate, sendXml } from '../http/respond.ts';
import { compareKeys } from '../storage/store.ts';
import { owner } from './owner.ts';

/** List Multipart Uploads with key/upload-id markers and delimiter grouping (Doc 7736). */
export async function listUploads(ctx: Ctx): Promise<void> {
  const q = ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const idMarker = q.get('upload-id-marker') ?? '';
  const encoding = q.get('encoding-type');
  if (encoding !== undefined && encoding !== 'url') throw err.invalidArgument('encoding-type must be url');
  const maxText = q.get('max-uploads');
  if (maxText !== undefined && (!/^\d+$/.test(maxText) || Number(maxText) < 1)) throw err.invalidArgument('max-uploads is not valid');
  const max = Math.min(Number(maxText ?? 1000), 1000);
  const enc = (s: string) => (encoding ? encodeURIComponent(s) : s);
  const uploads = ctx.state.store
    .listUploads(ctx.bucket!)
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated || a.uploadId.localeCompare(b.uploadId));
  const items: Array<{ kind: 'u'; u: (typeof uploads)[number] } | { kind: 'p'; prefix: string }> = [];
  let truncated = false;
  for (const u of uploads) {
    const c = compareKeys(u.key, keyMarker);
    if (keyMarker && (c < 0 || (c === 0 && (!idMarker || u.uploadId <= idMarker)))) continue;
    let cp: string | undefined;
    if (delimiter) {
      const i = u.key.indexOf(delimiter, prefix.length);
      if (i >= 0) cp = u.key.slice(0, i + delimiter.length);
    }
    if (cp !== undefined) {
      const last = items[items.length - 1];
      if ((last?.kind === 'p' && last.prefix === cp) || (keyMarker && compareKeys(cp, keyMarker) <= 0)) continue;
    }
    if (items.length >= max) {
      truncated = true;
      break;
    }
    items.push(cp !== undefined ? { kind: 'p', prefix: cp } : { kind: 'u', u });
  }
  const last = items[items.length - 1];
  const who = owner(ctx);
  await sendXml(ctx, 200, {
    ListMultipartUploadsResult: {
      Bucket: ctx.bucket,
      ...(encoding ? { 'Encoding-Type': encoding } : {}),
      KeyMarker: enc(keyMarker),
      UploadIdMarker: idMarker,
      ...(truncated && last
        ? { NextKeyMarker: enc(last.kind === 'u' ? last.u.key : last.prefix), NextUploadIdMarker: last.kind === 'u' ? last.u.uploadId : '' }
        : {}),
      MaxUploads: max,
      IsTruncated: truncated,
      Prefix: enc(prefix),
      Delimiter: enc(delimiter),
      Upload: items.flatMap((i) =>
        i.kind === 'u'
          ? [{ Key: enc(i.u.key), UploadId: i.u.uploadId, StorageClass: i.u.storageClass, Initiator: who, Owner: who, Initiated: isoDate(i.u.initiated) }]
          : [],
      ),
      CommonPrefixes: items.flatMap((i) => (i.kind === 'p' ? [{ Prefix: enc(i.prefix) }] : [])),
    },
  });
}
