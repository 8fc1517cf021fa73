import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Backend, BlobSink, BucketMeta, ObjectMeta, UploadMeta } from './types.ts';

const ID_RE = /^[0-9a-f]{8,128}$/;
const BUCKET_NAME_RE = /^[a-z0-9][a-z0-9-]{0,60}$/;

/** Object keys are never path components: a key could be `../x`, absolute, or contain NUL. */
function keyFile(key: string): string {
  return `${createHash('sha256').update(key, 'utf8').digest('hex')}.json`;
}

function safeId(id: string): string {
  if (!ID_RE.test(id)) throw new Error(`refusing unsafe storage id ${JSON.stringify(id)}`);
  return id;
}

function safeBucket(name: string): string {
  if (!BUCKET_NAME_RE.test(name)) throw new Error(`refusing unsafe bucket name ${JSON.stringify(name)}`);
  return name;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * On-disk backend. Every write goes temp file -> fsync -> rename -> fsync(dir) so a crash leaves either the old or
 * the new version, never a torn one, and a 2xx is only sent after the rename is durable.
 */
export class DiskBackend implements Backend {
  private readonly tmp: string;
  private readonly blobs: string;
  private readonly bucketsDir: string;
  private readonly objectsDir: string;
  private readonly uploadsDir: string;

  constructor(readonly root: string) {
    this.tmp = join(root, 'tmp');
    this.blobs = join(root, 'blobs');
    this.bucketsDir = join(root, 'buckets');
    this.objectsDir = join(root, 'objects');
    this.uploadsDir = join(root, 'uploads');
  }

  private async writeJsonAtomic(dir: string, file: string, value: unknown): Promise<void> {
    const tmpPath = join(this.tmp, randomBytes(12).toString('hex'));
    const fh = await open(tmpPath, 'w');
    try {
      await fh.writeFile(JSON.stringify(value));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmpPath, join(dir, file));
    await fsyncDir(dir);
  }

  private async removeDurably(dir: string, file: string): Promise<void> {
    await rm(join(dir, file), { force: true });
    await fsyncDir(dir);
  }

  async load() {
    for (const d of [this.tmp, this.blobs, this.bucketsDir, this.objectsDir, this.uploadsDir]) {
      await mkdir(d, { recursive: true });
    }
    // Leftover temp files are bodies of requests that never got a 2xx.
    await rm(this.tmp, { recursive: true, force: true });
    await mkdir(this.tmp, { recursive: true });
    const readJsonDir = async <T>(dir: string): Promise<T[]> => {
      const out: T[] = [];
      for (const f of await readdir(dir)) {
        if (!f.endsWith('.json')) continue;
        out.push(JSON.parse(await readFile(join(dir, f), 'utf8')) as T);
      }
      return out;
    };
    const buckets = await readJsonDir<BucketMeta>(this.bucketsDir);
    const objects: Array<{ bucket: string; meta: ObjectMeta }> = [];
    for (const b of buckets) {
      const dir = join(this.objectsDir, safeBucket(b.name));
      await mkdir(dir, { recursive: true });
      for (const meta of await readJsonDir<ObjectMeta>(dir)) objects.push({ bucket: b.name, meta });
    }
    const uploads = await readJsonDir<UploadMeta>(this.uploadsDir);
    return { buckets, objects, uploads };
  }

  async createSink(): Promise<BlobSink> {
    const id = randomBytes(16).toString('hex');
    const tmpPath = join(this.tmp, id);
    const fh = await open(tmpPath, 'w');
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await fh.close();
      }
    };
    return {
      write: async (chunk) => {
        await fh.write(chunk);
      },
      commit: async () => {
        await fh.sync();
        await close();
        await rename(tmpPath, join(this.blobs, id));
        await fsyncDir(this.blobs);
        return id;
      },
      abort: async () => {
        await close();
        await rm(tmpPath, { force: true });
      },
    };
  }

  readBlob(id: string, start: number, end: number): Readable {
    if (end <= start) return Readable.from([]);
    return createReadStream(join(this.blobs, safeId(id)), { start, end: end - 1, highWaterMark: 64 * 1024 });
  }

  async deleteBlob(id: string) {
    await rm(join(this.blobs, safeId(id)), { force: true });
  }

  async saveBucket(meta: BucketMeta) {
    await mkdir(join(this.objectsDir, safeBucket(meta.name)), { recursive: true });
    await this.writeJsonAtomic(this.bucketsDir, `${safeBucket(meta.name)}.json`, meta);
  }

  async deleteBucket(name: string) {
    await this.removeDurably(this.bucketsDir, `${safeBucket(name)}.json`);
    await rm(join(this.objectsDir, safeBucket(name)), { recursive: true, force: true });
  }

  async saveObject(bucket: string, meta: ObjectMeta) {
    await this.writeJsonAtomic(join(this.objectsDir, safeBucket(bucket)), keyFile(meta.key), meta);
  }

  async deleteObject(bucket: string, key: string) {
    await this.removeDurably(join(this.objectsDir, safeBucket(bucket)), keyFile(key));
  }

  async saveUpload(meta: UploadMeta) {
    await this.writeJsonAtomic(this.uploadsDir, `${safeId(meta.uploadId)}.json`, meta);
  }

  async deleteUpload(uploadId: string) {
    await this.removeDurably(this.uploadsDir, `${safeId(uploadId)}.json`);
  }

  async collectGarbage(referenced: Set<string>) {
    let n = 0;
    for (const f of await readdir(this.blobs)) {
      if (ID_RE.test(f) && !referenced.has(f)) {
        await rm(join(this.blobs, f), { force: true });
        n++;
      }
    }
    return n;
  }

  async clear() {
    for (const d of [this.blobs, this.bucketsDir, this.objectsDir, this.uploadsDir, this.tmp]) {
      await rm(d, { recursive: true, force: true });
      await mkdir(d, { recursive: true });
    }
  }

  async close() {}
}
