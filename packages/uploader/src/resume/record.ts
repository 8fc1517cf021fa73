/**
 * The shape of what may be stored. Records are rebuilt field by field from an allow-list, so a stray property (a
 * credential, a signed URL, an Authorization header someone attached while debugging) can never reach IndexedDB.
 */
import type { DownloadRecord, ResumePart, TransferRecord, UploadRecord } from '@coskit/core';

type Facts = NonNullable<UploadRecord['file']>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function part(p: unknown): ResumePart | undefined {
  if (typeof p !== 'object' || p === null) return undefined;
  const { n, etag, size, crc64 } = p as Record<string, unknown>;
  if (!isCount(n) || !isString(etag) || !isCount(size) || !isString(crc64)) return undefined;
  return { n, etag, size, crc64 };
}

function facts(f: unknown): Facts | undefined {
  if (typeof f !== 'object' || f === null) return undefined;
  const { name, size, type, lastModified, relativePath } = f as Record<string, unknown>;
  if (!isString(name) || !isCount(size) || !isString(type) || typeof lastModified !== 'number') return undefined;
  const out: Facts = { name, size, type, lastModified };
  if (isString(relativePath)) out.relativePath = relativePath;
  return out;
}

/**
 * A copy of `value` holding only the fields of an `UploadRecord`/`DownloadRecord`, or `undefined` when a required
 * field is missing or of the wrong type (such a record cannot be resumed from anyway).
 */
export function sanitizeRecord(value: unknown): TransferRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const common = [r.fingerprint, r.bucket, r.region, r.key];
  if (!common.every(isString) || !isCount(r.size) || !isCount(r.partSize)) return undefined;
  if (typeof r.createdAt !== 'number' || typeof r.updatedAt !== 'number') return undefined;
  const base = {
    fingerprint: r.fingerprint as string,
    bucket: r.bucket as string,
    region: r.region as string,
    key: r.key as string,
    size: r.size,
    partSize: r.partSize,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
  if (r.kind === 'upload') {
    if (!isString(r.uploadId) || !Array.isArray(r.parts)) return undefined;
    const parts = r.parts.map(part);
    if (parts.some((p) => p === undefined)) return undefined;
    const record: UploadRecord = { kind: 'upload', ...base, uploadId: r.uploadId, parts: parts as ResumePart[] };
    const file = facts(r.file);
    if (file) record.file = file;
    return record;
  }
  if (r.kind === 'download') {
    if (!isString(r.etag) || !Array.isArray(r.done)) return undefined;
    const done: DownloadRecord['done'] = [];
    for (const d of r.done as unknown[]) {
      const { i, crc64 } = (d ?? {}) as Record<string, unknown>;
      if (!isCount(i) || !isString(crc64)) return undefined;
      done.push({ i, crc64 });
    }
    return { kind: 'download', ...base, etag: r.etag, done };
  }
  return undefined;
}
