/**
 * Fingerprints: the keys resume records are stored under. An upload's fingerprint names the file (name, size,
 * lastModified, type), where it goes (bucket, region, key) and how it is cut (part size), plus the CRC-64 of a small
 * sample of its bytes, so a different file that happens to share name, size and date is not mistaken for it.
 */
import type { Hasher } from './types.ts';

/** Bytes read from each of the start, middle and end of the file for the sample CRC. */
const SAMPLE = 64 * 1024;

/** What an upload fingerprint is computed from. */
export interface UploadFingerprintInput {
  file: Blob;
  bucket: string;
  region: string;
  key: string;
  partSize: number;
}

/** The 192 KiB (at most) sample: start, middle and end of the file, as one lazy Blob. */
export function fingerprintSample(file: Blob): Blob {
  if (file.size <= 3 * SAMPLE) return file;
  const mid = Math.floor(file.size / 2 - SAMPLE / 2);
  return new Blob([file.slice(0, SAMPLE), file.slice(mid, mid + SAMPLE), file.slice(file.size - SAMPLE)]);
}

/** The resume-store key of an upload (see the module comment for what it covers). */
export async function uploadFingerprint(input: UploadFingerprintInput, hasher: Hasher, signal?: AbortSignal): Promise<string> {
  const { file } = input;
  const named = file as Partial<File>;
  const sample = await hasher.hash(fingerprintSample(file), signal ? { signal } : {});
  return `upload:${JSON.stringify([
    input.bucket,
    input.region,
    input.key,
    input.partSize,
    named.name ?? '',
    file.size,
    named.lastModified ?? 0,
    file.type,
    sample.crc64,
  ])}`;
}

/** What a download fingerprint is computed from. */
export interface DownloadFingerprintInput {
  bucket: string;
  region: string;
  key: string;
  versionId?: string | undefined;
  partSize: number;
}

/** The resume-store key of a ranged download; the record itself pins the object's ETag. */
export function downloadFingerprint(input: DownloadFingerprintInput): string {
  return `download:${JSON.stringify([input.bucket, input.region, input.key, input.versionId ?? '', input.partSize])}`;
}
