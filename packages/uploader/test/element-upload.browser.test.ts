/**
 * `<cos-uploader>` uploading to the run's emulator over real HTTP: success and event details, renaming and
 * vetoing in `cos-before-upload`, pause/resume, cancel without an orphaned multipart upload, retry after an injected
 * failure, resume after a simulated reload, keyboard control of the rows, and temporary keys from `credentials-url`.
 */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import { crc64, type CosClient, type UploadRecord } from '@coskit/core';
import { recordRequests } from '../../../test/support/msw.ts';
import type { CosUploader } from '../src/element/cos-uploader.component.ts';
import type { CosUploadErrorDetail, CosUploadSuccessDetail } from '../src/element/events.ts';
import { IndexedDbResumeStore } from '../src/resume/idb-store.ts';
import {
  emulatorClient,
  makeFile,
  mintTemporaryKeys,
  mount,
  nextEvent,
  part,
  parts,
  setFaults,
  testEnv,
  uniquePrefix,
  unmountAll,
  waitFor,
} from './element-helpers.ts';

const MiB = 1024 * 1024;
/** Multipart from 1 MiB with 1 MiB parts, so a few MiB make several parts. */
const MULTIPART = Object.freeze({ sliceThreshold: MiB });

async function head(client: CosClient, key: string): Promise<Response['headers'] | undefined> {
  try {
    const response = await client.request({ action: 'HeadObject', method: 'HEAD', key, responseType: 'none' });
    return response.headers;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

async function openUploads(client: CosClient, prefix: string): Promise<string[]> {
  const response = await client.request<{ Upload?: Array<{ Key: string }> }>({
    action: 'ListMultipartUploads',
    method: 'GET',
    query: { uploads: '', prefix },
  });
  return (response.data.Upload ?? []).map((u) => u.Key);
}

/** Requests the emulator has served, by operation name. */
async function stats(): Promise<Record<string, number>> {
  const env = await testEnv();
  const response = await fetch(new URL('/__coskit/stats', env.url));
  return ((await response.json()) as { requests: Record<string, number> }).requests;
}

/**
 * Waits until the store's (only) upload record lists `n` finished parts: parts count once the server has them and
 * the record says so, so pausing then leaves a resumable upload.
 */
async function recordedParts(store: IndexedDbResumeStore, n: number): Promise<void> {
  const end = performance.now() + 20_000;
  for (;;) {
    const [record] = (await store.list()) as UploadRecord[];
    if ((record?.parts.length ?? 0) >= n) return;
    if (performance.now() > end) throw new Error(`timed out waiting for ${n} recorded parts`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function stateOf(el: CosUploader, index = 0): string | undefined {
  return el.items[index]?.state;
}

describe('<cos-uploader> uploading', function () {
  this.timeout(60_000);
  afterEach(async () => {
    unmountAll();
    await setFaults([]);
  });

  it('uploads to success and reports key, etag, crc64 and location; progress bars and the live region follow', async () => {
    const client = await emulatorClient();
    const prefix = uniquePrefix('success');
    const el = await mount({ prefix, multiple: true }, { client });
    const successes: CosUploadSuccessDetail[] = [];
    const progress: number[] = [];
    el.addEventListener('cos-upload-success', (e) => successes.push(e.detail));
    el.addEventListener('cos-progress', (e) => progress.push(e.detail.total.percent));
    const small = makeFile('small.txt', 2048, 'text/plain');
    const big = makeFile('big.bin', 3 * MiB + 5);
    const complete = nextEvent<CustomEvent<{ items: unknown[]; done: number; failed: number }>>(el, 'cos-queue-complete');
    el.uploadOptions = MULTIPART;
    el.addFiles([small, big]);
    const { detail } = await complete;
    expect(detail).to.include({ done: 2, failed: 0 });
    expect(successes.map((s) => s.key).sort()).to.deep.equal([`${prefix}big.bin`, `${prefix}small.txt`]);
    for (const s of successes) {
      const file = s.key.endsWith('big.bin') ? big : small;
      expect(s.crc64).to.equal(crc64(new Uint8Array(await file.arrayBuffer())));
      expect(s.etag).to.match(/^".+"$/);
      expect(s.location).to.contain(encodeURI(s.key));
      expect(s.item.state).to.equal('done');
      const headers = await head(client, s.key);
      expect(headers?.get('content-length')).to.equal(String(file.size));
    }
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.at(-1)).to.equal(100);
    await el.updateComplete;
    const bar = part(el, 'total-progress');
    expect(bar.getAttribute('role')).to.equal('progressbar');
    expect(bar.getAttribute('aria-valuenow')).to.equal('100');
    expect(parts(el, 'item-progress').map((b) => b.getAttribute('aria-valuenow'))).to.deep.equal(['100', '100']);
    expect(parts(el, 'item-state').map((s) => s.textContent)).to.deep.equal(['Done', 'Done']);
    await waitFor(() => /finished/.test(part(el, 'announcer').textContent ?? ''), 'the completion announcement');
    expect(part(el, 'announcer').getAttribute('aria-live')).to.equal('polite');
  });

  it('lets cos-before-upload rename, add metadata or veto an upload', async () => {
    const client = await emulatorClient();
    const prefix = uniquePrefix('before');
    const el = await mount({ prefix, multiple: true }, { client });
    el.addEventListener('cos-before-upload', (e) => {
      if (e.detail.file.name === 'veto.txt') e.preventDefault();
      else {
        e.detail.key = `${prefix}renamed/${e.detail.file.name}`;
        e.detail.meta = { origin: 'element-test' };
      }
    });
    const log = await recordRequests();
    const complete = nextEvent(el, 'cos-queue-complete');
    el.addFiles([makeFile('keep.txt', 100, 'text/plain'), makeFile('veto.txt', 100, 'text/plain')]);
    await complete;
    log.stop();
    // CORS does not expose x-cos-meta-* to the page, so the metadata is checked on the request that carried it.
    const put = log.requests.find((r) => r.method === 'PUT' && decodeURIComponent(new URL(r.url).pathname) === `/${prefix}renamed/keep.txt`);
    expect(put?.headers.get('x-cos-meta-origin')).to.equal('element-test');
    expect(log.requests.some((r) => r.url.includes('veto'))).to.equal(false);
    const keep = el.items.find((i) => i.file.name === 'keep.txt')!;
    const veto = el.items.find((i) => i.file.name === 'veto.txt')!;
    expect(keep.state).to.equal('done');
    expect(veto.state).to.equal('canceled');
    expect(await head(client, `${prefix}renamed/keep.txt`)).to.not.equal(undefined);
    expect(await head(client, `${prefix}veto.txt`)).to.equal(undefined);
  });

  it('pauses and resumes a multipart upload from its row buttons', async () => {
    const client = await emulatorClient();
    const prefix = uniquePrefix('pause');
    await setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 250 }]);
    const el = await mount({ prefix, 'part-size': '1MB', concurrency: '1' }, { client, uploadOptions: MULTIPART });
    el.addFiles([makeFile('pause.bin', 4 * MiB)]);
    await waitFor(() => el.items[0]!.progress.loaded > 0, 'first bytes sent');
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'pause-button').click();
    await waitFor(() => stateOf(el) === 'paused', 'paused state');
    await el.updateComplete;
    expect(part(el, 'item-state').textContent).to.equal('Paused');
    const loaded = el.items[0]!.progress.loaded;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(el.items[0]!.progress.loaded, 'no progress while paused').to.be.at.most(loaded + MiB);
    expect(stateOf(el)).to.equal('paused');
    const done = nextEvent<CustomEvent<CosUploadSuccessDetail>>(el, 'cos-upload-success');
    part<HTMLButtonElement>(el, 'resume-button').click();
    const { detail } = await done;
    expect((await head(client, detail.key))?.get('content-length')).to.equal(String(4 * MiB));
  });

  it('cancels from the row and leaves no multipart upload behind', async () => {
    const client = await emulatorClient();
    const prefix = uniquePrefix('cancel');
    await setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 400 }]);
    const el = await mount({ prefix, 'part-size': '1MB' }, { client, uploadOptions: MULTIPART });
    el.addFiles([makeFile('cancel.bin', 5 * MiB)]);
    await waitFor(() => stateOf(el) === 'uploading', 'uploading state');
    await waitFor(() => el.items[0]!.progress.loaded > 0, 'first bytes sent');
    expect(await openUploads(client, prefix)).to.deep.equal([`${prefix}cancel.bin`]);
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'cancel-button').click();
    await waitFor(() => stateOf(el) === 'canceled', 'canceled state');
    // The abort is a request of its own; give it a moment, then nothing may be left open on the server.
    let open = await openUploads(client, prefix);
    for (let i = 0; i < 20 && open.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await openUploads(client, prefix);
    }
    expect(open).to.deep.equal([]);
    expect(await head(client, `${prefix}cancel.bin`)).to.equal(undefined);
    // Remove takes the canceled row away.
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'remove-button').click();
    await el.updateComplete;
    expect(el.items).to.have.length(0);
    expect(parts(el, 'item')).to.have.length(0);
  });

  it('shows a failed upload with its typed error and succeeds on Retry', async () => {
    const client = await emulatorClient({ retry: { limit: 0 } });
    const prefix = uniquePrefix('retry');
    await setFaults([{ op: 'PutObject', key: prefix, kind: 'error500', count: 1 }]);
    const el = await mount({ prefix }, { client });
    const failed = nextEvent<CustomEvent<CosUploadErrorDetail>>(el, 'cos-upload-error');
    el.addFiles([makeFile('flaky.txt', 500, 'text/plain')]);
    const { detail } = await failed;
    expect(detail.error.name).to.equal('CosServiceError');
    expect((detail.error as { code?: string }).code).to.equal('InternalError');
    await waitFor(() => stateOf(el) === 'failed', 'failed state');
    await el.updateComplete;
    expect(part(el, 'item-state').textContent).to.equal('Failed');
    expect(part(el, 'item-error').textContent).to.equal(detail.error.message);
    const done = nextEvent<CustomEvent<CosUploadSuccessDetail>>(el, 'cos-upload-success');
    part<HTMLButtonElement>(el, 'retry-button').click();
    expect((await done).detail.key).to.equal(`${prefix}flaky.txt`);
    expect(await head(client, `${prefix}flaky.txt`)).to.not.equal(undefined);
  });

  it('shows unfinished uploads after a reload and continues them when the file is picked again', async () => {
    const client = await emulatorClient();
    const prefix = uniquePrefix('reload');
    const resumeStore = new IndexedDbResumeStore({ dbName: `coskit-element-${crypto.randomUUID()}` });
    await setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 400 }]);
    const file = makeFile('resume.bin', 8 * MiB);
    const first = await mount({ prefix, 'part-size': '1MB' }, { client, resumeStore, uploadOptions: MULTIPART });
    first.addFiles([file]);
    await recordedParts(resumeStore, 2);
    first.pauseAll();
    await waitFor(() => stateOf(first) === 'paused', 'paused before the "reload"');
    first.remove();
    await setFaults([]);

    // The "reloaded" page: a new element on the same IndexedDB store.
    const second = await mount({ prefix, 'part-size': '1MB' }, { client, resumeStore, uploadOptions: MULTIPART });
    await waitFor(() => parts(second, 'pending-item').length === 1, 'the unfinished upload listed');
    const row = part(second, 'pending-item');
    expect(row.textContent).to.contain('resume.bin').and.contain('Unfinished');
    const sentBefore = (await stats()).UploadPart ?? 0;
    const success = nextEvent<CustomEvent<CosUploadSuccessDetail>>(second, 'cos-upload-success');
    second.addFiles([file]);
    const { detail } = await success;
    // The recorded parts are kept, not re-sent. Counted by the engine per part, since the wire count also includes
    // the pipeline's retries of a request (a loaded machine times one out now and then).
    const result = detail.item.result!;
    expect(result.partsReused, 'parts kept from before the reload').to.be.at.least(2);
    expect(result.partsSent, 'parts sent after the reload').to.be.at.most(8 - 2);
    expect((await stats()).UploadPart! - sentBefore, 'UploadPart requests on the wire').to.be.at.least(result.partsSent);
    expect(detail.key).to.equal(`${prefix}resume.bin`);
    expect(detail.item.resumed).to.equal(true);
    expect(detail.crc64).to.equal(crc64(new Uint8Array(await file.arrayBuffer())));
    await second.updateComplete;
    expect(parts(second, 'pending-item')).to.have.length(0);
  });

  it('discards an unfinished upload from an earlier visit: aborted on the server, record gone', async () => {
    const client = await emulatorClient();
    const prefix = uniquePrefix('discard');
    const resumeStore = new IndexedDbResumeStore({ dbName: `coskit-element-${crypto.randomUUID()}` });
    await setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 400 }]);
    const first = await mount({ prefix, 'part-size': '1MB' }, { client, resumeStore, uploadOptions: MULTIPART });
    first.addFiles([makeFile('forget-me.bin', 8 * MiB)]);
    await recordedParts(resumeStore, 1);
    first.pauseAll();
    await waitFor(() => stateOf(first) === 'paused', 'paused');
    first.remove();
    expect(await openUploads(client, prefix)).to.deep.equal([`${prefix}forget-me.bin`]);

    // Configured after its first render (as a framework would set properties): it still lists the upload.
    const second = await mount({ prefix });
    expect(parts(second, 'pending-item')).to.have.length(0);
    second.resumeStore = resumeStore;
    second.client = client;
    await waitFor(() => parts(second, 'discard-button').length === 1, 'the unfinished upload listed');
    part<HTMLButtonElement>(second, 'discard-button').click();
    await waitFor(() => parts(second, 'pending-item').length === 0, 'the row gone');
    let open = await openUploads(client, prefix);
    for (let i = 0; i < 20 && open.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await openUploads(client, prefix);
    }
    expect(open, 'multipart upload aborted').to.deep.equal([]);
    expect(await resumeStore.list()).to.deep.equal([]);
  });

  it('drives row and toolbar buttons from the keyboard', async () => {
    const client = await emulatorClient();
    const prefix = uniquePrefix('keys');
    await setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 300 }]);
    const el = await mount({ prefix, 'part-size': '1MB', concurrency: '1' }, { client, uploadOptions: MULTIPART });
    el.addFiles([makeFile('keyboard.bin', 4 * MiB)]);
    await waitFor(() => stateOf(el) === 'uploading', 'uploading');
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'browse-button').focus();
    const pause = part<HTMLButtonElement>(el, 'pause-button');
    for (let i = 0; i < 10 && el.shadowRoot!.activeElement !== pause; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement, 'Tab reaches the row').to.equal(pause);
    await sendKeys({ press: 'Space' });
    await waitFor(() => stateOf(el) === 'paused', 'paused by Space');
    await el.updateComplete;
    // Same button, now "Resume", still focused: keyboard users do not lose their place.
    expect(el.shadowRoot!.activeElement).to.equal(pause);
    expect(pause.textContent!.trim()).to.equal('Resume');
    const done = nextEvent(el, 'cos-upload-success');
    await sendKeys({ press: 'Enter' });
    await done;
  });

  it('fetches temporary keys from credentials-url and uploads with them', async () => {
    const env = await testEnv();
    const prefix = uniquePrefix('sts');
    const sts = await mintTemporaryKeys(env);
    let fetched = 0;
    const url = URL.createObjectURL(new Blob([JSON.stringify(sts)], { type: 'application/json' }));
    const original = window.fetch;
    window.fetch = (input, init) => {
      if (String(input) === url) fetched++;
      return original(input, init);
    };
    try {
      const el = await mount({
        bucket: env.bucket,
        region: env.region,
        endpoint: `http://{Bucket}.cos.{Region}.localhost:${env.port}`,
        'credentials-url': url,
        prefix,
      });
      const success = nextEvent<CustomEvent<CosUploadSuccessDetail>>(el, 'cos-upload-success');
      el.addFiles([makeFile('sts.txt', 300, 'text/plain')]);
      expect((await success).detail.key).to.equal(`${prefix}sts.txt`);
      expect(fetched).to.be.greaterThan(0);
    } finally {
      window.fetch = original;
      URL.revokeObjectURL(url);
    }
  });
});
