/**
 * The seams of the transfer engine. Core ships main-thread / in-memory defaults; @coskit/uploader ships a Web
 * Worker pool (`Hasher`) and an IndexedDB store (`ResumeStore`).
 */

/** What a hasher returns for one slice of a file. */
export interface HashResult {
  /** CRC-64/XZ of the bytes, as the unsigned decimal string COS sends in `x-cos-hash-crc64ecma`. */
  crc64: string;
  /** Base64 MD5 of the bytes (the `Content-MD5` value), only when asked for. */
  md5?: string;
  /** Hex MD5 of the bytes (ETag form, no quotes), only when asked for. */
  md5Hex?: string;
}

export interface HashOptions {
  /** Also compute MD5. @default false */
  md5?: boolean;
  signal?: AbortSignal;
}

/**
 * Computes checksums of Blob slices. Implementations read the slice themselves (a worker reads it off the main
 * thread), so the caller never holds part bytes just to hash them.
 */
export interface Hasher {
  hash(blob: Blob, options?: HashOptions): Promise<HashResult>;
  /** Release workers or other resources. Optional. */
  dispose?(): void;
}

/** One finished part, as recorded for resume. */
export interface ResumePart {
  /** Part number, 1..10000. */
  n: number;
  /** ETag as COS returned it, with quotes. */
  etag: string;
  size: number;
  /** Unsigned decimal CRC-64 of the part. */
  crc64: string;
}

/** A resumable multipart upload. Never holds credentials. */
export interface UploadRecord {
  kind: 'upload';
  fingerprint: string;
  bucket: string;
  region: string;
  key: string;
  uploadId: string;
  partSize: number;
  size: number;
  parts: ResumePart[];
  /** ms since epoch. */
  createdAt: number;
  updatedAt: number;
  /** File facts for showing unfinished uploads after a reload. */
  file?: { name: string; size: number; type: string; lastModified: number; relativePath?: string };
}

/** A resumable ranged download. */
export interface DownloadRecord {
  kind: 'download';
  fingerprint: string;
  bucket: string;
  region: string;
  key: string;
  etag: string;
  size: number;
  partSize: number;
  /** Finished ranges: part index (0-based) -> CRC-64 of that range. */
  done: Array<{ i: number; crc64: string }>;
  createdAt: number;
  updatedAt: number;
}

export type TransferRecord = UploadRecord | DownloadRecord;

/**
 * Async key-value storage for resume records, keyed by fingerprint. Writes resolve once durable.
 * Modeled on tus-js-client's `UrlStorage`.
 */
export interface ResumeStore {
  get(fingerprint: string): Promise<TransferRecord | undefined>;
  set(record: TransferRecord): Promise<void>;
  delete(fingerprint: string): Promise<void>;
  /** Every stored record (expired ones are dropped, not returned). */
  list(): Promise<TransferRecord[]>;
}

/**
 * A shared budget of parts in flight (the upload queue shares one across files and shrinks it on throttling).
 * `acquire` resolves with a release function; pass `throttled: true` when the part met SlowDown/429/503 on the way.
 */
export interface PartLimiter {
  acquire(signal?: AbortSignal): Promise<(outcome: { throttled: boolean }) => void>;
}

/** Progress of a transfer, reported at least every 500 ms or 1 MiB. */
export interface TransferProgressEvent {
  loaded: number;
  total: number;
  /** 0..100 */
  percent: number;
  /** Bytes per second over a recent window. */
  speed: number;
  /** Seconds left at the current speed; `Infinity` while unknown. */
  eta: number;
}
