/// <reference types="mocha" />
import { expect } from 'chai';
import { crc64, md5Base64, md5Hex, isCosClientError } from '@coskit/core';
import { WorkerHasher } from '../src/workers/pool.ts';

const MiB = 1024 * 1024;

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  return bytes;
}

function moduleWorker(): Worker {
  return new Worker(new URL('../src/workers/hash.worker.ts', import.meta.url), { type: 'module' });
}

/** Long tasks (> 50 ms) on this page while `fn` runs. */
async function longTasksDuring(fn: () => Promise<unknown>): Promise<number[]> {
  const seen: number[] = [];
  // The task calling this one (e.g. one that just filled a big test buffer) would be reported too: skip it.
  const start = performance.now();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.startTime >= start) seen.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  try {
    await fn();
    // Entries are delivered asynchronously: let the observer catch up.
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    observer.disconnect();
  }
  return seen;
}

describe('WorkerHasher', () => {
  it('hashes in a worker and agrees with core crc64/md5, from 0 B to multi-MiB', async () => {
    const hasher = new WorkerHasher();
    expect(hasher.mode).to.equal('pending');
    try {
      for (const size of [0, 1, 7, 8, 65_537, MiB + 3, 5 * MiB + 17]) {
        const bytes = randomBytes(size);
        const result = await hasher.hash(new Blob([bytes]), { md5: true });
        expect(result, `size ${size}`).to.deep.equal({ crc64: crc64(bytes), md5: md5Base64(bytes), md5Hex: md5Hex(bytes) });
      }
      expect(hasher.mode).to.equal('worker');
      const plain = await hasher.hash(new Blob(['123456789']));
      expect(plain).to.deep.equal({ crc64: '11051210869376104954' });
    } finally {
      hasher.dispose();
    }
  });

  it('starts workers lazily and runs jobs in parallel across the pool', async () => {
    let started = 0;
    const hasher = new WorkerHasher({
      size: 2,
      createWorker: () => {
        started++;
        return moduleWorker();
      },
    });
    expect(started, 'no worker before the first job').to.equal(0);
    try {
      const inputs = Array.from({ length: 6 }, (_, i) => randomBytes(MiB + i * 1000));
      const results = await Promise.all(inputs.map((bytes) => hasher.hash(new Blob([bytes]), { md5: true })));
      results.forEach((r, i) => {
        expect(r.crc64, `job ${i}`).to.equal(crc64(inputs[i]!));
        expect(r.md5Hex, `job ${i}`).to.equal(md5Hex(inputs[i]!));
      });
      expect(started).to.equal(2);
    } finally {
      hasher.dispose();
    }
  });

  it('keeps the page responsive while workers hash 32 MiB', async () => {
    const hasher = new WorkerHasher({ size: 1, createWorker: moduleWorker });
    const blob = new Blob([randomBytes(32 * MiB)]);
    await hasher.hash(new Blob(['warm-up']));
    try {
      const longTasks = await longTasksDuring(() => hasher.hash(blob, { md5: true }));
      expect(longTasks).to.deep.equal([]);
    } finally {
      hasher.dispose();
    }
  });

  it('aborts: a waiting job and a running job reject with the reason, and the pool keeps working', async () => {
    const hasher = new WorkerHasher({ size: 1, createWorker: moduleWorker });
    try {
      const big = new Blob([randomBytes(48 * MiB)]);
      const running = new AbortController();
      const queued = new AbortController();
      const first = hasher.hash(big, { md5: true, signal: running.signal });
      const second = hasher.hash(big, { signal: queued.signal });
      const settled = Promise.allSettled([first, second]);
      const reasonA = new Error('stop running');
      const reasonB = new Error('stop queued');
      queued.abort(reasonB);
      await new Promise((r) => setTimeout(r, 20));
      running.abort(reasonA);
      const [a, b] = await settled;
      expect(a).to.deep.equal({ status: 'rejected', reason: reasonA });
      expect(b).to.deep.equal({ status: 'rejected', reason: reasonB });

      const already = AbortSignal.abort(new Error('before'));
      const pre = await hasher.hash(new Blob(['x']), { signal: already }).catch((e: unknown) => e);
      expect((pre as Error).message).to.equal('before');

      const bytes = randomBytes(3 * MiB);
      expect((await hasher.hash(new Blob([bytes]))).crc64).to.equal(crc64(bytes));
    } finally {
      hasher.dispose();
    }
  });

  it('falls back to hashing in the page when a worker cannot be created, without long tasks', async () => {
    const hasher = new WorkerHasher({
      createWorker: () => {
        throw new DOMException('blocked by CSP', 'SecurityError');
      },
    });
    const bytes = randomBytes(24 * MiB + 5);
    const blob = new Blob([bytes]);
    let result: Awaited<ReturnType<WorkerHasher['hash']>> | undefined;
    const longTasks = await longTasksDuring(async () => {
      result = await hasher.hash(blob, { md5: true });
    });
    expect(hasher.mode).to.equal('main-thread');
    expect(result).to.deep.equal({ crc64: crc64(bytes), md5: md5Base64(bytes), md5Hex: md5Hex(bytes) });
    expect(longTasks, 'in-page hashing yields before 50 ms').to.deep.equal([]);
    expect(await hasher.hash(new Blob([]))).to.deep.equal({ crc64: '0' });
  });

  it('falls back when the worker script fails to load, re-running the jobs it had', async () => {
    const hasher = new WorkerHasher({ size: 2, createWorker: () => new Worker('/does-not-exist/hash.worker.js', { type: 'module' }) });
    const inputs = [randomBytes(1000), randomBytes(2 * MiB), randomBytes(10)];
    const results = await Promise.all(inputs.map((b) => hasher.hash(new Blob([b]))));
    expect(results.map((r) => r.crc64)).to.deep.equal(inputs.map((b) => crc64(b)));
    expect(hasher.mode).to.equal('main-thread');
  });

  it('fails with UnsupportedEnvironment when workers cannot start and fallback is off', async () => {
    const hasher = new WorkerHasher({
      fallback: false,
      createWorker: () => {
        throw new Error('no workers here');
      },
    });
    const error = await hasher.hash(new Blob(['abc'])).catch((e: unknown) => e);
    expect(isCosClientError(error) && error.code).to.equal('UnsupportedEnvironment');
  });

  it('rejects bad input with InvalidArgument before doing anything', async () => {
    expect(() => new WorkerHasher({ size: 0 })).to.throw(/size/);
    expect(() => new WorkerHasher({ sise: 2 } as never)).to.throw(/unknown option "sise"/);
    const hasher = new WorkerHasher({ createWorker: moduleWorker });
    const notBlob = await hasher.hash('abc' as never).catch((e: unknown) => e);
    expect(isCosClientError(notBlob) && notBlob.code).to.equal('InvalidArgument');
    const badOption = await hasher.hash(new Blob(['a']), { sha1: true } as never).catch((e: unknown) => e);
    expect(isCosClientError(badOption) && badOption.code).to.equal('InvalidArgument');
    expect(hasher.mode).to.equal('pending');
  });
});
