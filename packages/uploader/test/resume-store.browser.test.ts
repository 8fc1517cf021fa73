/// <reference types="mocha" />
import { expect } from 'chai';
import { createStore, type UseStore } from 'idb-keyval';
import { isCosClientError, type DownloadRecord, type UploadRecord } from '@coskit/core';
import { IndexedDbResumeStore } from '../src/resume/idb-store.ts';
import { fileFromHandle, handleIdFor, handleIdForRecord } from '../src/resume/file-handle.ts';

const DAY = 24 * 60 * 60 * 1000;
let dbCounter = 0;
const freshDb = () => `coskit-test-${Date.now()}-${dbCounter++}`;

function uploadRecord(over: Partial<UploadRecord> = {}): UploadRecord {
  return {
    kind: 'upload',
    fingerprint: 'upload:["b-1250000000","ap-guangzhou","a/b.bin",8388608,"b.bin",20971521,1700000000000,"","42"]',
    bucket: 'b-1250000000',
    region: 'ap-guangzhou',
    key: 'a/b.bin',
    uploadId: '1700000000abcdef',
    partSize: 8 * 1024 * 1024,
    size: 20 * 1024 * 1024 + 1,
    parts: [
      { n: 1, etag: '"aaa"', size: 8 * 1024 * 1024, crc64: '123' },
      { n: 2, etag: '"bbb"', size: 8 * 1024 * 1024, crc64: '456' },
    ],
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    file: { name: 'b.bin', size: 20 * 1024 * 1024 + 1, type: '', lastModified: 1_700_000_000_000, relativePath: 'a/b.bin' },
    ...over,
  };
}

/** Every key and value in one database, read with the raw IndexedDB API. */
async function rawEntries(dbName: string): Promise<Array<[IDBValidKey, unknown]>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(dbName);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    const out: Array<[IDBValidKey, unknown]> = [];
    for (const name of Array.from(db.objectStoreNames)) {
      const store = db.transaction(name, 'readonly').objectStore(name);
      const [keys, values] = await Promise.all(
        [store.getAllKeys(), store.getAll()].map(
          (req) => new Promise<unknown[]>((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error)))),
        ),
      );
      keys!.forEach((k, i) => out.push([k as IDBValidKey, values![i]]));
    }
    return out;
  } finally {
    db.close();
  }
}

describe('IndexedDbResumeStore', () => {
  it('round-trips upload and download records (get, set, list, delete) in its own database', async () => {
    const dbName = freshDb();
    const store = new IndexedDbResumeStore({ dbName, now: () => 1_700_000_000_000 });
    const up = uploadRecord();
    const down: DownloadRecord = {
      kind: 'download',
      fingerprint: 'download:x',
      bucket: 'b-1250000000',
      region: 'ap-guangzhou',
      key: 'big.iso',
      etag: '"e-3"',
      size: 60 * 1024 * 1024,
      partSize: 20 * 1024 * 1024,
      done: [{ i: 0, crc64: '9' }],
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
    };
    expect(await store.get(up.fingerprint)).to.equal(undefined);
    await store.set(up);
    await store.set(down);
    expect(await store.get(up.fingerprint)).to.deep.equal(up);
    expect(await store.get(down.fingerprint)).to.deep.equal(down);
    const listed = await store.list();
    expect(listed.map((r) => r.fingerprint).sort()).to.deep.equal([down.fingerprint, up.fingerprint].sort());
    // A second store on the same database (a reload) sees the same records.
    expect(await new IndexedDbResumeStore({ dbName, now: () => 1_700_000_000_000 }).get(up.fingerprint)).to.deep.equal(up);
    await store.delete(up.fingerprint);
    expect(await store.get(up.fingerprint)).to.equal(undefined);
    expect((await store.list()).map((r) => r.fingerprint)).to.deep.equal([down.fingerprint]);
    expect(await rawEntries(dbName)).to.have.length(1);
  });

  it('strips every field that is not part of the record shape, so credentials never reach IndexedDB', async () => {
    const dbName = freshDb();
    const store = new IndexedDbResumeStore({ dbName, now: () => 1_700_000_000_000 });
    const polluted = {
      ...uploadRecord(),
      secretKey: 'SECRET-KEY-VALUE',
      sessionToken: 'SESSION-TOKEN-VALUE',
      authorization: 'q-sign-algorithm=sha1&q-ak=AKID&q-signature=abc',
      parts: [{ n: 1, etag: '"aaa"', size: 1, crc64: '1', url: 'https://x/?q-signature=def' }],
      file: { name: 'b.bin', size: 1, type: '', lastModified: 1, handle: 'SECRET-KEY-VALUE' },
    };
    await store.set(polluted as unknown as UploadRecord);
    const raw = JSON.stringify(await rawEntries(dbName));
    for (const secret of ['SECRET-KEY-VALUE', 'SESSION-TOKEN-VALUE', 'q-signature', 'authorization', 'url']) {
      expect(raw, secret).not.to.include(secret);
    }
    expect(Object.keys((await store.get(polluted.fingerprint))!).sort()).to.deep.equal(Object.keys(uploadRecord()).sort());
  });

  it('drops records untouched for more than 7 days, on read and on list', async () => {
    const dbName = freshDb();
    let now = 1_700_000_000_000;
    const store = new IndexedDbResumeStore({ dbName, now: () => now });
    const old = uploadRecord({ fingerprint: 'old', updatedAt: now });
    const fresh = uploadRecord({ fingerprint: 'fresh', updatedAt: now + 3 * DAY });
    const stale = uploadRecord({ fingerprint: 'stale', updatedAt: now });
    await Promise.all([store.set(old), store.set(fresh), store.set(stale)]);
    now += 7 * DAY;
    expect((await store.get('old'))?.fingerprint, 'exactly 7 days is still fine').to.equal('old');
    now += 1;
    expect(await store.get('old')).to.equal(undefined);
    expect((await store.list()).map((r) => r.fingerprint)).to.deep.equal(['fresh']);
    expect((await rawEntries(dbName)).map(([k]) => k)).to.deep.equal([['record', 'fresh']]);
  });

  it('degrades to no resume with one warning when IndexedDB fails (quota, private mode)', async () => {
    let calls = 0;
    const failing: UseStore = () => {
      calls++;
      return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    };
    const store = new IndexedDbResumeStore({ customStore: failing });
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      expect(store.available).to.equal(true);
      await store.set(uploadRecord());
      expect(await store.get(uploadRecord().fingerprint)).to.equal(undefined);
      expect(await store.list()).to.deep.equal([]);
      await store.delete('x');
      await store.saveFileHandle('h', {} as FileSystemFileHandle);
      expect(await store.getFileHandle('h')).to.equal(undefined);
    } finally {
      console.warn = warn;
    }
    expect(store.available).to.equal(false);
    expect(calls, 'IndexedDB is not tried again after the first failure').to.equal(1);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]![0])).to.match(/IndexedDB/);
  });

  it('refuses bad input with InvalidArgument', async () => {
    const store = new IndexedDbResumeStore({ dbName: freshDb() });
    const error = await store.set({ kind: 'upload', fingerprint: 'x' } as unknown as UploadRecord).catch((e: unknown) => e);
    expect(isCosClientError(error) && error.code).to.equal('InvalidArgument');
    expect(() => new IndexedDbResumeStore({ ttl: 5 } as never)).to.throw(/unknown option "ttl"/);
  });

  it('keeps FileSystemFileHandles so a file can be read again after a reload, until they expire', async () => {
    const dir = await navigator.storage.getDirectory();
    const handle = await dir.getFileHandle(`coskit-handle-test-${Date.now()}.txt`, { create: true });
    const writable = await handle.createWritable();
    await writable.write('hello handle');
    await writable.close();
    const dbName = freshDb();
    let now = 1_700_000_000_000;
    const store = new IndexedDbResumeStore({ dbName, now: () => now });
    const record = uploadRecord({ file: { name: handle.name, size: 12, type: '', lastModified: 5 } });
    const id = handleIdForRecord(record)!;
    expect(id).to.equal(handleIdFor({ bucket: record.bucket, key: record.key, file: { name: handle.name, size: 12, lastModified: 5 } }));
    await store.saveFileHandle(id, handle);
    await store.set(record);
    // A new store object stands in for the page after a reload.
    const reloaded = new IndexedDbResumeStore({ dbName, now: () => now });
    const back = await reloaded.getFileHandle(id);
    expect(back).to.be.instanceOf(FileSystemFileHandle);
    expect(await back!.isSameEntry(handle)).to.equal(true);
    const file = await fileFromHandle(back!);
    expect(await file!.text()).to.equal('hello handle');
    expect((await reloaded.list()).map((r) => r.fingerprint), 'handles are not listed as records').to.deep.equal([record.fingerprint]);
    now += 7 * DAY + 1;
    expect(await reloaded.getFileHandle(id)).to.equal(undefined);
    await dir.removeEntry(handle.name);
    expect(await fileFromHandle(handle), 'a deleted file reads as undefined').to.equal(undefined);
  });

  it('is usable through idb-keyval stores created elsewhere (customStore)', async () => {
    const dbName = freshDb();
    const store = new IndexedDbResumeStore({ customStore: createStore(dbName, 'other'), now: () => 1_700_000_000_000 });
    await store.set(uploadRecord());
    expect((await rawEntries(dbName))[0]![0]).to.deep.equal(['record', uploadRecord().fingerprint]);
  });
});
