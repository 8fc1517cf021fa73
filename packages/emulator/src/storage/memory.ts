import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Backend, BlobSink } from './types.ts';

/** RAM backend for tests: metadata lives only in the Store index, bytes in this map. */
export class MemoryBackend implements Backend {
  private readonly blobs = new Map<string, Buffer>();

  async load() {
    return { buckets: [], objects: [], uploads: [] };
  }

  async createSink(): Promise<BlobSink> {
    const chunks: Buffer[] = [];
    return {
      write: async (chunk) => {
        chunks.push(chunk);
      },
      commit: async () => {
        const id = randomBytes(12).toString('hex');
        this.blobs.set(id, Buffer.concat(chunks));
        return id;
      },
      abort: async () => {
        chunks.length = 0;
      },
    };
  }

  readBlob(id: string, start: number, end: number): Readable {
    const buf = this.blobs.get(id) ?? Buffer.alloc(0);
    const slice = buf.subarray(start, end);
    const pieces: Buffer[] = [];
    // Small pieces so throttling and mid-body faults behave as with a file stream.
    for (let i = 0; i < slice.length; i += 64 * 1024) pieces.push(slice.subarray(i, i + 64 * 1024));
    return Readable.from(pieces);
  }

  async deleteBlob(id: string) {
    this.blobs.delete(id);
  }
  async saveBucket() {}
  async deleteBucket() {}
  async saveObject() {}
  async deleteObject() {}
  async saveUpload() {}
  async deleteUpload() {}
  async collectGarbage(referenced: Set<string>) {
    let n = 0;
    for (const id of [...this.blobs.keys()]) {
      if (!referenced.has(id)) {
        this.blobs.delete(id);
        n++;
      }
    }
    return n;
  }
  async clear() {
    this.blobs.clear();
  }
  async close() {}
}
