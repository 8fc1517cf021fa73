import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, REGION, start } from './support/emu.ts';
import { installLocalhostDns } from './support/localhost-dns.ts';
import { Cos, type Sdk } from './support/sdk.ts';
import { refCrc64 } from './support/signer.ts';

installLocalhostDns();

const sdkFor = (emu: RunningEmulator, secretId = emu.secretId, secretKey = emu.secretKey): Sdk =>
  new Cos({ SecretId: secretId, SecretKey: secretKey, Domain: `{Bucket}.cos.{Region}.localhost:${emu.port}`, Protocol: 'http:' });

const base = { Bucket: BUCKET, Region: REGION };

describe('official cos-nodejs-sdk-v5: objects', () => {
  let emu: RunningEmulator;
  let cos: Sdk;
  before(async () => {
    emu = await start();
    cos = sdkFor(emu);
  });
  after(() => emu.close());

  it('putObject / headObject / getObject round-trip metadata and CRC64', async () => {
    const body = Buffer.from('hello world');
    const put = await cos.putObject({ ...base, Key: 'dir/测试 file(1).txt', Body: body, ContentType: 'text/plain', Headers: { 'x-cos-meta-author': 'Zhang San' } });
    assert.equal(put.statusCode, 200);
    assert.equal(put.ETag, '"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    assert.equal(put.headers?.['x-cos-hash-crc64ecma'], '5981764153023615706');
    const head = await cos.headObject({ ...base, Key: 'dir/测试 file(1).txt' });
    assert.equal(head.headers?.['x-cos-meta-author'], 'Zhang San');
    assert.equal(head.headers?.['content-type'], 'text/plain');
    assert.equal(head.headers?.['content-length'], '11');
    assert.equal(head.headers?.['x-cos-object-type'], 'normal');
    const get = await cos.getObject({ ...base, Key: 'dir/测试 file(1).txt' });
    assert.equal(get.Body.toString(), 'hello world');
    assert.equal(get.headers?.['x-cos-hash-crc64ecma'], '5981764153023615706');
  });

  it('range reads answer 206 with Content-Range and the whole-object CRC', async () => {
    await cos.putObject({ ...base, Key: 'range.txt', Body: Buffer.from('0123456789') });
    const r = await cos.getObject({ ...base, Key: 'range.txt', Range: 'bytes=2-5' });
    assert.equal(r.statusCode, 206);
    assert.equal(r.Body.toString(), '2345');
    assert.equal(r.headers?.['content-range'], 'bytes 2-5/10');
    assert.equal(r.headers?.['x-cos-hash-crc64ecma'], refCrc64(Buffer.from('0123456789')).toString());
    const suffix = await cos.getObject({ ...base, Key: 'range.txt', Range: 'bytes=-3' });
    assert.equal(suffix.Body.toString(), '789');
    await assert.rejects(cos.getObject({ ...base, Key: 'range.txt', Range: 'bytes=10-' }), (e: { statusCode: number; code: string }) => {
      assert.equal(e.statusCode, 416);
      assert.equal(e.code, 'InvalidRange');
      return true;
    });
  });

  it('missing key is 404 NoSuchKey', async () => {
    await assert.rejects(cos.getObject({ ...base, Key: 'nope' }), (e: { statusCode: number; code: string }) => {
      assert.equal(e.statusCode, 404);
      assert.equal(e.code, 'NoSuchKey');
      return true;
    });
  });

  it('appendObject appends, reports the next position, and 409s on a wrong position', async () => {
    const a = await cos.appendObject({ ...base, Key: 'log.txt', Body: Buffer.from('hello '), Position: 0 });
    assert.equal(a.headers?.['x-cos-next-append-position'], '6');
    const b = await cos.appendObject({ ...base, Key: 'log.txt', Body: Buffer.from('world'), Position: 6 });
    assert.equal(b.headers?.['x-cos-next-append-position'], '11');
    assert.equal(b.headers?.['x-cos-hash-crc64ecma'], '5981764153023615706');
    await assert.rejects(cos.appendObject({ ...base, Key: 'log.txt', Body: Buffer.from('x'), Position: 3 }), (e: { statusCode: number; code: string }) => {
      assert.equal(e.statusCode, 409);
      assert.equal(e.code, 'AppendPositionErr');
      return true;
    });
    const head = await cos.headObject({ ...base, Key: 'log.txt' });
    assert.equal(head.headers?.['x-cos-object-type'], 'appendable');
    await cos.putObject({ ...base, Key: 'normal.txt', Body: 'x' });
    await assert.rejects(cos.appendObject({ ...base, Key: 'normal.txt', Body: Buffer.from('y'), Position: 1 }), (e: { code: string }) => e.code === 'ObjectNotAppendable');
  });

  it('putObjectCopy copies data and metadata, with directives and source conditions', async () => {
    await cos.putObject({ ...base, Key: 'src/a b+c.txt', Body: 'copy me', ContentType: 'text/x-src', Headers: { 'x-cos-meta-k': 'v' } });
    const host = `${BUCKET}.cos.${REGION}.myqcloud.com`;
    const c = await cos.putObjectCopy({ ...base, Key: 'dst/copy.txt', CopySource: `${host}/${encodeURIComponent('src/a b+c.txt')}` });
    assert.equal(c.statusCode, 200);
    const h = await cos.headObject({ ...base, Key: 'dst/copy.txt' });
    assert.equal(h.headers?.['content-type'], 'text/x-src');
    assert.equal(h.headers?.['x-cos-meta-k'], 'v');
    await cos.putObjectCopy({
      ...base,
      Key: 'dst/replaced.txt',
      CopySource: `${host}/src/a%20b%2Bc.txt`,
      MetadataDirective: 'Replaced',
      ContentType: 'text/new',
    });
    const r = await cos.headObject({ ...base, Key: 'dst/replaced.txt' });
    assert.equal(r.headers?.['content-type'], 'text/new');
    assert.equal(r.headers?.['x-cos-meta-k'], undefined);
    await assert.rejects(
      cos.putObjectCopy({ ...base, Key: 'dst/x', CopySource: `${host}/src/a%20b%2Bc.txt`, CopySourceIfMatch: '"0000"' }),
      (e: { statusCode: number }) => e.statusCode === 412,
    );
  });

  it('deleteMultipleObject deletes, quiet or not, and deleteObject answers 204 even for a missing key', async () => {
    for (const k of ['m/1', 'm/2', 'm/3']) await cos.putObject({ ...base, Key: k, Body: k });
    const d = await cos.deleteMultipleObject({ ...base, Objects: [{ Key: 'm/1' }, { Key: 'm/2' }, { Key: 'm/none' }] });
    assert.deepEqual(d.Deleted.map((x: { Key: string }) => x.Key).sort(), ['m/1', 'm/2', 'm/none']);
    const q = await cos.deleteMultipleObject({ ...base, Quiet: true, Objects: [{ Key: 'm/3' }] });
    assert.equal(q.Deleted.length, 0);
    const del = await cos.deleteObject({ ...base, Key: 'm/never' });
    assert.equal(del.statusCode, 204);
    const list = await cos.getBucket({ ...base, Prefix: 'm/' });
    assert.equal(list.Contents.length, 0);
  });
});
