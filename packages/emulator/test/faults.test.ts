import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';
import { refCrc64 } from './support/signer.ts';

const admin = (emu: RunningEmulator, method: string, path: string, body?: unknown) =>
  fetch(`${emu.url}/__coskit/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

/** Resolves with the error code when the connection dies instead of answering. */
async function networkFailure(p: Promise<Response>): Promise<string> {
  try {
    const r = await p;
    await r.arrayBuffer();
    return `answered ${r.status}`;
  } catch (e) {
    return 'network error';
  }
}

describe('fault injection', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());
  beforeEach(async () => {
    await admin(emu, 'PUT', 'faults', { rules: [] });
  });

  it('error500 and slowDown answer COS error XML, count-limited', async () => {
    await admin(emu, 'PUT', 'faults', { rules: [{ op: 'PutObject', kind: 'error500', count: 1 }, { op: 'GetObject', kind: 'slowDown', count: 1 }] });
    const a = await cos(emu, 'PUT', `/${BUCKET}/f/1`, { body: 'x' });
    assert.equal(a.status, 500);
    assert.match(await a.text(), /<Code>InternalError<\/Code>/);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/f/1`, { body: 'x' })).status, 200);
    const s = await cos(emu, 'GET', `/${BUCKET}/f/1`);
    assert.equal(s.status, 503);
    assert.match(await s.text(), /<Code>SlowDown<\/Code>/);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/f/1`)).status, 200);
    const stats = (await (await admin(emu, 'GET', 'stats')).json()) as { requests: Record<string, number>; faults: Record<string, number> };
    assert.ok((stats.requests['PutObject'] ?? 0) >= 2);
    assert.ok((stats.faults['error500'] ?? 0) >= 1 && (stats.faults['slowDown'] ?? 0) >= 1);
  });

  it('reset drops the connection mid-body (upload: nothing stored; download: partial body)', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/f/big`, { body: Buffer.alloc(512 * 1024, 7) });
    emu.setFaults({ rules: [{ op: 'PutObject', key: 'f/reset', kind: 'reset', count: 1 }, { op: 'GetObject', key: 'f/big', kind: 'reset', count: 1 }] });
    assert.equal(await networkFailure(cos(emu, 'PUT', `/${BUCKET}/f/reset`, { body: Buffer.alloc(256 * 1024, 1) })), 'network error');
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/f/reset`)).status, 404);
    assert.equal(await networkFailure(cos(emu, 'GET', `/${BUCKET}/f/big`)), 'network error');
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/f/big`)).status, 200);
  });

  it('lostResponse stores the object but never answers', async () => {
    emu.setFaults({ rules: [{ op: 'PutObject', kind: 'lostResponse', count: 1 }] });
    assert.equal(await networkFailure(cos(emu, 'PUT', `/${BUCKET}/f/lost`, { body: 'stored anyway' })), 'network error');
    assert.equal(await (await cos(emu, 'GET', `/${BUCKET}/f/lost`)).text(), 'stored anyway');
  });

  it('corrupt stores one flipped byte, so the returned CRC differs from the client-side one', async () => {
    emu.setFaults({ rules: [{ op: 'UploadPart', kind: 'corrupt', count: 1 }] });
    const init = await cos(emu, 'POST', `/${BUCKET}/f/c`, { query: { uploads: '' } });
    const uploadId = /<UploadId>([^<]+)/.exec(await init.text())![1]!;
    const body = Buffer.from('some part bytes');
    const p = await cos(emu, 'PUT', `/${BUCKET}/f/c`, { query: { partNumber: '1', uploadId }, body });
    assert.equal(p.status, 200);
    assert.notEqual(p.headers.get('x-cos-hash-crc64ecma'), refCrc64(body).toString());
    const again = await cos(emu, 'PUT', `/${BUCKET}/f/c`, { query: { partNumber: '1', uploadId }, body });
    assert.equal(again.headers.get('x-cos-hash-crc64ecma'), refCrc64(body).toString());
    await cos(emu, 'PUT', `/${BUCKET}/f/d`, { body });
    emu.setFaults({ rules: [{ op: 'GetObject', kind: 'corrupt', count: 1 }] });
    const down = await cos(emu, 'GET', `/${BUCKET}/f/d`);
    const got = Buffer.from(await down.arrayBuffer());
    assert.equal(down.headers.get('x-cos-hash-crc64ecma'), refCrc64(body).toString());
    assert.notEqual(refCrc64(got).toString(), refCrc64(body).toString());
  });

  it('Content-MD5 is checked against the bytes received: corrupt still stores a flipped byte, a wrong digest is BadDigest', async () => {
    const body = Buffer.from('bytes whose digest the client sent');
    const md5 = createHash('md5').update(body).digest('base64');
    emu.setFaults({ rules: [{ op: 'PutObject', kind: 'corrupt', count: 1 }] });
    const put = await cos(emu, 'PUT', `/${BUCKET}/f/md5c`, { body, headers: { 'content-md5': md5 } });
    assert.equal(put.status, 200);
    assert.notEqual(put.headers.get('etag'), `"${createHash('md5').update(body).digest('hex')}"`);
    const wrong = await cos(emu, 'PUT', `/${BUCKET}/f/md5w`, { body, headers: { 'content-md5': createHash('md5').update('other').digest('base64') } });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /<Code>BadDigest<\/Code>/);
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/f/md5w`)).status, 404);
    const right = await cos(emu, 'PUT', `/${BUCKET}/f/md5r`, { body, headers: { 'content-md5': md5 } });
    assert.equal(right.headers.get('etag'), `"${createHash('md5').update(body).digest('hex')}"`);
  });

  it('delay adds latency; probability with a seed is deterministic', async () => {
    emu.setFaults({ rules: [{ op: 'HeadBucket', kind: 'delay', delayMs: 300, count: 1 }] });
    const t0 = Date.now();
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/`)).status, 200);
    assert.ok(Date.now() - t0 >= 280);
    const run = async () => {
      await admin(emu, 'PUT', 'faults', { seed: 42, rules: [{ op: 'HeadBucket', kind: 'error500', probability: 0.5 }] });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await cos(emu, 'HEAD', `/${BUCKET}/`)).status);
      return out;
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.ok(first.includes(500) && first.includes(200));
  });

  it('admin endpoints: faults round-trip, clock offset, reset clears data in memory mode, CORS for browsers, bad config 400', async () => {
    const put = await admin(emu, 'PUT', 'faults', { rules: [{ kind: 'delay', delayMs: 1 }], clockOffsetSeconds: 5 });
    assert.equal(put.status, 200);
    assert.equal(put.headers.get('access-control-allow-origin'), '*');
    const cfg = (await (await admin(emu, 'GET', 'faults')).json()) as { rules: unknown[]; clockOffsetSeconds: number };
    assert.equal(cfg.rules.length, 1);
    assert.equal(cfg.clockOffsetSeconds, 5);
    assert.equal((await admin(emu, 'PUT', 'faults', { rules: [{ kind: 'explode' }] })).status, 400);
    const clock = await admin(emu, 'PUT', 'clock', { offsetSeconds: 120 });
    assert.equal(clock.status, 200);
    const date = Date.parse((await cos(emu, 'HEAD', `/${BUCKET}/`)).headers.get('date')!);
    assert.ok(Math.abs(date - Date.now() - 120_000) < 3000);
    const pre = await fetch(`${emu.url}/__coskit/faults`, { method: 'OPTIONS', headers: { Origin: 'http://x', 'Access-Control-Request-Method': 'PUT' } });
    assert.equal(pre.status, 204);
    assert.equal((await admin(emu, 'POST', 'reset')).status, 200);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/f/lost`)).status, 404);
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/`)).status, 200);
    const stats = (await (await admin(emu, 'GET', 'stats')).json()) as { requests: Record<string, number> };
    assert.deepEqual(Object.keys(stats.requests).filter((k) => !k.startsWith('Admin')), ['GetObject', 'HeadBucket']);
  });
});

describe('traffic limit', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  it('rejects values outside 819200..838860800 with 400 InvalidArgument', async () => {
    const r = await cos(emu, 'PUT', `/${BUCKET}/t/x`, { body: 'x', headers: { 'x-cos-traffic-limit': '1000' } });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /<Code>InvalidArgument<\/Code>/);
  });

  // 819200 bit/s = 100 KiB/s, so 200 KiB takes about 2 s (a 2 MiB body would take ~20 s).
  it('throttles an upload (header) and a download (query) to about size / rate', async () => {
    const body = Buffer.alloc(200 * 1024, 3);
    let t0 = Date.now();
    const put = await cos(emu, 'PUT', `/${BUCKET}/t/slow`, { body, headers: { 'x-cos-traffic-limit': '819200' } });
    assert.equal(put.status, 200);
    const up = Date.now() - t0;
    assert.ok(up > 1700 && up < 3500, `upload took ${up} ms`);
    t0 = Date.now();
    const get = await cos(emu, 'GET', `/${BUCKET}/t/slow`, { query: { 'x-cos-traffic-limit': '819200' } });
    assert.equal((await get.arrayBuffer()).byteLength, body.length);
    const down = Date.now() - t0;
    assert.ok(down > 1700 && down < 3500, `download took ${down} ms`);
  });
});
