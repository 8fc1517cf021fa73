/**
 * The hash measurements, environment-agnostic: the same module runs in Node and, bundled, inside a browser Web Worker
 * (see hash.ts). Every case hashes the same bytes fed in 1 MiB chunks, the way a part is read from Blob slices.
 */

import { createCRC64, createMD5 } from 'hash-wasm';
import SparkMD5 from 'spark-md5';
import { Crc64 } from '../../packages/core/src/checksum/crc64.ts';
import { Md5 } from '../../packages/core/src/checksum/md5.ts';

export interface HashCaseResult {
  name: string;
  /** Bytes hashed per timed run. */
  bytes: number;
  /** Best of the timed runs, 10^6 bytes per second. */
  mbPerSec: number;
  /** Hex (MD5) or decimal (CRC) result, to check the implementations agree. */
  digest: string;
}

export interface HashBenchOptions {
  /** @default 64 */
  sizeMiB?: number;
  /** @default 1 */
  chunkMiB?: number;
  /** Timed runs per case; the best counts (other work on the machine only ever slows a run down). @default 5 */
  runs?: number;
  /** Size for the BigInt-per-byte baseline, which is too slow for the full size. @default 2 */
  baselineMiB?: number;
}

/** Deterministic pseudo-random bytes (xorshift32), identical in every environment. */
export function benchData(size: number): Uint8Array {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >>> 2);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return out;
}

/** What a straightforward JS CRC-64 does: one 256-entry BigInt table, BigInt arithmetic per byte. */
function bigintTableCrc64(): { update(b: Uint8Array): void; digest(): string } {
  const table: bigint[] = [];
  for (let n = 0n; n < 256n; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0xc96c5795d7870f42n : c >> 1n;
    table.push(c);
  }
  let crc = 0xffffffffffffffffn;
  return {
    update(b) {
      for (let i = 0; i < b.length; i++) crc = table[Number((crc ^ BigInt(b[i]!)) & 0xffn)]! ^ (crc >> 8n);
    },
    digest: () => (crc ^ 0xffffffffffffffffn).toString(),
  };
}

type Case = { name: string; baseline?: boolean; run(data: Uint8Array, chunk: number): string | Promise<string> };

function chunks(data: Uint8Array, chunk: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p < data.length; p += chunk) out.push(data.subarray(p, p + chunk));
  return out;
}

const cases: Case[] = [
  {
    name: 'coskit crc64 (JS slicing-by-16)',
    run(data, chunk) {
      const h = new Crc64();
      for (const c of chunks(data, chunk)) h.update(c);
      return h.digest();
    },
  },
  {
    name: 'hash-wasm crc64 (WASM)',
    async run(data, chunk) {
      const h = await createCRC64();
      for (const c of chunks(data, chunk)) h.update(c);
      return BigInt(`0x${h.digest()}`).toString();
    },
  },
  {
    name: 'BigInt table crc64 (naive JS)',
    baseline: true,
    run(data, chunk) {
      const h = bigintTableCrc64();
      for (const c of chunks(data, chunk)) h.update(c);
      return h.digest();
    },
  },
  {
    name: 'coskit md5 (JS)',
    run(data, chunk) {
      const h = new Md5();
      for (const c of chunks(data, chunk)) h.update(c);
      return h.digestHex();
    },
  },
  {
    name: 'spark-md5 (ArrayBuffer API)',
    run(data, chunk) {
      const h = new SparkMD5.ArrayBuffer();
      // spark-md5 takes ArrayBuffers; slice() is the copy a caller makes from a Blob slice's bytes anyway.
      for (const c of chunks(data, chunk)) h.append(c.slice().buffer);
      return h.end();
    },
  },
  {
    name: 'hash-wasm md5 (WASM)',
    async run(data, chunk) {
      const h = await createMD5();
      for (const c of chunks(data, chunk)) h.update(c);
      return h.digest();
    },
  },
];

/** Runs every case and returns MB/s; `extra` adds environment-specific cases (node:crypto in Node). */
export async function runHashBench(options: HashBenchOptions = {}, extra: Case[] = []): Promise<HashCaseResult[]> {
  const size = (options.sizeMiB ?? 64) * 2 ** 20;
  const chunk = (options.chunkMiB ?? 1) * 2 ** 20;
  const runs = options.runs ?? 5;
  const data = benchData(size);
  const small = data.subarray(0, (options.baselineMiB ?? 2) * 2 ** 20);
  const results: HashCaseResult[] = [];
  for (const c of [...cases, ...extra]) {
    const input = c.baseline ? small : data;
    // Warm-up with many small calls, so the JIT optimizes the update functions themselves and not just one hot loop.
    await c.run(data.subarray(0, (c.baseline ? 1 : 8) * 2 ** 20), 64 * 1024);
    let best = Infinity;
    let digest = '';
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      digest = await c.run(input, chunk);
      best = Math.min(best, performance.now() - t0);
    }
    results.push({ name: c.name, bytes: input.length, mbPerSec: input.length / 1e6 / (best / 1000), digest });
  }
  return results;
}

export type { Case as HashCase };
