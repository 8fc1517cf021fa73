/**
 * Hardening of the emulator (issue 6, "Security", last item): object keys never escape the data folder (the encoded
 * and indirect variants storage.test.ts does not try), every XML-reading endpoint refuses entity expansion and
 * survives absurd nesting, the admin/fault endpoints refuse a non-loopback peer, and a seeded fuzz of 2,000 requests
 * (signatures, headers, query strings, XML and form bodies) never crashes it or gets a 5xx for bad input.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { isLoopback } from '../src/admin.ts';
import { BUCKET, cos, REGION, start } from './support/emu.ts';
import { sign } from './support/signer.ts';

interface Raw {
  status: number;
  body: string;
}

/** One HTTP exchange with node:http (fetch refuses some methods and headers a fuzzer wants to send). */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: hostname, port, method, path, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', fail);
    req.end(body);
  });
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    out.push(join(dir, e.name));
    if (e.isDirectory()) out.push(...(await listTree(join(dir, e.name))));
  }
  return out;
}

describe('emulator hardening: hostile keys on disk', () => {
  let root: string;
  let dataDir: string;
  let emu: RunningEmulator;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'coskit-emu-fuzz-'));
    dataDir = join(root, 'data');
    emu = await start({ memory: false, dir: dataDir });
  });
  after(async () => {
    await emu.close();
    await rm(root, { recursive: true, force: true });
  });

  it('double-encoded, overlong-UTF-8, backslash, fullwidth and drive-letter keys, through PUT, multipart, copy and append, stay inside the data dir', async () => {
    const pathForms = ['%252e%252e%252fescape-a', '%c0%ae%c0%ae/%c0%ae%c0%ae/escape-b', '..%5c..%5cescape-c', '%ef%bc%8e%ef%bc%8e%ef%bc%8fescape-d', 'C:%5cWindows%5cescape-e', '.%2e/.%2e/escape-f', '%2e%2e%2f%2e%2e%2fescape-g'];
    for (const form of pathForms) {
      const put = await raw(emu.url, 'PUT', `/${BUCKET}/${form}`, { authorization: 'x', 'content-length': '1' }, 'x');
      assert.ok(put.status < 500, `${form}: ${put.status}`);
      // Signed, through the test client (it signs the decoded path as COS does).
      const key = decodeURIComponent(form.replace(/%c0%ae/g, '.'));
      const signed = await cos(emu, 'PUT', `/${BUCKET}/${encodeURIComponent(key)}`, { body: 'y' });
      assert.equal(signed.status, 200, key);
    }
    const mpKey = encodeURIComponent('../../escape-mp');
    const init = await cos(emu, 'POST', `/${BUCKET}/${mpKey}`, { query: { uploads: '' } });
    const uploadId = /<UploadId>([^<]+)</.exec(await init.text())![1]!;
    const part = await cos(emu, 'PUT', `/${BUCKET}/${mpKey}`, { query: { partNumber: '1', uploadId }, body: 'part' });
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.get('etag')}</ETag></Part></CompleteMultipartUpload>`;
    assert.equal((await cos(emu, 'POST', `/${BUCKET}/${mpKey}`, { query: { uploadId }, body: xml })).status, 200);
    const copy = await cos(emu, 'PUT', `/${BUCKET}/${encodeURIComponent('../../../escape-copy')}`, { headers: { 'x-cos-copy-source': `/${BUCKET}/${mpKey}` } });
    assert.equal(copy.status, 200);
    const append = await cos(emu, 'POST', `/${BUCKET}/${encodeURIComponent('/../escape-append')}`, { query: { append: '', position: '0' }, body: 'a' });
    assert.ok(append.status < 500);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/${mpKey}`)).status, 200);
    for (const file of await listTree(root)) assert.ok(resolve(file).startsWith(resolve(dataDir)), `outside the data dir: ${file}`);
    assert.deepEqual((await listTree(root)).filter((f) => /escape/.test(f)), [], 'no file is named after a key');
  });
});

describe('emulator hardening: XML and admin endpoints', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  const bomb = (root: string) =>
    `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><${root}>&d;</${root}>`;
  const external = (root: string) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><${root}>&x;</${root}>`;

  it('every XML-reading endpoint refuses entity bombs and external entities (400), quickly, and survives 50,000 nested elements', async () => {
    const { uploadId } = { uploadId: /<UploadId>([^<]+)</.exec(await (await cos(emu, 'POST', `/${BUCKET}/x/mp`, { query: { uploads: '' } })).text())![1]! };
    const endpoints: Array<{ method: string; path: string; query: Record<string, string>; root: string }> = [
      { method: 'POST', path: `/${BUCKET}/x/mp`, query: { uploadId }, root: 'CompleteMultipartUpload' },
      { method: 'POST', path: `/${BUCKET}/`, query: { delete: '' }, root: 'Delete' },
      { method: 'PUT', path: `/${BUCKET}/`, query: { cors: '' }, root: 'CORSConfiguration' },
      { method: 'PUT', path: `/${BUCKET}/`, query: { lifecycle: '' }, root: 'LifecycleConfiguration' },
      { method: 'PUT', path: `/${BUCKET}/`, query: { acl: '' }, root: 'AccessControlPolicy' },
    ];
    const nested = `${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}`;
    for (const e of endpoints) {
      for (const body of [bomb(e.root), external(e.root), nested]) {
        const t0 = Date.now();
        const r = await cos(emu, e.method, e.path, { query: e.query, body });
        const text = await r.text();
        assert.equal(r.status, 400, `${e.root}: ${r.status} ${text.slice(0, 200)}`);
        assert.ok(!text.includes('root:'), 'no file content leaks');
        assert.ok(Date.now() - t0 < 2000, `${e.root} answered in ${Date.now() - t0} ms`);
      }
    }
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`)).status, 200, 'still serving');
  });

  it('admin and fault endpoints refuse a peer that is not loopback, whatever Host or X-Forwarded-For it claims', async () => {
    // An address of this machine that is not loopback: connecting to it from here makes the peer that address.
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
    // The peer check itself, so the promise holds even where no second address exists to call from.
    for (const peer of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(peer), true, peer);
    for (const peer of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', '::2', '0.0.0.0', '', undefined]) assert.equal(isLoopback(peer), false, String(peer));
    if (!address) return; // no non-loopback interface on this machine: the wire half below cannot run here
    const open = await start({ host: '0.0.0.0' });
    try {
      const loopback = `http://127.0.0.1:${open.port}`;
      const outside = `http://${address}:${open.port}`;
      assert.equal((await raw(loopback, 'GET', '/__coskit/stats', {})).status, 200, 'control: loopback is served');
      const attempts: Array<[string, string, string?]> = [
        ['GET', '/__coskit/stats'],
        ['GET', '/__coskit/faults'],
        ['PUT', '/__coskit/faults', JSON.stringify({ rules: [{ kind: 'error500' }] })],
        ['PUT', '/__coskit/clock', JSON.stringify({ offsetSeconds: 99999 })],
        ['POST', '/__coskit/reset'],
        ['POST', '/__coskit/sts', '{}'],
      ];
      for (const [method, path, body] of attempts) {
        const spoofs: Array<Record<string, string>> = [{}, { host: `127.0.0.1:${open.port}`, 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' }];
        for (const headers of spoofs) {
          const r = await raw(outside, method, path, { ...headers, 'content-type': 'application/json' }, body);
          assert.equal(r.status, 403, `${method} ${path} from ${address}: ${r.status} ${r.body}`);
        }
      }
      const faults = JSON.parse((await raw(loopback, 'GET', '/__coskit/faults', {})).body) as { rules: unknown[]; clockOffsetSeconds: number };
      assert.deepEqual(faults.rules, [], 'no rule was set from outside');
      assert.equal(faults.clockOffsetSeconds, 0);
    } finally {
      await open.close();
    }
  });
});

/** mulberry32, so a failing fuzz run can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('emulator hardening: seeded fuzz', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  it('answers 400, not 500, to a response-* override with CR/LF and to a JSON admin body that is not an object (found by seeds 1 and 2)', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/fz/a.txt`, { body: 'a' });
    for (const method of ['GET', 'HEAD']) {
      const r = await cos(emu, method, `/${BUCKET}/fz/a.txt`, { query: { 'response-content-type': 'text/plain\r\nX-Injected: 1' } });
      assert.equal(r.status, 400, method);
      assert.equal(r.headers.get('x-injected'), null);
    }
    for (const [path, body] of [['clock', 'null'], ['clock', '[]'], ['faults', 'null']] as const) {
      const r = await fetch(`${emu.url}/__coskit/${path}`, { method: 'PUT', body });
      assert.equal(r.status, 400, `${path} ${body}`);
    }
    const sts = await cos(emu, 'POST', '/__coskit/sts', { body: 'null' });
    assert.equal(sts.status, 400);
  });

  // Seeds 1 and 2 found the two 500s above; FUZZ_SEED=n FUZZ_COUNT=m replays or widens a run.
  const seeds = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [20261121, 1, 2, 3];
  const perSeed = Number(process.env.FUZZ_COUNT ?? 2000 / seeds.length);
  for (const seed of seeds) it(`${perSeed} random requests (seed ${seed}: signatures, headers, query strings, XML/form/binary bodies) never crash it or get a 5xx`, async () => {
    const random = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const chance = (p: number) => random() < p;
    const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    const uploadId = /<UploadId>([^<]+)</.exec(await (await cos(emu, 'POST', `/${BUCKET}/fz/mp`, { query: { uploads: '' } })).text())![1]!;
    const vhost = `${BUCKET}.cos.${REGION}.localhost:${emu.port}`;
    const keys = ['fz/a.txt', 'fz/mp', 'dir/', '', 'ü x/€.bin', '..%2F..%2Fetc', '%zz', '%00', 'a'.repeat(900), '%2e%2e/%2e%2e', '__coskit/stats', `fz/${'%E2%80%AE'}rtl`];
    const queries = [
      'uploads', `uploadId=${uploadId}`, 'uploadId=nope', 'partNumber=1', 'partNumber=0', 'partNumber=10001', 'partNumber=abc', 'acl', 'cors', 'lifecycle',
      'delete', 'append', 'position=0', 'position=-5', 'max-keys=-1', 'max-keys=abc', 'max-keys=99999', 'marker=%FF', 'prefix=fz/', 'delimiter=/',
      'encoding-type=url', 'encoding-type=bogus', 'response-content-type=%0d%0aX:1', 'x-cos-traffic-limit=5', 'versionId=null', 'max-parts=-3',
      'part-number-marker=x', 'max-uploads=0', 'q-sign-algorithm=sha1&q-ak=AKIDx&q-sign-time=1;2&q-key-time=1;2&q-header-list=&q-url-param-list=&q-signature=00',
    ];
    const headerPool: Array<[string, () => string]> = [
      ['content-md5', () => pick(['', 'zzz', '1B2M2Y8AsgTpgAmY7PhCfg==', junk(8).toString('base64')])],
      ['range', () => pick(['bytes=9-1', 'bytes=abc', 'items=0-1', 'bytes=0-', 'bytes=-0', 'bytes=0-1,5-9'])],
      ['x-cos-copy-source', () => pick(['/', '%', `/${BUCKET}/`, `/${BUCKET}/fz/a.txt`, 'other-1250000000.cos.x.myqcloud.com/..', `/${BUCKET}/%zz`])],
      ['x-cos-copy-source-range', () => pick(['bytes=0-0', 'bytes=x', 'bytes=5-1'])],
      ['x-cos-traffic-limit', () => pick(['0', '-1', 'abc', '1e99', '819200'])],
      ['x-cos-acl', () => pick(['private', 'public-read', 'evil', ''])],
      ['x-cos-grant-read', () => pick(['id="x"', 'garbage', 'uri="http://x"'])],
      ['x-cos-storage-class', () => pick(['STANDARD', 'NOPE', ''])],
      ['x-cos-meta-x', () => 'v'.repeat(Math.floor(random() * 3000))],
      ['if-modified-since', () => pick(['yesterday', '0', 'Thu, 01 Jan 1970 00:00:00 GMT'])],
      ['if-match', () => pick(['"x"', '*', ''])],
      ['x-cos-security-token', () => junk(24).toString('hex')],
      ['content-type', () => pick(['application/xml', 'multipart/form-data; boundary=zz', 'multipart/form-data', 'text/plain', ''])],
      ['expires', () => pick(['never', '-1'])],
      ['origin', () => pick(['http://evil.example', 'null'])],
      ['access-control-request-method', () => pick(['PUT', 'NOPE'])],
    ];
    const xmlBodies = [
      () => `<CompleteMultipartUpload>${'<Part><PartNumber>'.concat(String(Math.floor(random() * 20000) - 5), '</PartNumber><ETag>"x"</ETag></Part>').repeat(1 + Math.floor(random() * 3))}</CompleteMultipartUpload>`,
      () => `<Delete><Quiet>${pick(['true', 'maybe'])}</Quiet>${'<Object><Key>'.concat(pick(keys), '</Key></Object>').repeat(Math.floor(random() * 4))}</Delete>`,
      () => `<CORSConfiguration><CORSRule><AllowedOrigin>${pick(['*', '', 'http://a'])}</AllowedOrigin><AllowedMethod>${pick(['GET', 'BREW'])}</AllowedMethod><MaxAgeSeconds>${pick(['-1', 'x', '5'])}</MaxAgeSeconds></CORSRule></CORSConfiguration>`,
      () => `<LifecycleConfiguration><Rule><Status>${pick(['Enabled', 'x'])}</Status><Expiration><Days>${pick(['0', '-1', 'x', '1'])}</Days></Expiration></Rule></LifecycleConfiguration>`,
      () => `<AccessControlPolicy><Owner><ID>${pick(['x', ''])}</ID></Owner><AccessControlList><Grant><Permission>${pick(['READ', 'ROOT'])}</Permission></Grant></AccessControlList></AccessControlPolicy>`,
      () => '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><Delete>&e;</Delete>',
      () => `<${pick(['Delete', 'CompleteMultipartUpload'])}>`,
    ];
    const bodies = [
      () => undefined,
      () => junk(Math.floor(random() * 4096)),
      () => {
        const xml = pick(xmlBodies)();
        return chance(0.3) ? xml.slice(0, Math.floor(random() * xml.length)) : xml;
      },
      () => `--zz\r\nContent-Disposition: form-data; name="${pick(['key', 'file', 'policy', 'q-signature', 'success_action_status'])}"\r\n\r\n${pick(['../x', '${filename}', junk(16).toString('hex')])}\r\n--zz${pick(['--', '', '\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nzz\r\n--zz--'])}\r\n`,
      () => pick(['{', '{"rules":[{"kind":"nope"}]}', 'null', '[]']),
    ];
    const failures: string[] = [];
    let dropped = 0;
    const one = async (i: number): Promise<void> => {
      const method = pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'PROPFIND']);
      const virtual = chance(0.5);
      const admin = chance(0.04);
      const key = pick(keys);
      const path = admin ? pick(['/__coskit/faults', '/__coskit/sts', '/__coskit/nope', '/__coskit/clock']) : virtual ? `/${key}` : pick([`/${BUCKET}/${key}`, `/${key}`, `/nobucket-1250000000/${key}`, '/']);
      const query = Array.from({ length: Math.floor(random() * 3) }, () => pick(queries)).join('&');
      const headers: Record<string, string> = { host: virtual ? pick([vhost, `nobucket-1.cos.${REGION}.localhost:${emu.port}`, 'evil.example']) : `127.0.0.1:${emu.port}` };
      for (const [name, value] of headerPool) if (chance(0.12)) headers[name] = value();
      let body = admin && method === 'GET' ? undefined : pick(bodies)();
      if (admin && body !== undefined && path !== '/__coskit/sts') body = pick(['{', 'null', '{"rules":"x"}', '{"offsetSeconds":"x"}']); // never a valid fault rule
      if (body !== undefined && chance(0.9)) headers['content-length'] = String(Buffer.byteLength(body));
      const auth = random();
      if (auth < 0.45) {
        const decode = (s: string) => {
          try {
            return decodeURIComponent(s);
          } catch {
            return s;
          }
        };
        const pathname = decode(path);
        const q = Object.fromEntries(query.split('&').filter(Boolean).map((p) => [p.split('=')[0]!, decode(p.split('=')[1] ?? '')]));
        const good = sign({ secretId: emu.secretId, secretKey: emu.secretKey, method, pathname, query: q, headers: { host: headers.host! } });
        headers.authorization = chance(0.6) ? good : good.replace(/q-signature=./, 'q-signature=0').replace(/q-sign-time=\d+/, chance(0.5) ? 'q-sign-time=9999999999' : 'q-sign-time=x');
      } else if (auth < 0.8) {
        headers.authorization = pick(['', 'q-sign-algorithm=md5', 'q-ak=&q-signature=', '&&&===', `q-sign-algorithm=sha1&q-ak=AKIDnope&q-sign-time=1;2&q-key-time=1;2&q-header-list=host;x&q-url-param-list=&q-signature=${'0'.repeat(40)}`, 'x'.repeat(6000), junk(30).toString('latin1').replace(/[^\x20-\x7e]/g, '')]);
      }
      try {
        const r = await raw(emu.url, method, `${path}${query ? `?${query}` : ''}`, headers, body);
        if (r.status >= 500 || r.status < 100) failures.push(`#${i} ${method} ${path}?${query} -> ${r.status} ${r.body.slice(0, 160)}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_UNESCAPED_CHARACTERS' || (error as NodeJS.ErrnoException).code === 'ERR_INVALID_CHAR') return;
        dropped++;
      }
    };
    const total = perSeed;
    for (let i = 0; i < total; i += 8) await Promise.all(Array.from({ length: Math.min(8, total - i) }, (_, j) => one(i + j)));
    assert.deepEqual(failures, [], `5xx answers (seed ${seed})`);
    assert.ok(dropped < total * 0.02, `${dropped} connections dropped without an answer (seed ${seed})`);
    const alive = await cos(emu, 'PUT', `/${BUCKET}/fz/after.txt`, { body: 'still here' });
    assert.equal(alive.status, 200);
    assert.equal(await (await cos(emu, 'GET', `/${BUCKET}/fz/after.txt`)).text(), 'still here');
  });
});
