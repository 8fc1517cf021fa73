/**
 * The default `Hasher`: CRC-64 (and MD5 when asked) on the calling thread, read in 1 MiB chunks so no single task
 * blocks for long. In browsers, prefer the Web Worker pool from @coskit/uploader: it keeps hashing off the page.
 */
import { Crc64 } from '../checksum/crc64.ts';
import { Md5 } from '../checksum/md5.ts';
import type { HashOptions, HashResult, Hasher } from './types.ts';

/** 1 MiB of CRC-64 + MD5 takes a few ms: short enough to keep tasks far below the 50 ms long-task mark. */
const CHUNK = 1024 * 1024;

/** Hashes Blob slices on the current thread (browsers, workers, Node 20). */
export class MainThreadHasher implements Hasher {
  async hash(blob: Blob, options: HashOptions = {}): Promise<HashResult> {
    const crc = new Crc64();
    const md5 = options.md5 ? new Md5() : undefined;
    for (let at = 0; at < blob.size; at += CHUNK) {
      options.signal?.throwIfAborted();
      // Each await on arrayBuffer() yields to the event loop between chunks.
      const bytes = new Uint8Array(await blob.slice(at, at + CHUNK).arrayBuffer());
      crc.update(bytes);
      md5?.update(bytes);
    }
    options.signal?.throwIfAborted();
    const result: HashResult = { crc64: crc.digest() };
    if (md5) {
      result.md5 = md5.digestBase64();
      result.md5Hex = md5.digestHex();
    }
    return result;
  }
}

let shared: MainThreadHasher | undefined;

/** The process-wide default hasher (stateless, so one instance serves every transfer). */
export function defaultHasher(): Hasher {
  shared ??= new MainThreadHasher();
  return shared;
}
