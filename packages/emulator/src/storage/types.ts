import type { Readable } from 'node:stream';

/** One stored run of bytes; objects are lists of them so multipart/append never rewrite data. */
export interface Segment {
  blob: string;
  size: number;
}

export type AclValue = 'default' | 'private' | 'public-read' | 'public-read-write';

export interface Grant {
  permission: string;
  /**
   * A CAM ID as GET ?acl reports it (`qcs::cam::uin/…:uin/…`; header `id="…"` values are converted, XML IDs kept as
   * sent) or a group URI (rendered as a Group grantee).
   */
  grantee: string;
}

export interface AclState {
  canned: AclValue;
  grants: Grant[];
}

export interface ObjectMeta {
  key: string;
  size: number;
  /** MD5 hex (or multipart form), without quotes. */
  etag: string;
  /** Unsigned decimal CRC-64/XZ of the whole object. */
  crc64: string;
  lastModified: number;
  type: 'normal' | 'appendable';
  storageClass: string;
  acl: AclState;
  /** Stored response headers (lowercase names): content-type, cache-control, x-cos-meta-*, ... */
  headers: Record<string, string>;
  segments: Segment[];
}

export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface LifecycleRule {
  id: string;
  status: 'Enabled' | 'Disabled';
  prefix: string;
  expirationDays?: number;
  expirationDate?: string;
  abortIncompleteDays?: number;
  /** Stored and returned only: the emulator keeps one copy of every object whatever its class. */
  transitions?: Array<{ days?: number; date?: string; storageClass: string }>;
}

export interface BucketMeta {
  name: string;
  created: number;
  acl: AclState;
  cors?: CorsRule[];
  lifecycle?: LifecycleRule[];
}

export interface PartMeta {
  partNumber: number;
  size: number;
  etag: string;
  crc64: string;
  lastModified: number;
  blob: string;
}

export interface UploadMeta {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number;
  storageClass: string;
  acl: AclState;
  headers: Record<string, string>;
  parts: Record<string, PartMeta>;
}

/** Receives a body chunk by chunk; nothing is visible until `commit`. */
export interface BlobSink {
  write(chunk: Buffer): Promise<void>;
  /** Makes the bytes durable and returns the blob id. */
  commit(): Promise<string>;
  abort(): Promise<void>;
}

/** Where bytes and metadata live: the only part that differs between `--dir` and `--memory`. */
export interface Backend {
  load(): Promise<{ buckets: BucketMeta[]; objects: Array<{ bucket: string; meta: ObjectMeta }>; uploads: UploadMeta[] }>;
  createSink(): Promise<BlobSink>;
  /** Bytes [start, end) of a blob. */
  readBlob(id: string, start: number, end: number): Readable;
  deleteBlob(id: string): Promise<void>;
  saveBucket(meta: BucketMeta): Promise<void>;
  deleteBucket(name: string): Promise<void>;
  saveObject(bucket: string, meta: ObjectMeta): Promise<void>;
  deleteObject(bucket: string, key: string): Promise<void>;
  saveUpload(meta: UploadMeta): Promise<void>;
  deleteUpload(uploadId: string): Promise<void>;
  /** Deletes stored blobs nobody references (bodies committed just before a crash). */
  collectGarbage(referenced: Set<string>): Promise<number>;
  clear(): Promise<void>;
  close(): Promise<void>;
}
