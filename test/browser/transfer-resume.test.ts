/**
 * uploadFile's lifecycle on the wire: pause/resume, abort (nothing left on the server or in the store), resume
 * after a simulated reload (a new client, the same store), adoption of a server upload, a vanished upload, and
 * temporary keys expiring mid-upload.
 */
import { expect } from 'chai';
import { CosClient, MemoryResumeStore, type TransferRecord, type UploadRecord } from '@coskit/core';
import { testEnv, virtualHostEndpoint, type TestEnv } from '../support/env.ts';
import { countRequests, emulatorClient, fileOf, mintTemporaryKeys, MiB, runPrefix, sameBytes, setFaults, sleep, whenState } from './transfer-helpers.ts';

let env: TestEnv;
let client: CosClient;
const run = runPrefix('resume');

before(async () => {
  ({ env, client } = await emulatorClient());
});
afterEach(() => setFaults(env, []));

/** A MemoryResumeStore that tells the test when a record has `n` finished parts. */
class WatchedStore extends MemoryResumeStore {
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private onSet: (() => void) | undefined;
  override async set(record: TransferRecord): Promise<void> {
    await super.set(record);
    this.onSet?.();
    this.onSet = undefined;
    const parts = record.kind === 'upload' ? record.parts.length : record.done.length;
    this.waiters = this.waiters.filter((w) => (parts >= w.n ? (w.resolve(), false) : true));
  }
  nextSet(): Promise<void> {
    return new Promise((resolve) => (this.onSet = resolve));
  }
  partsRecorded(n: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

async function expectObject(key: string, file: Blob): Promise<void> {
  const got = await client.getObject({ key, as: 'blob' });
  expect(await sameBytes(got.body, file), 'stored bytes equal the file').to.equal(true);
}

const slowParts = (delayMs = 150) => setFaults(env, [{ kind: 'delay', op: 'UploadPart', delayMs }]);

describe('uploadFile: pause and resume', () => {
  it('pause stops sending parts; resume finishes with every byte', async () => {
    const file = fileOf(6 * MiB + 5, 21);
    const key = `${run}pause`;
    await slowParts();
    const store = new WatchedStore();
    const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 2, resumeStore: store });
    await store.partsRecorded(2);
    handle.pause();
    expect(handle.state).to.equal('paused');
    await sleep(100); // cancelled requests settle
    const during = await countRequests(env, () => sleep(600));
    expect(during.count('UploadPart'), 'no part is sent while paused').to.equal(0);
    const { value: result } = await countRequests(env, async () => {
      handle.resume();
      expect(handle.state).to.equal('uploading');
      return handle.done;
    });
    expect(handle.state).to.equal('done');
    expect(result.partsSent).to.be.at.most(7 + 2);
    expect(handle.progress.percent).to.equal(100);
    await expectObject(key, file);
    expect(await store.list(), 'record deleted after completion').to.have.length(0);
  });

  it('pausing a simple PUT cancels it; resume sends it again', async () => {
    const file = fileOf(6 * MiB, 33);
    const key = `${run}pause-simple`;
    let loaded = 0;
    const { value: result, count } = await countRequests(env, async () => {
      // 6 MiB at 4 MiB/s, so the pause lands mid-body.
      const handle = client.uploadFile({ key, file, trafficLimit: 32 * MiB, onProgress: (p) => (loaded = p.loaded) });
      while (loaded === 0) await sleep(10);
      handle.pause();
      expect(handle.state).to.equal('paused');
      await sleep(200);
      handle.resume();
      return handle.done;
    });
    expect(result.multipart).to.equal(false);
    expect(result.partsSent).to.equal(2);
    expect(count('PutObject')).to.be.at.most(2);
    await expectObject(key, file);
  });
});

describe('uploadFile: abort', () => {
  it('a signal stop without a resume store aborts the multipart upload (nothing could continue it)', async () => {
    const file = fileOf(3 * MiB, 32);
    const key = `${run}signal-no-store`;
    await slowParts();
    const stop = new AbortController();
    const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1, signal: stop.signal });
    await whenState(handle, 'uploading');
    stop.abort();
    await handle.done.catch(() => undefined);
    expect(handle.state).to.equal('aborted');
    expect((await client.listMultipartUploads({ prefix: key })).uploads).to.have.length(0);
  });

  it('abort() cancels in-flight parts, aborts the multipart upload and deletes the record', async () => {
    const file = fileOf(5 * MiB, 22);
    const key = `${run}abort`;
    await slowParts();
    const store = new WatchedStore();
    const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 2, resumeStore: store });
    await store.partsRecorded(1);
    const reason = new Error('user cancelled');
    await handle.abort(reason);
    expect(handle.state).to.equal('aborted');
    const error = await handle.done.then(() => undefined, (e: unknown) => e);
    expect(error).to.equal(reason);
    expect((await client.listMultipartUploads({ prefix: key })).uploads).to.have.length(0);
    expect(await store.list()).to.have.length(0);
    await setFaults(env, []);
    const head = await client.headObject({ key }).then(() => 'exists', (e: { code?: string }) => e.code);
    expect(head).to.equal('NoSuchKey');
  });

  it('abort() while paused rejects done with an AbortError by default', async () => {
    const file = fileOf(3 * MiB, 23);
    const key = `${run}abort-paused`;
    await slowParts();
    const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1 });
    await whenState(handle, 'uploading');
    handle.pause();
    await handle.abort();
    const error = await handle.done.then(() => undefined, (e: unknown) => e);
    expect((error as DOMException).name).to.equal('AbortError');
    expect((await client.listMultipartUploads({ prefix: key })).uploads).to.have.length(0);
  });
});

describe('uploadFile: resume after a reload', () => {
  it('a new client with the same store continues: finished parts are kept, at most `concurrency` re-sent', async () => {
    const file = fileOf(8 * MiB + 100, 24);
    const key = `${run}reload`;
    const concurrency = 3;
    const total = 9;
    const store = new WatchedStore();
    await slowParts(200);
    // First "page": killed mid-way by its signal, as closing the tab would (no server abort, the record stays).
    const first = await countRequests(env, async () => {
      const stop = new AbortController();
      const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency, resumeStore: store, signal: stop.signal });
      await store.partsRecorded(4);
      stop.abort(new DOMException('page closed', 'AbortError'));
      const error = await handle.done.then(() => undefined, (e: unknown) => e);
      expect((error as DOMException).message).to.equal('page closed');
      expect(handle.state).to.equal('aborted');
      return handle.uploadId;
    });
    const records = (await store.list()) as UploadRecord[];
    expect(records).to.have.length(1);
    expect(records[0]!.uploadId).to.equal(first.value);
    const recorded = records[0]!.parts.length;
    expect(recorded).to.be.at.least(4);
    // Second "page": a new client, the same store and file.
    const { client: reloaded } = await emulatorClient();
    const second = await countRequests(env, () =>
      reloaded.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency, resumeStore: store }).done,
    );
    expect(second.count('InitiateMultipartUpload'), 'the upload is continued, not restarted').to.equal(0);
    expect(second.count('ListParts')).to.equal(1);
    expect(second.value.uploadId).to.equal(first.value);
    expect(second.value.partsReused).to.equal(recorded);
    expect(second.count('UploadPart')).to.equal(total - recorded);
    // Parts sent in both sessions beyond the file's parts are the ones in flight when the first was killed.
    expect(first.count('UploadPart') + second.count('UploadPart') - total).to.be.at.most(concurrency);
    await expectObject(key, file);
    expect(await store.list()).to.have.length(0);
  });

  it('a resumed session stopped before re-checking every recorded part keeps them in the record', async () => {
    const file = fileOf(6 * MiB, 34);
    const key = `${run}recheck`;
    const options = { key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1 };
    const store = new WatchedStore();
    await slowParts();
    const stop1 = new AbortController();
    const first = client.uploadFile({ ...options, resumeStore: store, signal: stop1.signal });
    await store.partsRecorded(3);
    stop1.abort();
    await first.done.catch(() => undefined);
    const recorded = ((await store.list())[0] as UploadRecord).parts.length;
    // Second session: stopped right after its first record write (one part re-checked).
    const stop2 = new AbortController();
    const written = store.nextSet();
    const second = client.uploadFile({ ...options, resumeStore: store, signal: stop2.signal });
    await written;
    stop2.abort();
    await second.done.catch(() => undefined);
    expect(((await store.list())[0] as UploadRecord).parts.length).to.equal(recorded);
    await setFaults(env, []);
    const third = await client.uploadFile({ ...options, resumeStore: store }).done;
    expect(third.partsReused).to.equal(recorded);
    await expectObject(key, file);
  });

  it('starts over cleanly when the recorded upload is gone (NoSuchUpload)', async () => {
    const file = fileOf(3 * MiB, 25);
    const key = `${run}gone`;
    const store = new WatchedStore();
    await slowParts();
    const stop = new AbortController();
    const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1, resumeStore: store, signal: stop.signal });
    await store.partsRecorded(1);
    stop.abort();
    await handle.done.catch(() => undefined);
    await client.abortMultipartUpload({ key, uploadId: handle.uploadId! });
    await setFaults(env, []);
    const again = await countRequests(env, () => client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, resumeStore: store }).done);
    expect(again.count('InitiateMultipartUpload')).to.equal(1);
    expect(again.value.partsReused).to.equal(0);
    expect(again.value.uploadId).to.not.equal(handle.uploadId);
    await expectObject(key, file);
  });

  it('does not reuse a record for a different file with the same name, size and date (sample CRC differs)', async () => {
    const key = `${run}other-file`;
    const a = fileOf(3 * MiB, 26, 'same.bin');
    const b = new File([fileOf(3 * MiB, 27)], 'same.bin', { type: a.type, lastModified: a.lastModified });
    const store = new WatchedStore();
    await slowParts();
    const stop = new AbortController();
    const handle = client.uploadFile({ key, file: a, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1, resumeStore: store, signal: stop.signal });
    await store.partsRecorded(1);
    stop.abort();
    await handle.done.catch(() => undefined);
    await setFaults(env, []);
    const result = await client.uploadFile({ key, file: b, sliceThreshold: 1 * MiB, partSize: 1 * MiB, resumeStore: store }).done;
    expect(result.partsReused).to.equal(0);
    await expectObject(key, b);
  });
});

describe("uploadFile: resume: 'server'", () => {
  it('adopts the in-progress upload of the key after checking each part against the local bytes', async () => {
    const file = fileOf(4 * MiB, 28);
    const key = `${run}adopt`;
    await slowParts();
    const stop = new AbortController();
    const first = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1, resume: 'server', signal: stop.signal });
    await whenState(first, 'uploading');
    // No store in this mode: the server's part list is the only record.
    while ((await client.listParts({ key, uploadId: first.uploadId! })).parts.length < 2) await sleep(50);
    stop.abort();
    await first.done.catch(() => undefined);
    await setFaults(env, []);
    const { parts } = await client.listParts({ key, uploadId: first.uploadId! });
    expect(parts.length).to.be.at.least(2);
    const second = await countRequests(env, () =>
      client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, resume: 'server' }).done,
    );
    expect(second.count('InitiateMultipartUpload')).to.equal(0);
    expect(second.count('ListMultipartUploads')).to.equal(1);
    expect(second.value.uploadId).to.equal(first.uploadId);
    expect(second.value.partsReused).to.equal(parts.length);
    expect(second.count('UploadPart')).to.equal(4 - parts.length);
    await expectObject(key, file);
  });

  it('re-sends adopted parts whose bytes differ from the local file', async () => {
    const key = `${run}adopt-other`;
    const old = fileOf(2 * MiB, 29);
    const { uploadId } = await client.createMultipartUpload({ key });
    await client.uploadPart({ key, uploadId, partNumber: 1, body: old.slice(0, MiB) });
    const file = fileOf(2 * MiB, 30);
    const result = await countRequests(env, () => client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, resume: 'server' }).done);
    expect(result.value.uploadId).to.equal(uploadId);
    expect(result.value.partsReused).to.equal(0);
    expect(result.count('UploadPart')).to.equal(2);
    await expectObject(key, file);
  });
});

describe('uploadFile: temporary keys', () => {
  it('keys that expire mid-upload are refreshed by the provider, and the upload completes', async () => {
    const file = fileOf(4 * MiB, 31);
    const key = `${run}sts/file.bin`;
    let minted = 0;
    const sts = new CosClient({
      bucket: env.bucket,
      region: env.region,
      endpoint: virtualHostEndpoint(await testEnv()),
      retry: { limit: 2, baseDelay: 20, maxDelay: 200 },
      // The server expires each key after 2 s while the provider claims an hour, so the cache keeps a key until
      // the server refuses it (ExpiredToken): the refresh path under test, not the refresh-before-expiry one.
      credentials: async () => {
        minted++;
        const keys = await mintTemporaryKeys(env, { prefix: `${run}sts/`, durationSeconds: 2 });
        return { ...keys, expiredTime: keys.expiredTime + 3600 };
      },
    });
    await slowParts(900);
    const result = await sts.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1 }).done;
    expect(minted).to.be.at.least(2);
    expect(result.partsSent).to.equal(4);
    await setFaults(env, []);
    await expectObject(key, file);
  });
});
