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

/** A Blob whose stream hands over all its bytes in one chunk. */
class OneChunkBlob extends Blob {
  constructor(private readonly data: Uint8Array<ArrayBuffer>) {
    super([data]);
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const { data } = this;
    return new ReadableStream({
      start(controller) {
        controller.enqueue(data);
        controller.close();
      },
    });
  }
}

function moduleWorker(): Worker {
  return new Worker(new URL('../src/workers/hash.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * How many times the page's event loop got a turn while `fn` ran: a message ping-pong that only advances when the
 * main thread is free between tasks. Counting turns, unlike the Long Tasks API, does not depend on how busy the
 * machine is (this runs on shared CI boxes where the renderer is preempted at random).
 */
async function turnsDuring(fn: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    turns++;
    if (running) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  try {
    await fn();
  } finally {
    running = false;
    channel.port1.close();
  }
  return turns;
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

  it('leaves the main thread free while workers hash 32 MiB', async () => {
    const hasher = new WorkerHasher({ size: 1, createWorker: moduleWorker });
    const blob = new Blob([randomBytes(32 * MiB)]);
    await hasher.hash(new Blob(['warm-up']));
    try {
      // Hashing in the page, even in 8 ms slices, leaves one turn per slice; a free main thread takes thousands.
      expect(await turnsDuring(() => hasher.hash(blob, { md5: true }))).to.be.greaterThan(200);
      expect(hasher.mode).to.equal('worker');
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

  it('falls back to hashing in the page when a worker cannot be created, yielding to the page as it goes', async () => {
    const hasher = new WorkerHasher({
      createWorker: () => {
        throw new DOMException('blocked by CSP', 'SecurityError');
      },
    });
    const bytes = randomBytes(24 * MiB + 5);
    // Delivered as one 24 MiB chunk, so reads never yield: only hashing that yields by itself lets the page run.
    let result: Awaited<ReturnType<WorkerHasher['hash']>> | undefined;
    const turns = await turnsDuring(async () => {
      result = await hasher.hash(new OneChunkBlob(bytes), { md5: true });
    });
    expect(hasher.mode).to.equal('main-thread');
    expect(result).to.deep.equal({ crc64: crc64(bytes), md5: md5Base64(bytes), md5Hex: md5Hex(bytes) });
    // Tens of ms of work at the very least, in slices of 8 ms: the page gets turns in between (none without yields).
    expect(turns, 'in-page hashing yields to the event loop').to.be.at.least(3);
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

  it('reports a file that changed on disk after it was picked as a typed error, from the worker and in the page', async () => {
    const dir = await navigator.storage.getDirectory();
    const name = `coskit-hasher-${Date.now()}.bin`;
    const handle = await dir.getFileHandle(name, { create: true });
    const write = async (size: number) => {
      const w = await handle.createWritable();
      await w.write(randomBytes(size));
      await w.close();
    };
    await write(MiB);
    const picked = await handle.getFile();
    // A different length changes the snapshot for sure (a same-size rewrite may keep the same mtime second).
    await write(MiB + 1);
    const inWorker = new WorkerHasher({ createWorker: moduleWorker });
    const inPage = new WorkerHasher({
      createWorker: () => {
        throw new Error('no workers');
      },
    });
    try {
      for (const hasher of [inWorker, inPage]) {
        const error = await hasher.hash(picked).catch((e: unknown) => e);
        expect(isCosClientError(error) && error.code, hasher.mode).to.equal('FileUnreadable');
        expect((error as Error).message).to.match(/NotReadableError/);
      }
      expect(inWorker.mode).to.equal('worker');
      expect(inPage.mode).to.equal('main-thread');
    } finally {
      inWorker.dispose();
      await dir.removeEntry(name);
    }
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
