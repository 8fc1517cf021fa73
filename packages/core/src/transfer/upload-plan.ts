/**
 * How a file is cut into parts, and which parts already on the server can be kept (resume from a record, or
 * adoption of an in-progress upload found on the server with `resume: 'server'`).
 */
import type { CosClient } from '../client.ts';
import { crc64Combine } from '../checksum/crc64.ts';
import { invalidArgument, isCosServiceError } from '../errors.ts';
import { MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE } from '../validate.ts';
import type { ResumePart, ResumeStore, UploadRecord } from './types.ts';

const MiB = 1024 * 1024;

/** One part of the file: bytes `[start, end)`. */
export interface PartPlan {
  n: number;
  start: number;
  end: number;
}

/**
 * A part on the server that may be kept if the local bytes still match: by CRC-64 when the record knows it, else
 * (an adopted upload) by the ETag, the part's MD5.
 */
export interface ReuseCandidate {
  etag: string;
  size: number;
  crc64?: string | undefined;
}

/**
 * The part size actually used: at least `requested`, grown to a whole number of MiB so the file fits in 10,000
 * parts. Throws `InvalidArgument` when even 5 GiB parts would not do.
 */
export function effectivePartSize(fileSize: number, requested: number): number {
  if (Math.ceil(fileSize / requested) <= MAX_PARTS) return requested;
  const grown = Math.ceil(fileSize / MAX_PARTS / MiB) * MiB;
  if (grown > MAX_PART_SIZE) {
    throw invalidArgument(`file is ${fileSize} bytes: more than COS's ${MAX_PARTS} parts of ${MAX_PART_SIZE} bytes can hold`);
  }
  return Math.max(grown, MIN_PART_SIZE);
}

/** The parts of a `size`-byte file cut every `partSize` bytes (the last one may be shorter). */
export function planParts(size: number, partSize: number): PartPlan[] {
  const parts: PartPlan[] = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++) parts.push({ n, start, end: Math.min(size, start + partSize) });
  return parts;
}

/** ETags compared without quotes and case (COS sends `"hex"`; some proxies change the case). */
export function sameEtag(a: string, b: string): boolean {
  return a.replace(/"/g, '').toLowerCase() === b.replace(/"/g, '').toLowerCase();
}

/** What the upload starts from: an upload id (if one can be continued) and the parts that may be kept. */
export interface ResumePoint {
  uploadId: string;
  record: UploadRecord | undefined;
  candidates: Map<number, ReuseCandidate>;
  /** Where the upload id came from. */
  source: 'record' | 'server';
}

interface Target {
  bucket: string;
  region: string;
  key: string;
  size: number;
  partSize: number;
  signal: AbortSignal;
}

/**
 * Whether a recorded upload whose id the server no longer knows was completed by an earlier session that closed
 * before it saw Complete's answer: the record holds every part and the object at the key has the file's size and
 * the CRC-64 combined from the recorded parts.
 */
async function completedEarlier(client: CosClient, record: UploadRecord, target: Target): Promise<boolean> {
  const plan = planParts(record.size, record.partSize);
  const parts = [...record.parts].sort((a, b) => a.n - b.n);
  if (parts.length !== plan.length || parts.some((p, i) => p.n !== i + 1 || p.size !== plan[i]!.end - plan[i]!.start || !p.crc64)) return false;
  let combined = parts[0]!.crc64;
  for (const part of parts.slice(1)) combined = crc64Combine(combined, part.crc64, part.size);
  const head = await client.headObject({ bucket: target.bucket, region: target.region, key: target.key, signal: target.signal }).catch((error: unknown) => {
    if (target.signal.aborted) throw error;
    return undefined;
  });
  return head !== undefined && head.size === record.size && head.crc64 === combined;
}

/**
 * Continues the recorded upload when the server still has it: keeps the recorded parts whose number, size and
 * ETag the server lists (every page); their CRC-64 is checked against the local bytes before they are skipped. A
 * gone upload (`NoSuchUpload`) deletes the record so the caller starts over, unless it was gone because an earlier
 * session completed it (see `completedEarlier`).
 */
export async function resumeFromRecord(
  client: CosClient,
  store: ResumeStore,
  fingerprint: string,
  target: Target,
): Promise<ResumePoint | undefined> {
  const found = await store.get(fingerprint);
  if (!found || found.kind !== 'upload') return undefined;
  const record = found;
  const sameTarget =
    record.bucket === target.bucket &&
    record.region === target.region &&
    record.key === target.key &&
    record.size === target.size &&
    record.partSize === target.partSize;
  if (!sameTarget) return undefined;
  let serverParts: Array<{ partNumber: number; etag: string; size: number }>;
  try {
    ({ parts: serverParts } = await client.listParts({ bucket: target.bucket, region: target.region, key: target.key, uploadId: record.uploadId, signal: target.signal }));
  } catch (error) {
    if (isCosServiceError(error) && error.code === 'NoSuchUpload') {
      if (await completedEarlier(client, record, target)) {
        // Every recorded part is kept: the engine re-checks them against the local bytes, its Complete meets
        // NoSuchUpload, and the lost-Complete path confirms the object by size and CRC-64. Nothing is re-sent.
        const all = new Map<number, ReuseCandidate>(record.parts.map((p) => [p.n, { etag: p.etag, size: p.size, crc64: p.crc64 }]));
        return { uploadId: record.uploadId, record, candidates: all, source: 'record' };
      }
      await store.delete(fingerprint);
      return undefined;
    }
    throw error;
  }
  const onServer = new Map(serverParts.map((p) => [p.partNumber, p]));
  const candidates = new Map<number, ReuseCandidate>();
  const kept: ResumePart[] = [];
  for (const part of record.parts) {
    const listed = onServer.get(part.n);
    if (listed && listed.size === part.size && sameEtag(listed.etag, part.etag)) {
      candidates.set(part.n, { etag: part.etag, size: part.size, crc64: part.crc64 });
      kept.push(part);
    }
  }
  record.parts = kept;
  return { uploadId: record.uploadId, record, candidates, source: 'record' };
}

/**
 * `resume: 'server'`: adopts the newest in-progress upload of the same key whose listed parts all fit this file's
 * part layout (as cos-js-sdk-v5 does). Each listed part is kept only if its ETag equals the MD5 of the local bytes.
 */
export async function adoptFromServer(client: CosClient, target: Target): Promise<ResumePoint | undefined> {
  const { uploads } = await client.listMultipartUploads({ bucket: target.bucket, region: target.region, prefix: target.key, signal: target.signal });
  const mine = uploads
    .filter((u) => u.key === target.key)
    .sort((a, b) => b.initiated.getTime() - a.initiated.getTime());
  const plan = planParts(target.size, target.partSize);
  for (const upload of mine) {
    let parts: Array<{ partNumber: number; etag: string; size: number }>;
    try {
      ({ parts } = await client.listParts({ bucket: target.bucket, region: target.region, key: target.key, uploadId: upload.uploadId, signal: target.signal }));
    } catch (error) {
      // Completed or aborted since it was listed: look at the next one.
      if (isCosServiceError(error) && error.code === 'NoSuchUpload') continue;
      throw error;
    }
    const fits = parts.every((p) => {
      const planned = plan[p.partNumber - 1];
      return planned !== undefined && planned.end - planned.start === p.size;
    });
    if (!fits) continue;
    const candidates = new Map<number, ReuseCandidate>(parts.map((p) => [p.partNumber, { etag: p.etag, size: p.size }]));
    return { uploadId: upload.uploadId, record: undefined, candidates, source: 'server' };
  }
  return undefined;
}
