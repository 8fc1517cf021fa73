/**
 * Security of what the page keeps and shows (issue 6): after uploads with temporary keys through the queue and
 * through `<cos-uploader>` (and while one is paused half way), no IndexedDB database of the origin, Web Storage,
 * Cache Storage or cookie holds a secret key, token, key id or signature; and hostile file names render as text.
 */
import { expect } from 'chai';
import { CosClient, crc64, type UploadRecord } from '@coskit/core';
import { IndexedDbResumeStore, UploadQueue, type CosUploader } from '@coskit/uploader';
import '@coskit/uploader/define';
import { testEnv, virtualHostEndpoint, type TestEnv, clientFor } from '../support/env.ts';
import { testAdmin, type EmulatorAdmin, type MintedKeys } from '../support/faults.ts';
import { seededBytes } from '../soak/batch.ts';

const MiB = 1024 * 1024;
const run = `security/storage-${Date.now().toString(36)}/`;
let env: TestEnv;
let admin: EmulatorAdmin;
let keys: MintedKeys;
let tempClient: CosClient;
const mounted: HTMLElement[] = [];

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Binary values are searched as Latin-1 text, so a secret inside an ArrayBuffer or typed array is still found. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof ArrayBuffer) return new TextDecoder('latin1').decode(value);
  if (ArrayBuffer.isView(value)) return new TextDecoder('latin1').decode(value);
  if (typeof File !== 'undefined' && value instanceof File) return `File(${value.name})`;
  if (typeof FileSystemHandle !== 'undefined' && value instanceof FileSystemHandle) return `Handle(${value.name})`;
  return value;
}

/** Everything the origin keeps: every IndexedDB database and store (keys and values), Web Storage, caches, cookies. */
async function everythingStored(): Promise<{ dump: string; databases: string[] }> {
  const dumps: string[] = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie];
  const databases: string[] = [];
  for (const info of await indexedDB.databases()) {
    databases.push(info.name!);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(info.name!);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const name of Array.from(db.objectStoreNames)) {
      const store = db.transaction(name, 'readonly').objectStore(name);
      const read = <T>(request: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((request.onsuccess = () => resolve(request.result)), (request.onerror = () => reject(request.error))));
      dumps.push(JSON.stringify([await read(store.getAllKeys()), await read(store.getAll())], replacer));
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) dumps.push(request.url, JSON.stringify([...request.headers]));
  }
  return { dump: dumps.join('\n'), databases };
}

function expectNoSecret(dump: string, when: string): void {
  const secrets = {
    'permanent SecretKey': env.secretKey,
    'permanent SecretId': env.secretId,
    'temporary SecretKey': keys.credentials.tmpSecretKey,
    'temporary SecretId': keys.credentials.tmpSecretId,
    'session token': keys.credentials.sessionToken,
    'a signature': 'q-signature',
    'an Authorization': 'q-sign-algorithm',
  };
  for (const [what, secret] of Object.entries(secrets)) expect(dump.includes(secret), `${what} stored (${when})`).to.equal(false);
}

before(async () => {
  env = await testEnv();
  admin = await testAdmin();
  keys = await admin.mintKeys({ bucket: env.bucket, prefix: run, durationSeconds: 1800 });
  tempClient = clientFor(env, { credentials: async () => keys });
});
afterEach(async () => {
  await admin.clearFaults();
  for (const el of mounted.splice(0)) el.remove();
});

describe('security: nothing secret at rest', function () {
  this.timeout(60_000);

  it('after queue and <cos-uploader> uploads with temporary keys (and half way through one), no storage of the origin holds a key, token or signature', async () => {
    const prefix = `${run}queue/`;
    await admin.setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 150 }]);
    const store = new IndexedDbResumeStore();
    const queue = new UploadQueue({ client: tempClient, prefix, resumeStore: store, uploadOptions: { sliceThreshold: MiB, partSize: MiB, concurrency: 2 } });
    try {
      const source = seededBytes(5 * MiB, 11);
      const [item] = queue.add([new File([source], 'half-way.bin', { lastModified: 5 })]);
      await until(async () => ((await store.list()) as UploadRecord[]).some((r) => r.key === item!.key && r.parts.length >= 2), 'two recorded parts');
      queue.pause(item!.id);
      const midway = await everythingStored();
      expect(midway.dump, 'the scan sees the resume record').to.include(item!.key);
      expectNoSecret(midway.dump, 'paused half way');
      const complete = new Promise((resolve) => queue.addEventListener('complete', resolve, { once: true }));
      queue.resume(item!.id);
      await complete;
      expect(item!.result?.crc64).to.equal(crc64(source));
    } finally {
      queue.dispose();
    }

    const el = document.createElement('cos-uploader') as CosUploader;
    for (const [name, value] of Object.entries({ bucket: env.bucket, region: env.region, endpoint: virtualHostEndpoint(env), prefix: `${run}element/`, multiple: '', 'part-size': String(MiB) })) {
      el.setAttribute(name, value);
    }
    el.credentials = async () => keys;
    document.body.append(el);
    mounted.push(el);
    await el.updateComplete;
    const done = new Promise<CustomEvent<{ done: number; failed: number }>>((resolve) => el.addEventListener('cos-queue-complete', (e) => resolve(e as CustomEvent), { once: true }));
    el.addFiles([new File([seededBytes(3 * MiB, 12)], 'element.bin'), new File(['tiny'], 'tiny.txt')]);
    expect((await done).detail).to.include({ done: 2, failed: 0 });

    const after = await everythingStored();
    expect(after.databases, 'the scan covers the resume database').to.include('coskit');
    expectNoSecret(after.dump, 'after the uploads');
  });
});

describe('security: hostile file names in <cos-uploader>', function () {
  this.timeout(60_000);

  it('HTML, script, template, RTL-override and 300+ character names render as exact text, inject nothing, and upload', async () => {
    const names = [
      '<img src=x onerror="window.__pwned=1">.png',
      '"><script>window.__pwned=2</script>.txt',
      '<svg onload="window.__pwned=3"><b>bold</b></svg>.bin',
      '${window.__pwned=4}{{constructor.constructor("window.__pwned=5")()}}.txt',
      'invoice\u202Egnp.exe',
      '&lt;already-escaped&gt; &amp; <!-- comment -->.txt',
      `${'long-name-'.repeat(31)}end.bin`,
    ];
    expect(names.at(-1)!.length).to.be.greaterThan(300);
    const scriptsBefore = document.scripts.length;
    const el = document.createElement('cos-uploader') as CosUploader;
    el.setAttribute('prefix', `${run}hostile/`);
    el.setAttribute('multiple', '');
    el.client = new CosClient({ bucket: env.bucket, region: env.region, endpoint: virtualHostEndpoint(env), credentials: async () => keys });
    document.body.append(el);
    mounted.push(el);
    await el.updateComplete;
    const done = new Promise<CustomEvent<{ done: number; failed: number }>>((resolve) => el.addEventListener('cos-queue-complete', (e) => resolve(e as CustomEvent), { once: true }));
    el.addFiles(names.map((name, i) => new File([`file ${i}`], name, { type: 'text/plain' })));
    expect((await done).detail).to.include({ done: names.length, failed: 0 });
    await el.updateComplete;
    const root = el.shadowRoot!;
    const rendered = Array.from(root.querySelectorAll('[part~="item-name"]'));
    expect(rendered.map((n) => n.textContent), 'names shown exactly, as text').to.deep.equal(names);
    expect(rendered.map((n) => n.getAttribute('title'))).to.deep.equal(names);
    for (const node of rendered) expect(node.children.length, 'no element inside a name').to.equal(0);
    expect(root.querySelector('script, svg, iframe, object, embed, img[src="x"], b'), 'an element made from a name').to.equal(null);
    expect(el.querySelector('*'), 'nothing injected into the light DOM').to.equal(null);
    expect(document.scripts.length).to.equal(scriptsBefore);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});
