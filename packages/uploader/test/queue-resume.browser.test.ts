/// <reference types="mocha" />
import { expect } from 'chai';
import { CosClient, crc64, getAuthorization, type StsCredentialsShape, type UploadRecord } from '@coskit/core';
import { testEnv, virtualHostEndpoint, type TestEnv, clientFor } from '../../../test/support/env.ts';
import { UploadQueue } from '../src/queue/queue.ts';
import type { UploadQueueEventMap } from '../src/queue/types.ts';
import { IndexedDbResumeStore } from '../src/resume/idb-store.ts';
import { handleIdForRecord } from '../src/resume/file-handle.ts';

const MiB = 1024 * 1024;
let env: TestEnv;
let client: CosClient;
let run = 0;
let prefix = '';
const queues: UploadQueue[] = [];

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  return bytes;
}

async function faults(rules: unknown[]): Promise<void> {
  const res = await fetch(`${env.url}/__coskit/faults`, { method: 'PUT', body: JSON.stringify({ rules }) });
  expect(res.status).to.equal(200);
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function once<K extends keyof UploadQueueEventMap>(q: UploadQueue, type: K): Promise<UploadQueueEventMap[K]> {
  return new Promise((resolve) => q.addEventListener(type, (e) => resolve(e), { once: true }));
}

function makeQueue(store: IndexedDbResumeStore | undefined, c: CosClient = client): UploadQueue {
  const q = new UploadQueue({
    client: c,
    prefix,
    ...(store ? { resumeStore: store } : {}),
    uploadOptions: { sliceThreshold: MiB, partSize: MiB, concurrency: 2 },
  });
  queues.push(q);
  return q;
}

/** Records with at least `n` parts, read back from the store. */
async function recordWithParts(store: IndexedDbResumeStore, n: number): Promise<UploadRecord | undefined> {
  const records = (await store.list()) as UploadRecord[];
  return records.find((r) => r.key.startsWith(prefix) && r.parts.length >= n);
}

/** Everything the page keeps: every IndexedDB database and object store, localStorage, sessionStorage. */
async function everythingStored(): Promise<string> {
  const dumps: string[] = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
  for (const info of await indexedDB.databases()) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(info.name!);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    for (const name of Array.from(db.objectStoreNames)) {
      const req = db.transaction(name, 'readonly').objectStore(name).getAll();
      const values = await new Promise<unknown[]>((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))));
      dumps.push(JSON.stringify(values));
    }
    db.close();
  }
  return dumps.join('\n');
}

async function temporaryKeys(): Promise<StsCredentialsShape> {
  const url = new URL('/__coskit/sts', env.url);
  const authorization = await getAuthorization({ secretId: env.secretId, secretKey: env.secretKey, method: 'POST', pathname: url.pathname, headers: { host: url.host } });
  const res = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ durationSeconds: 1800 }) });
  expect(res.status).to.equal(200);
  return res.json();
}

describe('UploadQueue with the IndexedDB store: resume after a reload', function () {
  this.timeout(60_000);

  before(async () => {
    env = await testEnv();
    client = clientFor(env, { protocol: 'http:', retry: { limit: 2, baseDelay: 20, maxDelay: 200 } });
  });

  beforeEach(async () => {
    run++;
    prefix = `resume-${Date.now()}-${run}/`;
    // Parts take a while, so a test can stop an upload halfway.
    await faults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 120 }]);
  });

  afterEach(async () => {
    for (const q of queues.splice(0)) {
      q.pauseAll();
      q.dispose();
    }
    await faults([]);
  });

  it('lists the unfinished upload after a reload, and re-selecting the file continues it', async () => {
    const dbName = `coskit-resume-${run}-${Date.now()}`;
    const store = new IndexedDbResumeStore({ dbName });
    const bytes = randomBytes(8 * MiB + 123);
    const pick = () => new File([bytes], 'movie.mp4', { type: 'video/mp4', lastModified: 1_700_000_000_000 });
    const first = makeQueue(store);
    first.add([pick()]);
    await waitFor(async () => (await recordWithParts(store, 3)) !== undefined, 'three recorded parts');
    // "Reload": everything in memory is gone; only IndexedDB remains.
    first.pauseAll();
    first.dispose();

    const second = makeQueue(new IndexedDbResumeStore({ dbName }));
    const pending = await second.pending();
    expect(pending).to.have.length(1);
    const record = pending[0]!;
    expect(record).to.include({ kind: 'upload', key: `${prefix}movie.mp4`, size: bytes.length, bucket: env.bucket });
    expect(record.file).to.deep.include({ name: 'movie.mp4', size: bytes.length, type: 'video/mp4', lastModified: 1_700_000_000_000 });
    expect(record.parts.length).to.be.at.least(3);

    const complete = once(second, 'complete');
    const [item] = second.add([pick()]);
    await complete;
    expect(item!.state).to.equal('done');
    expect(item!.resumed).to.equal(true);
    expect(item!.result!.uploadId).to.equal(record.uploadId);
    expect(item!.result!.partsReused).to.be.at.least(record.parts.length);
    expect(item!.result!.partsReused + item!.result!.partsSent, 'only the missing parts are sent').to.equal(9);
    expect(item!.result!.crc64).to.equal(crc64(bytes));
    expect(await second.pending(), 'the record is deleted once done').to.deep.equal([]);
    expect((await client.listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
  });

  it('never stores a credential: no secret key, session token or signature anywhere in IndexedDB or Web Storage', async () => {
    const keys = await temporaryKeys();
    const stsClient = new CosClient({
      bucket: env.bucket,
      region: env.region,
      protocol: 'http:',
      endpoint: virtualHostEndpoint(env),
      credentials: async () => keys,
    });
    const store = new IndexedDbResumeStore();
    const q = makeQueue(store, stsClient);
    const bytes = randomBytes(5 * MiB);
    const [item] = q.add([new File([bytes], 'secretless.bin', { lastModified: 1 })]);
    await waitFor(async () => (await recordWithParts(store, 2)) !== undefined, 'recorded parts');
    q.pause(item!.id);
    const midway = await everythingStored();
    expect(midway, 'the scan does see the resume record').to.include(`${prefix}secretless.bin`);
    const complete = once(q, 'complete');
    q.resume(item!.id);
    await complete;
    expect(item!.state).to.equal('done');
    const after = await everythingStored();
    for (const dump of [midway, after]) {
      for (const secret of [env.secretKey, keys.credentials.tmpSecretKey, keys.credentials.sessionToken, 'q-signature', 'q-sign-algorithm']) {
        expect(dump.includes(secret), `stored: ${secret.slice(0, 12)}…`).to.equal(false);
      }
    }
  });

  it('uploads anyway, with one warning, when IndexedDB refuses every write (quota, private mode)', async () => {
    let idbCalls = 0;
    const store = new IndexedDbResumeStore({
      customStore: () => {
        idbCalls++;
        return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      },
    });
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const q = makeQueue(store);
      const bytes = randomBytes(3 * MiB + 1);
      const complete = once(q, 'complete');
      const [item] = q.add([new File([bytes], 'no-quota.bin')]);
      await complete;
      expect(item!.state).to.equal('done');
      expect(item!.result!.multipart).to.equal(true);
      expect(item!.result!.crc64).to.equal(crc64(bytes));
      expect(await q.pending()).to.deep.equal([]);
    } finally {
      console.warn = warn;
    }
    expect(idbCalls).to.equal(1);
    expect(warnings.filter((w) => String(w[0]).startsWith('coskit'))).to.have.length(1);
  });

  it('continues from a stored FileSystemFileHandle without asking for the file again', async () => {
    const dir = await navigator.storage.getDirectory();
    const name = `coskit-queue-${run}-${Date.now()}.bin`;
    const handle = await dir.getFileHandle(name, { create: true });
    const bytes = randomBytes(4 * MiB + 7);
    const writable = await handle.createWritable();
    await writable.write(bytes);
    await writable.close();
    const dbName = `coskit-handles-${run}-${Date.now()}`;
    const store = new IndexedDbResumeStore({ dbName });
    const first = makeQueue(store);
    first.add([{ file: await handle.getFile(), handle }]);
    await waitFor(async () => (await recordWithParts(store, 1)) !== undefined, 'a recorded part');
    first.pauseAll();
    first.dispose();

    const reloaded = new IndexedDbResumeStore({ dbName });
    const second = makeQueue(reloaded);
    const [record] = await second.pending();
    expect(await reloaded.getFileHandle(handleIdForRecord(record!)!)).to.be.instanceOf(FileSystemFileHandle);
    const complete = once(second, 'complete');
    const item = await second.resumeFromHandle(record!);
    expect(item, 'resumed from the handle').not.to.equal(undefined);
    await complete;
    expect(item!.state).to.equal('done');
    expect(item!.resumed).to.equal(true);
    expect(item!.key).to.equal(record!.key);
    expect(item!.result!.crc64).to.equal(crc64(bytes));
    expect(await reloaded.getFileHandle(handleIdForRecord(record!)!), 'the handle is forgotten once done').to.equal(undefined);
    await dir.removeEntry(name);
  });

  it('does not resume from a handle whose file changed since', async () => {
    const dir = await navigator.storage.getDirectory();
    const name = `coskit-changed-${run}-${Date.now()}.bin`;
    const handle = await dir.getFileHandle(name, { create: true });
    let writable = await handle.createWritable();
    await writable.write(randomBytes(3 * MiB));
    await writable.close();
    const dbName = `coskit-changed-${run}-${Date.now()}`;
    const store = new IndexedDbResumeStore({ dbName });
    const first = makeQueue(store);
    first.add([{ file: await handle.getFile(), handle }]);
    await waitFor(async () => (await recordWithParts(store, 1)) !== undefined, 'a recorded part');
    first.pauseAll();
    first.dispose();
    writable = await handle.createWritable();
    await writable.write(randomBytes(3 * MiB + 1));
    await writable.close();
    const second = makeQueue(new IndexedDbResumeStore({ dbName }));
    const [record] = await second.pending();
    expect(await second.resumeFromHandle(record!)).to.equal(undefined);
    expect(second.items).to.have.length(0);
    await dir.removeEntry(name);
  });
});
