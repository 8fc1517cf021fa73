/// <reference types="mocha" />
import { expect } from 'chai';
import { http, passthrough } from 'msw';
import { setupWorker } from 'msw/browser';
import { type CosClient, crc64, isCosServiceError } from '@coskit/core';
import { testEnv, type TestEnv, clientFor } from '../../../test/support/env.ts';
import { UploadQueue } from '../src/queue/queue.ts';
import type { QueueItem, UploadQueueEventMap } from '../src/queue/types.ts';
import type { LimiterChange } from '../src/queue/limiter.ts';

const MiB = 1024 * 1024;
let env: TestEnv;
let client: CosClient;
let queue: UploadQueue | undefined;
let run = 0;
/** A key prefix per test: tests never see each other's objects or uploads. */
let prefix = '';

function randomFile(name: string, size: number): { file: File; bytes: Uint8Array<ArrayBuffer> } {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  return { file: new File([bytes], name, { lastModified: 1_700_000_000_000 + run }), bytes };
}

async function faults(rules: unknown[]): Promise<void> {
  const res = await fetch(`${env.url}/__coskit/faults`, { method: 'PUT', body: JSON.stringify({ rules }) });
  expect(res.status, await res.clone().text()).to.equal(200);
}

async function stats(): Promise<{ requests: Record<string, number>; faults: Record<string, number> }> {
  return (await fetch(`${env.url}/__coskit/stats`)).json();
}

function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const tick = () => {
      if (condition()) return resolve();
      if (performance.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

function once<K extends keyof UploadQueueEventMap>(q: UploadQueue, type: K): Promise<UploadQueueEventMap[K]> {
  return new Promise((resolve) => q.addEventListener(type, (e) => resolve(e), { once: true }));
}

function newQueue(options: Partial<ConstructorParameters<typeof UploadQueue>[0]> = {}): UploadQueue {
  queue = new UploadQueue({
    client,
    resumeStore: false,
    prefix,
    uploadOptions: { sliceThreshold: MiB, partSize: MiB },
    ...options,
  });
  return queue;
}

async function objectText(key: string): Promise<Uint8Array> {
  const out = await client.getObject({ key });
  return new Uint8Array(await out.body.arrayBuffer());
}

describe('UploadQueue', function () {
  this.timeout(60_000);

  before(async () => {
    env = await testEnv();
    client = clientFor(env, { protocol: 'http:', retry: { limit: 2, baseDelay: 20, maxDelay: 200 } });
  });

  beforeEach(() => {
    run++;
    prefix = `queue-${Date.now()}-${run}/`;
  });

  afterEach(async () => {
    queue?.dispose();
    queue = undefined;
    await faults([]);
  });

  it('uploads several files to success, at most `concurrency` at once, with events in order', async () => {
    const q = newQueue({ concurrency: 2 });
    const files = [randomFile('empty.txt', 0), randomFile('small.bin', 1000), randomFile('multi.bin', 3 * MiB + 5), randomFile('one.bin', MiB)];
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    for (const type of ['item-added', 'before-upload', 'item-state', 'item-success', 'item-error', 'complete'] as const) {
      q.addEventListener(type, (e) => {
        const detail = (e as CustomEvent<{ item?: QueueItem }>).detail;
        const item = detail.item;
        log.push(`${type}${item ? `:${item.file.name}` : ''}${type === 'item-state' && item ? `:${item.state}` : ''}`);
        if (type === 'item-state' && item) {
          active = q.items.filter((i) => i.state === 'hashing' || i.state === 'uploading').length;
          maxActive = Math.max(maxActive, active);
        }
      });
    }
    let progressEvents = 0;
    q.addEventListener('progress', (e) => {
      progressEvents++;
      expect(e.detail.total.total).to.equal(files.reduce((n, f) => n + f.file.size, 0));
    });
    const complete = once(q, 'complete');
    const items = q.add(files.map((f) => f.file));
    expect(items.map((i) => i.key)).to.deep.equal(files.map((f) => prefix + f.file.name));
    expect(items.every((i) => i.state === 'queued')).to.equal(true);
    const { detail } = await complete;

    expect(detail.items.map((i) => i.state)).to.deep.equal(['done', 'done', 'done', 'done']);
    expect(maxActive).to.be.at.most(2);
    expect(progressEvents).to.be.greaterThan(0);
    for (const [i, item] of items.entries()) {
      expect(item.result!.crc64, item.file.name).to.equal(crc64(files[i]!.bytes));
      expect(item.progress.percent).to.equal(100);
      expect(await objectText(item.key)).to.deep.equal(files[i]!.bytes);
    }
    expect(items[2]!.result!.multipart).to.equal(true);
    expect(q.progress).to.include({ loaded: q.progress.total, percent: 100 });
    // Per item: added first (all of them), then before-upload, hashing, uploading, done, success; complete last.
    expect(log.slice(0, 4)).to.deep.equal(files.map((f) => `item-added:${f.file.name}`));
    for (const { file } of files) {
      const mine = log.filter((l) => l.includes(`:${file.name}`) && !l.startsWith('item-added'));
      expect(mine[0], file.name).to.equal(`before-upload:${file.name}`);
      expect(mine.at(-2)).to.equal(`item-state:${file.name}:done`);
      expect(mine.at(-1)).to.equal(`item-success:${file.name}`);
      expect(mine).to.include(`item-state:${file.name}:hashing`);
    }
    expect(log.at(-1)).to.equal('complete');
    expect(log.filter((l) => l === 'complete')).to.have.length(1);
  });

  it('pauses and resumes one item; a paused item frees its file slot for the next one', async () => {
    await faults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 150 }]);
    const q = newQueue({ concurrency: 1 });
    const a = randomFile('a.bin', 6 * MiB);
    const b = randomFile('b.bin', 2000);
    const [itemA, itemB] = q.add([a.file, b.file]);
    await waitFor(() => itemA!.state === 'uploading' && itemA!.progress.loaded > 0, 'a to upload');
    q.pause(itemA!.id);
    expect(itemA!.state).to.equal('paused');
    await once(q, 'item-success');
    expect(itemB!.state, 'b ran while a was paused').to.equal('done');
    const loadedWhilePaused = itemA!.progress.loaded;
    await new Promise((r) => setTimeout(r, 300));
    expect(itemA!.state).to.equal('paused');
    expect(itemA!.progress.loaded).to.be.at.most(loadedWhilePaused);
    const complete = once(q, 'complete');
    q.resume(itemA!.id);
    await complete;
    expect(itemA!.state).to.equal('done');
    expect(itemA!.result!.crc64).to.equal(crc64(a.bytes));
    expect(await objectText(itemA!.key)).to.deep.equal(a.bytes);
  });

  it('pauseAll / resumeAll / cancelAll / clear / remove act on every item, and complete waits for paused ones', async () => {
    await faults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 150 }]);
    const q = newQueue({ concurrency: 1 });
    const starts: string[] = [];
    const completes: number[] = [];
    q.addEventListener('before-upload', (e) => starts.push(e.detail.item.file.name));
    q.addEventListener('complete', (e) => completes.push(e.detail.items.length));
    const items = q.add([randomFile('1.bin', 4 * MiB).file, randomFile('2.bin', 4 * MiB).file, randomFile('3.bin', 10).file]);
    await waitFor(() => items[0]!.state === 'uploading' && items[0]!.progress.loaded > 0, 'the first to upload');
    q.pauseAll();
    expect(items.map((i) => i.state)).to.deep.equal(['paused', 'paused', 'paused']);
    expect(starts, 'pausing the running item did not start a queued one').to.deep.equal(['1.bin']);
    await new Promise((r) => setTimeout(r, 200));
    expect(completes, 'paused items are not finished').to.deep.equal([]);
    q.resumeAll();
    await waitFor(() => items[1]!.state === 'uploading' && items[1]!.progress.loaded > 0, 'the second to upload');
    await q.cancelAll();
    expect(items.map((i) => i.state)).to.deep.equal(['done', 'canceled', 'canceled']);
    expect(completes).to.deep.equal([3]);
    expect((await client.listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
    const removed: string[] = [];
    q.addEventListener('item-removed', (e) => removed.push(e.detail.item.file.name));
    q.retry(items[2]!.id);
    await waitFor(() => items[2]!.state === 'done', 'the retried item');
    q.clear();
    expect(q.items).to.deep.equal([]);
    expect(removed.sort()).to.deep.equal(['1.bin', '2.bin', '3.bin']);
    const [late] = q.add([randomFile('4.bin', 4 * MiB).file]);
    await waitFor(() => late!.state === 'uploading', 'the late one to upload');
    await q.remove(late!.id);
    expect(late!.state).to.equal('canceled');
    expect(q.get(late!.id)).to.equal(undefined);
    expect((await client.listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
  });

  it('cancel aborts the multipart upload on the server: no orphaned upload is left', async () => {
    await faults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 200 }]);
    const q = newQueue();
    const [item] = q.add([randomFile('big.bin', 8 * MiB).file]);
    await waitFor(() => item!.state === 'uploading' && item!.progress.loaded > 0, 'parts in flight');
    const during = await client.listMultipartUploads({ prefix });
    expect(during.uploads.map((u) => u.key)).to.deep.equal([item!.key]);
    await q.cancel(item!.id);
    expect(item!.state).to.equal('canceled');
    expect((await client.listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
    const missing = await client.headObject({ key: item!.key }).catch((e: unknown) => e);
    expect(isCosServiceError(missing) && missing.code).to.equal('NoSuchKey');
  });

  it('fails an item on a persistent server error, reports it, and retry() completes it from where it stopped', async () => {
    const q = newQueue({ uploadOptions: { sliceThreshold: MiB, partSize: MiB, concurrency: 1 }, resumeStore: undefined });
    // The pipeline tries 3 times (retry.limit 2): the first part fails for good.
    await faults([{ op: 'UploadPart', key: prefix, kind: 'error500', count: 3 }]);
    const f = randomFile('flaky.bin', 3 * MiB);
    const failed = once(q, 'item-error');
    const [item] = q.add([f.file]);
    const { detail } = await failed;
    expect(detail.item).to.equal(item);
    expect(item!.state).to.equal('failed');
    expect(isCosServiceError(detail.error) && detail.error.code).to.equal('InternalError');
    expect(item!.error).to.equal(detail.error);
    expect((await stats()).faults.error500).to.be.at.least(3);
    const complete = once(q, 'complete');
    const states: string[] = [];
    q.addEventListener('item-state', (e) => states.push(e.detail.item.state));
    q.retry(item!.id);
    expect(states.slice(0, 2)).to.deep.equal(['queued', 'hashing']);
    expect(item!.error).to.equal(undefined);
    await complete;
    expect(item!.state).to.equal('done');
    expect(item!.resumed, 'the same multipart upload was continued').to.equal(true);
    expect(await objectText(item!.key)).to.deep.equal(f.bytes);
    expect((await client.listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
  });

  it('cancel of a failed item discards its multipart upload and resume record', async () => {
    const q = newQueue({ uploadOptions: { sliceThreshold: MiB, partSize: MiB, concurrency: 1 }, resumeStore: undefined });
    await faults([{ op: 'UploadPart', key: prefix, kind: 'error500', count: 3 }]);
    const failed = once(q, 'item-error');
    const [item] = q.add([randomFile('doomed.bin', 2 * MiB).file]);
    await failed;
    expect((await client.listMultipartUploads({ prefix })).uploads, 'kept for resume').to.have.length(1);
    expect((await q.pending()).some((r) => r.key === item!.key)).to.equal(true);
    await q.cancel(item!.id);
    expect(item!.state).to.equal('canceled');
    expect((await client.listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
    expect((await q.pending()).some((r) => r.key === item!.key)).to.equal(false);
  });

  it('pauses everything on `offline` and continues on `online`', async () => {
    await faults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 150 }]);
    const q = newQueue({ concurrency: 1 });
    const a = randomFile('a.bin', 4 * MiB);
    const b = randomFile('b.bin', 10);
    const [itemA, itemB] = q.add([a.file, b.file]);
    await waitFor(() => itemA!.state === 'uploading' && itemA!.progress.loaded > 0, 'a to upload');
    globalThis.dispatchEvent(new Event('offline'));
    expect(itemA!.state).to.equal('paused');
    await new Promise((r) => setTimeout(r, 300));
    expect(itemB!.state, 'nothing starts while offline').to.equal('queued');
    const userPaused = q.add([randomFile('c.bin', 10).file])[0]!;
    q.pause(userPaused.id);
    const complete = once(q, 'complete');
    globalThis.dispatchEvent(new Event('online'));
    await waitFor(() => itemA!.state === 'done' && itemB!.state === 'done', 'both to finish');
    expect(userPaused.state, 'a pause by the user outlives going back online').to.equal('paused');
    q.resume(userPaused.id);
    await complete;
    expect(await objectText(itemA!.key)).to.deep.equal(a.bytes);
  });

  it('halves the shared part budget on SlowDown and grows it back one part at a time', async () => {
    const q = newQueue({ concurrency: 2, partBudget: 6 });
    const changes: LimiterChange[] = [];
    q.limiter.addEventListener('change', (e) => changes.push((e as CustomEvent<LimiterChange>).detail));
    let maxInFlight = 0;
    const sample = setInterval(() => (maxInFlight = Math.max(maxInFlight, q.limiter.inFlight)), 2);
    await faults([{ op: 'UploadPart', key: prefix, kind: 'slowDown', count: 2 }]);
    const files = [randomFile('x.bin', 16 * MiB), randomFile('y.bin', 16 * MiB)];
    const complete = once(q, 'complete');
    q.add(files.map((f) => f.file));
    await complete;
    clearInterval(sample);
    expect(q.items.map((i) => i.state)).to.deep.equal(['done', 'done']);
    expect((await stats()).faults.slowDown).to.be.at.least(2);
    expect(changes[0]).to.deep.equal({ limit: 3, previous: 6, reason: 'throttled' });
    // Parts that were in flight together when throttled cut once, not once each.
    expect(changes.filter((c) => c.reason === 'throttled')).to.have.length(1);
    expect(changes.slice(1).map((c) => c.limit)).to.deep.equal([4, 5, 6]);
    expect(q.limiter.limit).to.equal(6);
    expect(maxInFlight).to.be.at.most(6);
    for (const [i, item] of q.items.entries()) expect(item.result!.crc64).to.equal(crc64(files[i]!.bytes));
  });

  it('before-upload: a listener renames one item and cancels another', async () => {
    const q = newQueue();
    const keep = randomFile('keep.txt', 100);
    const skip = randomFile('skip.txt', 100);
    q.addEventListener('before-upload', (e) => {
      const { item } = e.detail;
      if (item.file.name === 'skip.txt') e.preventDefault();
      else {
        item.key = `${prefix}renamed/${item.file.name}`;
        item.meta = { origin: 'test' };
      }
    });
    // x-cos-meta-* response headers are not CORS-exposed, so the request headers are read on the way out (msw).
    const sent: Array<{ url: string; meta: string | null }> = [];
    const worker = setupWorker(
      http.put(/localhost/, ({ request }) => {
        sent.push({ url: request.url, meta: request.headers.get('x-cos-meta-origin') });
        return passthrough();
      }),
    );
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
    try {
      const complete = once(q, 'complete');
      const [kept, skipped] = q.add([keep.file, skip.file]);
      await complete;
      expect(skipped!.state).to.equal('canceled');
      expect(kept!.state).to.equal('done');
      expect(kept!.key).to.equal(`${prefix}renamed/keep.txt`);
      expect((await client.headObject({ key: kept!.key })).size).to.equal(100);
      expect(sent, 'one PUT, with the new key and meta; none for the canceled file').to.have.length(1);
      expect(new URL(sent[0]!.url).pathname).to.equal(`/${prefix}renamed/keep.txt`);
      expect(sent[0]!.meta).to.equal('test');
    } finally {
      worker.stop();
    }
  });

  it('with autoStart off, waits for start(); keys follow keyFor and relative paths', async () => {
    const q = newQueue({ autoStart: false, keyFor: (file, relativePath) => `${prefix}by-hand/${relativePath || file.name}`.toLowerCase() });
    let starts = 0;
    q.addEventListener('before-upload', () => starts++);
    const items = q.add([randomFile('A.txt', 3).file, { file: randomFile('b.txt', 4).file, relativePath: 'Dir/b.txt' }, { file: randomFile('c.txt', 5).file, key: `${prefix}explicit` }]);
    expect(items.map((i) => i.key)).to.deep.equal([`${prefix}by-hand/a.txt`, `${prefix}by-hand/dir/b.txt`, `${prefix}explicit`]);
    expect(items[1]!.relativePath).to.equal('Dir/b.txt');
    await new Promise((r) => setTimeout(r, 100));
    expect(starts).to.equal(0);
    expect(q.items.map((i) => i.state)).to.deep.equal(['queued', 'queued', 'queued']);
    const complete = once(q, 'complete');
    q.start();
    await complete;
    expect(starts).to.equal(3);
    expect((await client.headObject({ key: `${prefix}by-hand/dir/b.txt` })).size).to.equal(4);
  });

  it('rejects bad options and inputs with InvalidArgument before any request', () => {
    expect(() => new UploadQueue({ client, conccurency: 2 } as never)).to.throw(/unknown option "conccurency"/);
    expect(() => new UploadQueue({ client, concurrency: 0 })).to.throw(/concurrency/);
    expect(() => new UploadQueue({ client, uploadOptions: { key: 'x' } as never })).to.throw(/uploadOptions.key/);
    expect(() => new UploadQueue({} as never)).to.throw(/client/);
    const q = newQueue();
    expect(() => q.add(['not a file' as never])).to.throw(/add\(\)/);
    expect(q.items).to.have.length(0);
  });

  it('fails an item whose key COS would refuse, without sending anything', async () => {
    const q = newQueue({ keyFor: () => '/leading-slash' });
    const before = (await stats()).requests;
    const failed = once(q, 'item-error');
    q.add([randomFile('x.txt', 5).file]);
    const { detail } = await failed;
    expect((detail.error as { code?: string }).code).to.equal('InvalidArgument');
    expect((await stats()).requests).to.deep.equal(before);
  });
});
