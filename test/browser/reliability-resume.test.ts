/**
 * Reliability across interruptions (issue 6): a reload at four points of an upload (simulated as the engine's own
 * tests do: the first attempt's signal stops it like a closed tab, then a fresh client continues from the same
 * IndexedDB store), going offline and back with the UploadQueue, and aborts/cancels at seeded random moments.
 */
import { expect } from 'chai';
import { type CosClient, crc64, type UploadHandle, type UploadRecord } from '@coskit/core';
import { IndexedDbResumeStore, UploadQueue } from '@coskit/uploader';
import { testEnv, type TestEnv, clientFor } from '../support/env.ts';
import { diffStats, testAdmin, type EmulatorAdmin, type EmulatorStats } from '../support/faults.ts';
import { prng, seededBytes } from '../soak/batch.ts';

const MiB = 1024 * 1024;
const run = `reliability/resume-${Date.now().toString(36)}/`;
let env: TestEnv;
let admin: EmulatorAdmin;

function freshClient(): CosClient {
  return clientFor(env, { retry: { limit: 3, baseDelay: 20, maxDelay: 200 } });
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

function onState(handle: UploadHandle, state: string, action: () => void): void {
  handle.addEventListener('statechange', (e) => {
    if (e.detail.state === state) action();
  });
}

async function storedBytes(client: CosClient, key: string): Promise<Uint8Array> {
  return new Uint8Array((await client.getObject({ key, as: 'arrayBuffer' })).body);
}

before(async () => {
  env = await testEnv();
  admin = await testAdmin();
});
afterEach(async () => {
  await admin.clearFaults();
});

describe('reliability: reload in the middle of an upload', function () {
  this.timeout(60_000);
  const size = 5 * MiB + 3; // 6 parts of 1 MiB
  const parts = 6;
  const concurrency = 2;

  /**
   * Where the first "page" dies. `arm` sets faults and returns what stops the page: it is called with the handle and
   * the stop function, and resolves once the stop was triggered.
   */
  const points: Array<{ name: string; arm: (key: string, handle: UploadHandle, stop: () => void, before: EmulatorStats) => Promise<void> }> = [
    {
      name: 'before the first part',
      arm: async (_key, handle, stop) => {
        // Synchronously on entering `uploading`: the upload exists and is recorded, no part has left.
        await new Promise<void>((resolve) => onState(handle, 'uploading', () => (stop(), resolve())));
      },
    },
    {
      name: 'in the middle of a part',
      arm: async (_key, _handle, stop, before) => {
        // Parts arrive throttled to 1 MiB/s by x-cos-traffic-limit (set in the upload options below): stop while the
        // first ones are half read by the server.
        await until(async () => ((await admin.stats()).requests.UploadPart ?? 0) - (before.requests.UploadPart ?? 0) >= 1, 'a part to start');
        await new Promise((resolve) => setTimeout(resolve, 400));
        stop();
      },
    },
    {
      name: 'just before Complete',
      arm: async (_key, handle, stop) => {
        await new Promise<void>((resolve) => onState(handle, 'completing', () => (stop(), resolve())));
      },
    },
    {
      name: 'just after Complete (stored, the answer never seen)',
      arm: async (key, _handle, stop, before) => {
        // The first Complete is applied and its connection dropped; the re-sent one waits 2 s at the server: the page
        // "reloads" in between, with the object complete and the record still there.
        await admin.setFaults([
          { op: 'CompleteMultipartUpload', key, kind: 'lostResponse', count: 1 },
          { op: 'CompleteMultipartUpload', key, kind: 'delay', delayMs: 2000 },
        ]);
        await until(async () => ((await admin.stats()).requests.CompleteMultipartUpload ?? 0) - (before.requests.CompleteMultipartUpload ?? 0) >= 2, 'the re-sent Complete');
        stop();
      },
    },
  ];

  for (const [i, point] of points.entries()) {
    it(`reload ${point.name}: the next page finishes the same upload with the right bytes, re-sending at most \`concurrency\` parts`, async () => {
      const key = `${run}reload-${i}/file ${i}.bin`;
      const source = seededBytes(size, 100 + i);
      const file = new File([source], `file-${i}.bin`, { lastModified: 1_700_000_000_000 + i });
      const store = new IndexedDbResumeStore({ dbName: `coskit-reliability-${i}-${Date.now()}` });
      const options = {
        key,
        file,
        sliceThreshold: MiB,
        partSize: MiB,
        concurrency,
        resumeStore: store,
        // 1 MiB/s per part: slow enough to stop mid-part, fast enough for a short test.
        ...(point.name.includes('middle') ? { trafficLimit: 8 * 1024 * 1024 } : {}),
      };
      const before = await admin.stats();
      const page = new AbortController();
      const first = freshClient().uploadFile({ ...options, signal: page.signal });
      await point.arm(key, first, () => page.abort(new DOMException('page closed', 'AbortError')), before);
      await first.done.then(
        () => expect.fail('the first page was closed before it finished'),
        (e: unknown) => expect((e as Error).message).to.equal('page closed'),
      );
      const records = (await store.list()) as UploadRecord[];
      expect(records, 'the closed page left its record').to.have.length(1);
      await admin.clearFaults();

      const second = await freshClient().uploadFile(options).done;
      const delta = diffStats(before, await admin.stats());
      expect(delta.requests.InitiateMultipartUpload, 'continued, not restarted').to.equal(1);
      expect(second.uploadId).to.equal(records[0]!.uploadId);
      expect((delta.requests.UploadPart ?? 0) - parts, 'parts sent twice').to.be.at.most(concurrency);
      expect(second.crc64).to.equal(crc64(source));
      const stored = await storedBytes(freshClient(), key);
      expect(stored.length).to.equal(size);
      expect(crc64(stored)).to.equal(crc64(source));
      expect(await store.list(), 'record deleted once done').to.deep.equal([]);
      expect((await freshClient().listMultipartUploads({ prefix: key })).uploads).to.deep.equal([]);
    });
  }
});

describe('reliability: offline and back', function () {
  this.timeout(60_000);

  it('the queue pauses when the window goes offline and continues by itself when it is back, finishing every file', async () => {
    const prefix = `${run}offline/`;
    await admin.setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 200 }]);
    const queue = new UploadQueue({
      client: freshClient(),
      prefix,
      concurrency: 2,
      resumeStore: new IndexedDbResumeStore({ dbName: `coskit-reliability-offline-${Date.now()}` }),
      uploadOptions: { sliceThreshold: MiB, partSize: MiB, concurrency: 2 },
    });
    try {
      const sources = [seededBytes(4 * MiB, 201), seededBytes(3 * MiB + 9, 202), seededBytes(1000, 203)];
      const items = queue.add(sources.map((bytes, i) => new File([bytes], `offline-${i}.bin`, { lastModified: i + 1 })));
      await until(() => items[0]!.progress.loaded > 0, 'the first file to move');
      dispatchEvent(new Event('offline'));
      await until(() => items.every((item) => item.state === 'paused' || item.state === 'queued' || item.state === 'done'), 'everything to stop');
      const stoppedAt = await admin.stats();
      await new Promise((resolve) => setTimeout(resolve, 700));
      const whileOffline = diffStats(stoppedAt, await admin.stats());
      expect(whileOffline.requests.UploadPart ?? 0, 'no part sent while offline').to.equal(0);
      const complete = new Promise((resolve) => queue.addEventListener('complete', resolve, { once: true }));
      dispatchEvent(new Event('online'));
      await complete;
      expect(items.map((item) => item.state)).to.deep.equal(['done', 'done', 'done']);
      for (const [i, item] of items.entries()) expect(item.result!.crc64).to.equal(crc64(sources[i]!));
      expect((await freshClient().listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
    } finally {
      queue.dispose();
    }
  });
});

describe('reliability: abort and cancel at random moments', function () {
  this.timeout(90_000);

  it('12 uploads stopped at seeded random moments (abort() or queue cancel) leave no multipart upload and no record', async () => {
    const prefix = `${run}abort/`;
    const random = prng(6);
    await admin.setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 60 }]);
    const store = new IndexedDbResumeStore({ dbName: `coskit-reliability-abort-${Date.now()}` });
    const client = freshClient();
    const stoppedIn = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const source = seededBytes(MiB + Math.floor(random() * 4 * MiB), 300 + i);
      const handle = client.uploadFile({ key: `${prefix}direct-${i}.bin`, file: new File([source], `d${i}.bin`), sliceThreshold: MiB, partSize: MiB, concurrency: 2, resumeStore: store });
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 600)));
      stoppedIn.add(handle.state);
      await handle.abort();
      expect(handle.state).to.be.oneOf(['aborted', 'done']);
    }
    const queue = new UploadQueue({ client, prefix: `${prefix}queue/`, concurrency: 2, resumeStore: store, uploadOptions: { sliceThreshold: MiB, partSize: MiB, concurrency: 2 } });
    try {
      const items = queue.add(Array.from({ length: 4 }, (_, i) => new File([seededBytes(2 * MiB + i, 400 + i)], `q${i}.bin`, { lastModified: i + 1 })));
      for (const item of items) {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 400)));
        stoppedIn.add(item.state);
        await queue.cancel(item.id);
      }
      expect(items.map((item) => item.state).filter((s) => s !== 'done' && s !== 'canceled')).to.deep.equal([]);
    } finally {
      queue.dispose();
    }
    // The moments did land in different phases (or the test would prove little).
    expect(stoppedIn.size, `states stopped in: ${[...stoppedIn].join(', ')}`).to.be.at.least(2);
    const orphans = (await client.listMultipartUploads({ prefix })).uploads;
    expect(orphans.map((u) => u.key), `orphaned multipart uploads (stopped in: ${[...stoppedIn].join(', ')})`).to.deep.equal([]);
    expect(await store.list(), 'records left').to.deep.equal([]);
  });
});
