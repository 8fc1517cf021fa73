/**
 * downloadFile against the emulator: whole and ranged GETs, ordered streaming with a bounded reorder buffer, the
 * CRC-64 check (a byte flipped in transit by msw), ObjectChanged when the object is replaced mid-download, pause /
 * resume, and resume across sessions into a seekable file (OPFS FileSystemWritableFileStream).
 */
import { expect } from 'chai';
import { bypass, http, passthrough } from 'msw';
import { crc64, isCosClientError, isCosServiceError, MemoryResumeStore, type CosClient, type DownloadRecord, type TransferRecord } from '@coskit/core';
import type { TestEnv } from '../support/env.ts';
import { mswWorker } from '../support/msw.ts';
import { countRequests, emulatorClient, fileOf, MiB, runPrefix, sameBytes, setFaults, sleep, stats } from './transfer-helpers.ts';

let env: TestEnv;
let client: CosClient;
const run = runPrefix('download');

before(async () => {
  ({ env, client } = await emulatorClient());
});
afterEach(async () => {
  await setFaults(env, []);
  (await mswWorker()).resetHandlers();
});

async function put(name: string, size: number, seed: number): Promise<{ key: string; file: File }> {
  const key = `${run}${name}`;
  const file = fileOf(size, seed);
  await client.putObject({ key, body: file });
  return { key, file };
}

describe('downloadFile: whole and ranged', () => {
  it('one GET for a small object, into a Blob, CRC-64 checked', async () => {
    const { key, file } = await put('small.bin', 300_000, 41);
    const { value: result, count } = await countRequests(env, () => client.downloadFile({ key }).done);
    expect(count('HeadObject')).to.equal(1);
    expect(count('GetObject')).to.equal(1);
    expect(result.size).to.equal(file.size);
    expect(result.crc64).to.equal(crc64(new Uint8Array(await file.arrayBuffer())));
    expect(await sameBytes(result.blob!, file)).to.equal(true);
  });

  it('a 0-byte object', async () => {
    const { key } = await put('empty.bin', 0, 42);
    const result = await client.downloadFile({ key }).done;
    expect(result.size).to.equal(0);
    expect(result.blob!.size).to.equal(0);
  });

  it('ranged GETs for a large object (odd last range), reassembled in order', async () => {
    const { key, file } = await put('ranged.bin', 5 * MiB + 3, 43);
    const progress: number[] = [];
    const { value: result, count } = await countRequests(env, () =>
      client.downloadFile({ key, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 3, onProgress: (p) => progress.push(p.percent) }).done,
    );
    expect(count('GetObject')).to.equal(6);
    expect(await sameBytes(result.blob!, file)).to.equal(true);
    expect(progress.at(-1)).to.equal(100);
  });

  it('streams into a WritableStream in order, never fetching more than `concurrency` ranges ahead of the writer', async () => {
    const { key, file } = await put('stream.bin', 6 * MiB, 44);
    const concurrency = 2;
    // The first range is held back, so every later one arrives early and must wait in (or for) the reorder buffer.
    (await mswWorker()).use(
      http.get(/\.localhost:\d+\/.*stream\.bin$/, async ({ request }) => {
        if (request.headers.get('range')?.startsWith('bytes=0-')) await sleep(1500);
        return passthrough();
      }),
    );
    const before = (await stats(env)).requests.GetObject ?? 0;
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let written = 0;
    let worstLead = 0;
    const output = new WritableStream<Uint8Array>({
      async write(chunk) {
        // A slow disk: while it writes, the downloader must wait instead of buffering the whole object.
        const started = ((await stats(env)).requests.GetObject ?? 0) - before;
        const rangesWritten = Math.floor(written / MiB);
        worstLead = Math.max(worstLead, started - rangesWritten);
        chunks.push(chunk.slice());
        written += chunk.byteLength;
        await sleep(5);
      },
    });
    const result = await client.downloadFile({ key, output, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency }).done;
    expect(result.blob).to.equal(undefined);
    expect(await sameBytes(new Blob(chunks), file)).to.equal(true);
    expect(worstLead, 'ranges fetched ahead of the writer').to.be.at.most(concurrency);
  });
});

describe('downloadFile: integrity', () => {
  it('a byte flipped in transit fails the download with ChecksumMismatch', async () => {
    const { key } = await put('flip.bin', 2 * MiB, 45);
    const worker = await mswWorker();
    worker.use(
      http.get(/\.localhost:\d+\/.*flip\.bin$/, async ({ request }) => {
        const real = await fetch(bypass(request));
        const body = new Uint8Array(await real.arrayBuffer());
        body[body.length >> 1]! ^= 0xff;
        return new Response(body, { status: real.status, headers: real.headers });
      }),
    );
    const error = await client.downloadFile({ key, sliceThreshold: 1 * MiB, partSize: 1 * MiB }).done.then(() => undefined, (e: unknown) => e);
    expect(isCosClientError(error) && error.code).to.equal('ChecksumMismatch');
  });

  it('an object replaced mid-download fails with ObjectChanged (ranges are pinned with If-Match)', async () => {
    const { key, file } = await put('changing.bin', 4 * MiB, 46);
    await setFaults(env, [{ kind: 'delay', op: 'GetObject', delayMs: 300 }]);
    let loaded = 0;
    const handle = client.downloadFile({ key, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1, onProgress: (p) => (loaded = p.loaded) });
    // Observed from the start: the rejection may come before the replacing PUT's answer is processed.
    const outcome = handle.done.then(() => undefined, (e: unknown) => e);
    while (loaded < 1 * MiB) await sleep(20);
    await client.putObject({ key, body: fileOf(file.size, 47) });
    const error = await outcome;
    expect(isCosClientError(error) && error.code).to.equal('ObjectChanged');
    expect(isCosServiceError((error as Error).cause) && (error as { cause: { status: number } }).cause.status).to.equal(412);
    expect(handle.state).to.equal('failed');
  });

  it('conditions are checked by the HEAD: If-None-Match with the current ETag answers 304, no GET', async () => {
    const { key } = await put('cond.bin', 1000, 48);
    const { etag } = await client.headObject({ key });
    const { value: error, count } = await countRequests(env, () => client.downloadFile({ key, ifNoneMatch: etag }).done.then(() => undefined, (e: unknown) => e));
    expect(isCosServiceError(error) && error.status).to.equal(304);
    expect(count('GetObject')).to.equal(0);
  });

  it('bad input throws InvalidArgument synchronously', () => {
    for (const input of [{ key: '' }, { key: 'k', output: {} }, { key: 'k', partsize: 1 }, { key: 'k', concurrency: 0 }]) {
      let thrown: unknown;
      try {
        client.downloadFile(input as never);
      } catch (e) {
        thrown = e;
      }
      expect(isCosClientError(thrown) && thrown.code, JSON.stringify(input)).to.equal('InvalidArgument');
    }
  });
});

describe('downloadFile: pause and resume', () => {
  it('pause cancels in-flight ranges; resume fetches only the missing ones', async () => {
    const { key, file } = await put('pause.bin', 6 * MiB, 49);
    await setFaults(env, [{ kind: 'delay', op: 'GetObject', delayMs: 200 }]);
    let loaded = 0;
    const handle = client.downloadFile({ key, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 2, onProgress: (p) => (loaded = p.loaded) });
    const first = await countRequests(env, async () => {
      while (loaded < 3 * MiB) await sleep(20);
      handle.pause();
      expect(handle.state).to.equal('paused');
      await sleep(100);
    });
    const during = await countRequests(env, () => sleep(500));
    expect(during.count('GetObject')).to.equal(0);
    const resumed = await countRequests(env, () => {
      handle.resume();
      return handle.done;
    });
    // Finished ranges are kept; only the (at most `concurrency`) ranges cancelled by the pause are fetched again.
    expect(resumed.count('GetObject')).to.be.below(6);
    expect(first.count('GetObject') + resumed.count('GetObject')).to.be.at.most(6 + 2);
    expect(await sameBytes(resumed.value.blob!, file)).to.equal(true);
  });

  it('resumes across sessions into a FileSystemWritableFileStream from the record of finished ranges', async () => {
    const { key, file } = await put('resume.bin', 6 * MiB + 10, 50);
    const dir = await navigator.storage.getDirectory();
    const handleFile = await dir.getFileHandle(`coskit-resume-${Date.now()}.bin`, { create: true });
    const store = new (class extends MemoryResumeStore {
      ranges = 0;
      override async set(record: TransferRecord): Promise<void> {
        await super.set(record);
        this.ranges = (record as DownloadRecord).done.length;
      }
    })();
    await setFaults(env, [{ kind: 'delay', op: 'GetObject', delayMs: 150 }]);
    const stop = new AbortController();
    const first = client.downloadFile({
      key, output: await handleFile.createWritable(), sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 2, resumeStore: store, signal: stop.signal,
    });
    while (store.ranges < 3) await sleep(20);
    stop.abort();
    await first.done.catch(() => undefined);
    expect(first.state).to.equal('aborted');
    const recorded = ((await store.list())[0] as DownloadRecord).done.length;
    expect(recorded).to.be.at.least(3);
    await setFaults(env, []);
    const second = await countRequests(env, async () =>
      client.downloadFile({
        key, output: await handleFile.createWritable({ keepExistingData: true }), sliceThreshold: 1 * MiB, partSize: 1 * MiB, resumeStore: store,
      }).done,
    );
    expect(second.count('GetObject')).to.equal(7 - recorded);
    expect(await sameBytes(await handleFile.getFile(), file)).to.equal(true);
    expect(await store.list()).to.have.length(0);
    await dir.removeEntry(handleFile.name);
  });
});
