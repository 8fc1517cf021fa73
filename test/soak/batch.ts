/**
 * The fault batch, shared by the CI test (`test/browser/reliability-faults.test.ts`, ~50 uploads) and `npm run soak`
 * (hundreds, in a playwright-driven page): random sizes and unicode keys from a seeded PRNG, uploaded through
 * `client.uploadFile` while the emulator injects 500s, SlowDowns, resets mid-body, latency and lost responses
 * (parts, simple PUTs and Complete). Each finished object is downloaded and compared byte for byte and by CRC-64
 * with its source; at the end the prefix is listed (nothing lost, nothing extra) and its multipart uploads counted
 * (none may be left).
 */
import { crc64, type CosClient, type Hasher } from '@coskit/core';
import { diffStats, FAULT_KINDS, type EmulatorAdmin, type FaultRule } from '../support/faults.ts';

const MiB = 1024 * 1024;

/** mulberry32: small, seedable; the batch's sizes, names and bytes all come from it. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` pseudo-random bytes from `seed` (xorshift32 words): cheap to regenerate, distinct per seed. */
export function seededBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >>> 2);
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < size; i++) out[i] = (i * 131 + seed) & 0xff;
  return out;
}

/**
 * Name pieces COS accepts and that URL handling likes to break: unicode, spaces, `#?%+&=`, quotes, RTL text,
 * emoji, `..` inside a name and as a whole path segment (the key is then sent with `/` encoded).
 */
const PIECES = [
  '报告 2026',
  'naïve café',
  'emoji 😀🎉',
  'two  spaces ',
  'hash#tag',
  'why?',
  '100%',
  '50% off?#x',
  'plus+and&eq=1',
  "it's (x)!",
  'Ωmega≈√',
  'עברית',
  'a..b',
  '~tilde*',
  'percent %41%2F',
];

/** One planned upload: its key, size and byte seed. */
export interface PlannedUpload {
  index: number;
  key: string;
  size: number;
  seed: number;
}

/** The batch's uploads: the first is 0 B, the second `maxSize`, the rest small, simple-PUT-sized or multipart. */
export function planUploads(prefix: string, count: number, seed: number, maxSize: number, sliceThreshold: number): PlannedUpload[] {
  const random = prng(seed);
  const pick = () => PIECES[Math.floor(random() * PIECES.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  return Array.from({ length: count }, (_, index) => {
    const r = random();
    const size =
      index === 0 ? 0 : index === 1 ? maxSize : r < 0.35 ? between(1, 64 * 1024) : r < 0.65 ? between(64 * 1024, sliceThreshold) : between(sliceThreshold + 1, maxSize);
    const dots = random() < 0.2 ? '../' : '';
    const key = `${prefix}${String(index).padStart(4, '0')} ${pick()}/${dots}${pick()}.bin`;
    return { index, key, size, seed: (seed * 7919 + index * 104_729) >>> 0 };
  });
}

/**
 * The faults of the batch, on the batch's prefix only. A lost answer to InitiateMultipartUpload is left out on
 * purpose: it creates an upload the client never learns about, which only a lifecycle rule can clean up (COS
 * behaves the same), so "no orphaned upload" could not be asserted.
 */
export function batchFaults(prefix: string, rate: number): FaultRule[] {
  const onWrites = ['PutObject', 'UploadPart'].flatMap((op): FaultRule[] => [
    { op, key: prefix, kind: 'error500', probability: rate },
    { op, key: prefix, kind: 'slowDown', probability: rate },
    { op, key: prefix, kind: 'reset', probability: rate },
    { op, key: prefix, kind: 'lostResponse', probability: rate },
    { op, key: prefix, kind: 'delay', probability: 2 * rate, delayMs: 150 },
  ]);
  return [
    ...onWrites,
    { op: 'InitiateMultipartUpload', key: prefix, kind: 'error500', probability: rate },
    { op: 'InitiateMultipartUpload', key: prefix, kind: 'slowDown', probability: rate },
    { op: 'CompleteMultipartUpload', key: prefix, kind: 'lostResponse', probability: Math.min(0.5, 6 * rate) },
    { op: 'CompleteMultipartUpload', key: prefix, kind: 'error500', probability: rate },
  ];
}

export interface FaultBatchOptions {
  client: CosClient;
  admin: EmulatorAdmin;
  /** Every key starts with it (and faults are limited to it); end it with `/`. */
  prefix: string;
  /** Uploads to attempt. */
  uploads: number;
  seed: number;
  /** No upload starts after this many seconds (the ones running finish). @default Infinity */
  seconds?: number;
  /** Largest file. @default 12 MiB */
  maxSize?: number;
  /** Files up to this size go in one PUT. @default 2 MiB */
  sliceThreshold?: number;
  /** @default 1 MiB */
  partSize?: number;
  /** Parts in flight per file. @default 3 */
  concurrency?: number;
  /** Files in flight. @default 3 */
  files?: number;
  /** Probability of each fault kind on each write request. @default 0.05 */
  faultRate?: number;
  hasher?: Hasher;
  log?: (line: string) => void;
}

/** What the batch did and found; `orphanedUploads`, `lost`, `corrupted` and `failed` must all be empty/0. */
export interface FaultBatchFigures {
  attempted: number;
  completed: number;
  byteIdentical: number;
  bytes: number;
  /** Write requests the emulator answered beyond the minimum the uploads needed (pipeline and browser re-sends). */
  retries: number;
  faults: Record<string, number>;
  requests: Record<string, number>;
  orphanedUploads: number;
  lost: string[];
  corrupted: string[];
  unexpected: string[];
  failed: Array<{ key: string; size: number; code: string; message: string }>;
  elapsedS: number;
}

const WRITE_OPS = ['PutObject', 'UploadPart', 'InitiateMultipartUpload', 'CompleteMultipartUpload'];

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs the batch (see the module comment); faults are cleared again before it returns. */
export async function runFaultBatch(options: FaultBatchOptions): Promise<FaultBatchFigures> {
  const { client, admin, prefix } = options;
  const maxSize = options.maxSize ?? 12 * MiB;
  const sliceThreshold = options.sliceThreshold ?? 2 * MiB;
  const partSize = options.partSize ?? MiB;
  const deadline = performance.now() + (options.seconds ?? Number.POSITIVE_INFINITY) * 1000;
  const log = options.log ?? (() => undefined);
  const plan = planUploads(prefix, options.uploads, options.seed, maxSize, sliceThreshold);
  const figures: FaultBatchFigures = {
    attempted: 0, completed: 0, byteIdentical: 0, bytes: 0, retries: 0, faults: {}, requests: {},
    orphanedUploads: 0, lost: [], corrupted: [], unexpected: [], failed: [], elapsedS: 0,
  };
  const completedKeys = new Set<string>();
  let minimumRequests = 0;
  const started = performance.now();
  await admin.setFaults({ seed: options.seed, rules: batchFaults(prefix, options.faultRate ?? 0.05) });
  const before = await admin.stats();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length && performance.now() < deadline) {
      const job = plan[next++]!;
      figures.attempted++;
      const source = seededBytes(job.size, job.seed);
      const multipart = job.size > sliceThreshold;
      minimumRequests += multipart ? 2 + Math.ceil(job.size / partSize) : 1;
      try {
        const result = await client.uploadFile({
          key: job.key,
          file: new File([source], `${job.index}.bin`, { lastModified: 1_700_000_000_000 + job.index }),
          sliceThreshold,
          partSize,
          concurrency: options.concurrency ?? 3,
          ...(options.hasher ? { hasher: options.hasher } : {}),
        }).done;
        figures.completed++;
        figures.bytes += job.size;
        completedKeys.add(job.key);
        const local = crc64(source);
        const got = await client.getObject({ key: job.key, as: 'arrayBuffer' });
        const stored = new Uint8Array(got.body);
        if (result.crc64 === local && got.crc64 === local && crc64(stored) === local && sameBytes(stored, source)) figures.byteIdentical++;
        else figures.corrupted.push(job.key);
      } catch (error) {
        const e = error as { code?: string; message?: string };
        figures.failed.push({ key: job.key, size: job.size, code: String(e.code ?? (error as Error)?.name), message: String(e.message ?? error) });
      }
      if (figures.attempted % 25 === 0) log(`${figures.attempted} attempted, ${figures.completed} completed, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.files ?? 3 }, worker));
  } finally {
    await admin.clearFaults();
  }
  const delta = diffStats(before, await admin.stats());
  figures.requests = delta.requests;
  for (const kind of FAULT_KINDS) figures.faults[kind] = delta.faults[kind] ?? 0;
  const writes = WRITE_OPS.reduce((sum, op) => sum + (delta.requests[op] ?? 0), 0);
  figures.retries = writes - minimumRequests;
  const listed = new Set<string>();
  for await (const object of client.listAllObjects({ prefix })) listed.add(object.key);
  figures.lost = [...completedKeys].filter((key) => !listed.has(key));
  const planned = new Set(plan.map((p) => p.key));
  figures.unexpected = [...listed].filter((key) => !planned.has(key) || !completedKeys.has(key));
  figures.orphanedUploads = (await client.listMultipartUploads({ prefix })).uploads.length;
  figures.elapsedS = (performance.now() - started) / 1000;
  return figures;
}
