import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { drained } from '../http/drain.ts';
import type { Backend, BlobSink, BucketMeta, ObjectMeta, Segment, UploadMeta } from './types.ts';

/** Orders keys the way COS lists them: by UTF-8 bytes, not UTF-16 code units. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The emulator's single view of state: an in-memory index over a Backend that persists it.
 * Mutations update the index, then await the durable write, so callers answer 2xx only after the backend did.
 */
export class Store {
  private readonly buckets = new Map<string, BucketMeta>();
  private readonly objects = new Map<string, Map<string, ObjectMeta>>();
  private readonly uploads = new Map<string, UploadMeta>();
  private readonly sorted = new Map<string, string[]>();
  // Writes of one metadata file are chained so an older snapshot can never be renamed over a newer one.
  private readonly chains = new Map<string, Promise<void>>();

  constructor(readonly backend: Backend) {}

  async init(): Promise<void> {
    const state = await this.backend.load();
    for (const b of state.buckets) {
      this.buckets.set(b.name, b);
      this.objects.set(b.name, new Map());
    }
    for (const { bucket, meta } of state.objects) this.objects.get(bucket)?.set(meta.key, meta);
    for (const u of state.uploads) this.uploads.set(u.uploadId, u);
    // Only at start, when no request can be between "blob committed" and "metadata saved".
    const referenced = new Set<string>();
    for (const m of this.objects.values()) for (const o of m.values()) for (const s of o.segments) referenced.add(s.blob);
    for (const u of this.uploads.values()) for (const p of Object.values(u.parts)) referenced.add(p.blob);
    await this.backend.collectGarbage(referenced);
  }

  private serial(id: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.chains.set(id, next);
    void next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    }).catch(() => {});
    return next;
  }

  createSink(): Promise<BlobSink> {
    return this.backend.createSink();
  }

  /** Bytes [start, end) of an object made of segments, as one stream. */
  readObject(meta: ObjectMeta, start: number, end: number): Readable {
    return this.readSegments(meta.segments, start, end);
  }

  readSegments(segments: Segment[], start: number, end: number): Readable {
    const out = new PassThrough({ highWaterMark: 64 * 1024 });
    const backend = this.backend;
    void (async () => {
      let offset = 0;
      for (const seg of segments) {
        const segStart = offset;
        const segEnd = offset + seg.size;
        offset = segEnd;
        if (segEnd <= start || segStart >= end || seg.size === 0) continue;
        const from = Math.max(start, segStart) - segStart;
        const to = Math.min(end, segEnd) - segStart;
        for await (const chunk of backend.readBlob(seg.blob, from, to)) {
          if (!out.write(chunk)) await drained(out);
          if (out.destroyed) return;
        }
      }
      out.end();
    })().catch((e: unknown) => out.destroy(e as Error));
    return out;
  }

  async deleteBlobs(segments: Segment[], keep: Segment[] = []): Promise<void> {
    const kept = new Set(keep.map((s) => s.blob));
    for (const s of segments) if (!kept.has(s.blob)) await this.backend.deleteBlob(s.blob);
  }

  // Buckets
  listBuckets(): BucketMeta[] {
    return [...this.buckets.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  getBucket(name: string): BucketMeta | undefined {
    return this.buckets.get(name);
  }
  async saveBucket(meta: BucketMeta): Promise<void> {
    this.buckets.set(meta.name, meta);
    if (!this.objects.has(meta.name)) this.objects.set(meta.name, new Map());
    await this.serial(`b:${meta.name}`, () => this.backend.saveBucket(meta));
  }
  async deleteBucket(name: string): Promise<void> {
    this.buckets.delete(name);
    this.objects.delete(name);
    this.sorted.delete(name);
    await this.serial(`b:${name}`, () => this.backend.deleteBucket(name));
  }
  objectCount(bucket: string): number {
    return this.objects.get(bucket)?.size ?? 0;
  }

  // Objects
  getObject(bucket: string, key: string): ObjectMeta | undefined {
    return this.objects.get(bucket)?.get(key);
  }

  /** Replaces (or creates) an object, then frees the bytes the old version no longer shares. */
  async putObject(bucket: string, meta: ObjectMeta): Promise<void> {
    const map = this.objects.get(bucket);
    if (!map) throw new Error(`no bucket ${bucket}`);
    const old = map.get(meta.key);
    map.set(meta.key, meta);
    if (!old) this.sorted.delete(bucket);
    await this.serial(`o:${bucket}/${meta.key}`, () => this.backend.saveObject(bucket, meta));
    if (old) await this.deleteBlobs(old.segments, meta.segments);
  }

  async deleteObject(bucket: string, key: string): Promise<boolean> {
    const map = this.objects.get(bucket);
    const old = map?.get(key);
    if (!map || !old) return false;
    map.delete(key);
    this.sorted.delete(bucket);
    await this.serial(`o:${bucket}/${key}`, () => this.backend.deleteObject(bucket, key));
    await this.deleteBlobs(old.segments);
    return true;
  }

  sortedKeys(bucket: string): string[] {
    let keys = this.sorted.get(bucket);
    if (!keys) {
      keys = [...(this.objects.get(bucket)?.keys() ?? [])].sort(compareKeys);
      this.sorted.set(bucket, keys);
    }
    return keys;
  }

  // Multipart uploads
  getUpload(uploadId: string): UploadMeta | undefined {
    return this.uploads.get(uploadId);
  }
  async saveUpload(meta: UploadMeta): Promise<void> {
    this.uploads.set(meta.uploadId, meta);
    await this.serial(`u:${meta.uploadId}`, () => this.backend.saveUpload(meta));
  }
  async removeUpload(uploadId: string, freeParts: boolean): Promise<void> {
    const meta = this.uploads.get(uploadId);
    this.uploads.delete(uploadId);
    await this.serial(`u:${uploadId}`, () => this.backend.deleteUpload(uploadId));
    if (meta && freeParts) {
      for (const p of Object.values(meta.parts)) await this.backend.deleteBlob(p.blob);
    }
  }
  listUploads(bucket: string): UploadMeta[] {
    return [...this.uploads.values()].filter((u) => u.bucket === bucket);
  }

  async clear(): Promise<void> {
    this.buckets.clear();
    this.objects.clear();
    this.uploads.clear();
    this.sorted.clear();
    await this.backend.clear();
  }
}
