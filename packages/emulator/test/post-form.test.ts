import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';
import { refCrc64 } from './support/signer.ts';

const hmac = (k: string, m: string) => createHmac('sha1', k).update(m).digest('hex');

/** Builds the form fields of Doc 14690 with a policy signed by the given key. */
function signedForm(emu: RunningEmulator, conditions: unknown[], opts: { expiresInMs?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const keyTime = `${now - 1};${now + 600}`;
  const policy = JSON.stringify({
    expiration: new Date(Date.now() + (opts.expiresInMs ?? 600_000)).toISOString(),
    conditions: [{ 'q-sign-algorithm': 'sha1' }, { 'q-ak': emu.secretId }, { 'q-sign-time': keyTime }, ...conditions],
  });
  const signature = hmac(hmac(emu.secretKey, keyTime), createHash('sha1').update(policy).digest('hex'));
  return {
    policy: Buffer.from(policy).toString('base64'),
    'q-sign-algorithm': 'sha1',
    'q-ak': emu.secretId,
    'q-key-time': keyTime,
    'q-sign-time': keyTime,
    'q-signature': signature,
  };
}

function form(fields: Record<string, string>, file: Blob, filename = 'upload.txt'): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', file, filename);
  return fd;
}

describe('POST Object (form upload with policy)', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  it('stores the file under key with ${filename}, answers 204 with ETag, Location and CRC64', async () => {
    const fields = { key: 'forms/${filename}', 'Content-Type': 'text/plain', 'x-cos-meta-from': 'form', ...signedForm(emu, [['starts-with', '$key', 'forms/']]) };
    const body = 'posted content';
    const r = await fetch(`${emu.url}/${BUCKET}/`, { method: 'POST', body: form(fields, new Blob([body], { type: 'application/x-ignored' }), 'a b.txt') });
    assert.equal(r.status, 204, await r.clone().text());
    assert.equal(r.headers.get('etag'), `"${createHash('md5').update(body).digest('hex')}"`);
    assert.equal(r.headers.get('x-cos-hash-crc64ecma'), refCrc64(Buffer.from(body)).toString());
    assert.match(r.headers.get('location') ?? '', /\/forms\/a%20b\.txt$/);
    const get = await cos(emu, 'GET', `/${BUCKET}/forms/a b.txt`);
    assert.equal(await get.text(), body);
    assert.equal(get.headers.get('content-type'), 'text/plain');
    assert.equal(get.headers.get('x-cos-meta-from'), 'form');
  });

  it('success_action_status 201 returns PostResponse XML; success_action_redirect answers 303', async () => {
    const f201 = { key: 'forms/201.txt', success_action_status: '201', ...signedForm(emu, []) };
    const r = await fetch(`${emu.url}/${BUCKET}/`, { method: 'POST', body: form(f201, new Blob(['x'])) });
    assert.equal(r.status, 201);
    assert.match(await r.text(), /<PostResponse>.*<Key>forms\/201.txt<\/Key>/s);
    const f303 = { key: 'forms/303.txt', success_action_redirect: 'http://example.com/done', ...signedForm(emu, []) };
    const rr = await fetch(`${emu.url}/${BUCKET}/`, { method: 'POST', body: form(f303, new Blob(['y'])), redirect: 'manual' });
    assert.equal(rr.status, 303);
    assert.match(rr.headers.get('location') ?? '', /^http:\/\/example\.com\/done\?bucket=coskit-test-1250000000&key=forms%2F303.txt&etag=%22[0-9a-f]{32}%22$/);
  });

  it('refuses a violated condition, an expired policy, a size outside content-length-range and a bad signature', async () => {
    const post = (fields: Record<string, string>, data = 'zz') => fetch(`${emu.url}/${BUCKET}/`, { method: 'POST', body: form(fields, new Blob([data])) });
    const cond = await post({ key: 'elsewhere/x', ...signedForm(emu, [['starts-with', '$key', 'forms/']]) });
    assert.equal(cond.status, 403);
    assert.match(await cond.text(), /<Code>AccessDenied<\/Code>/);
    const expired = await post({ key: 'forms/x', ...signedForm(emu, [], { expiresInMs: -1000 }) });
    assert.equal(expired.status, 403);
    const size = await post({ key: 'forms/x', ...signedForm(emu, [['content-length-range', 0, 1]]) });
    assert.equal(size.status, 403);
    const bad = await post({ key: 'forms/x', ...signedForm(emu, []), 'q-signature': '0'.repeat(40) });
    assert.equal(bad.status, 403);
    assert.match(await bad.text(), /SignatureDoesNotMatch/);
    const limit = await post({ key: 'forms/x', 'x-cos-traffic-limit': '100', ...signedForm(emu, []) });
    assert.equal(limit.status, 400);
    assert.match(await limit.text(), /InvalidArgument/);
    const anon = await post({ key: 'forms/x' });
    assert.equal(anon.status, 403);
    const head = await cos(emu, 'HEAD', `/${BUCKET}/forms/x`);
    assert.equal(head.status, 404);
  });

  it('streams a large file part without a boundary split corrupting it', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    const r = await fetch(`${emu.url}/${BUCKET}/`, { method: 'POST', body: form({ key: 'forms/big.bin', ...signedForm(emu, []) }, new Blob([big])) });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('x-cos-hash-crc64ecma'), refCrc64(big).toString());
  });
});
