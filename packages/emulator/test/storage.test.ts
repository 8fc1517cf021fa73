import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) out.push(...(await listTree(p)));
  }
  return out;
}

describe('disk storage', () => {
  let root: string;
  let dataDir: string;
  let emu: RunningEmulator;
  const creds = { secretId: 'AKIDdurabilitytest', secretKey: 'durability-test-key' };
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'coskit-emu-disk-'));
    dataDir = join(root, 'data');
    emu = await start({ memory: false, dir: dataDir, ...creds });
  });
  after(async () => {
    await emu.close();
    await rm(root, { recursive: true, force: true });
  });

  it('objects, metadata and in-progress multipart uploads survive a restart', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/keep/a.txt`, { body: 'durable', headers: { 'x-cos-meta-x': '1', 'Content-Type': 'text/x' } });
    const init = await cos(emu, 'POST', `/${BUCKET}/keep/mp.bin`, { query: { uploads: '' } });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await init.text())![1]!;
    const part1 = Buffer.alloc(1024 * 1024, 1);
    const p1 = await cos(emu, 'PUT', `/${BUCKET}/keep/mp.bin`, { query: { partNumber: '1', uploadId }, body: part1 });
    assert.equal(p1.status, 200);
    const etag1 = p1.headers.get('etag')!;

    // A blob committed just before a crash (no metadata points at it) is collected at start.
    await writeFile(join(dataDir, 'blobs', 'deadbeefdeadbeefdeadbeef'), 'orphan');
    await emu.close();
    emu = await start({ memory: false, dir: dataDir, ...creds });
    assert.ok(!(await readdir(join(dataDir, 'blobs'))).includes('deadbeefdeadbeefdeadbeef'));

    const get = await cos(emu, 'GET', `/${BUCKET}/keep/a.txt`);
    assert.equal(await get.text(), 'durable');
    assert.equal(get.headers.get('x-cos-meta-x'), '1');
    assert.equal(get.headers.get('content-type'), 'text/x');
    const parts = await cos(emu, 'GET', `/${BUCKET}/keep/mp.bin`, { query: { uploadId } });
    assert.match(await parts.text(), /<PartNumber>1<\/PartNumber>/);
    const p2 = await cos(emu, 'PUT', `/${BUCKET}/keep/mp.bin`, { query: { partNumber: '2', uploadId }, body: 'end' });
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${p2.headers.get('etag')}</ETag></Part></CompleteMultipartUpload>`;
    const done = await cos(emu, 'POST', `/${BUCKET}/keep/mp.bin`, { query: { uploadId }, body: xml });
    assert.equal(done.status, 200, await done.clone().text());
    const whole = Buffer.from(await (await cos(emu, 'GET', `/${BUCKET}/keep/mp.bin`)).arrayBuffer());
    assert.equal(whole.length, 1024 * 1024 + 3);
    assert.equal(whole.subarray(-3).toString(), 'end');
  });

  it('parallel part uploads to one upload are all recorded durably', async () => {
    const init = await cos(emu, 'POST', `/${BUCKET}/par/mp`, { query: { uploads: '' } });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await init.text())![1]!;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => cos(emu, 'PUT', `/${BUCKET}/par/mp`, { query: { partNumber: String(i + 1), uploadId }, body: `part-${i + 1}` })),
    );
    assert.ok(results.every((r) => r.status === 200));
    await emu.close();
    emu = await start({ memory: false, dir: dataDir, ...creds });
    const parts = await (await cos(emu, 'GET', `/${BUCKET}/par/mp`, { query: { uploadId } })).text();
    assert.equal([...parts.matchAll(/<PartNumber>/g)].length, 8);
  });

  it('hostile keys never become paths: ../, absolute, encoded and NUL keys stay inside the data dir', async () => {
    const keys = ['../../escape.txt', '..%2F..%2Fescape2.txt', 'a/../../../../tmp/escape3.txt', '%2e%2e/%2e%2e/escape4'];
    for (const k of keys) {
      const r = await cos(emu, 'PUT', `/${BUCKET}/${encodeURIComponent(k)}`, { body: 'x' });
      assert.equal(r.status, 200, k);
      const g = await cos(emu, 'GET', `/${BUCKET}/${encodeURIComponent(k)}`);
      assert.equal(await g.text(), 'x');
    }
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/${encodeURIComponent('nul\0byte')}`, { body: 'x' })).status, 400);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/${encodeURIComponent('/abs/key')}`, { body: 'x' })).status, 400);
    const files = await listTree(root);
    for (const f of files) assert.ok(resolve(f).startsWith(resolve(dataDir)) || resolve(f) === resolve(dataDir), f);
    assert.ok(!files.some((f) => /escape/.test(f)), 'no file is named after a key');
  });
});

describe('XML hardening', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  it('refuses DOCTYPE / entity-expansion bombs as MalformedXML, fast', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<Delete><Object><Key>&lol4;</Key></Object></Delete>`;
    const t0 = Date.now();
    const r = await cos(emu, 'POST', `/${BUCKET}/`, { query: { delete: '' }, body: bomb });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /<Code>MalformedXML<\/Code>/);
    assert.ok(Date.now() - t0 < 1000);
    const cors = await cos(emu, 'PUT', `/${BUCKET}/`, { query: { cors: '' }, body: '<!DOCTYPE x [<!ENTITY a "b">]><CORSConfiguration/>' });
    assert.equal(cors.status, 400);
    const notXml = await cos(emu, 'POST', `/${BUCKET}/`, { query: { delete: '' }, body: '<Delete><Object>' });
    assert.equal(notXml.status, 400);
  });
});
