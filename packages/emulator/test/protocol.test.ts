import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';
import { sign } from './support/signer.ts';

const md5b64 = (s: string | Buffer) => createHash('md5').update(s).digest('base64');

/** A raw request whose headers (Content-Length, chunked) fetch would not let us choose. */
function raw(emu: RunningEmulator, method: string, path: string, headers: Record<string, string>, chunks: Buffer[] = []) {
  return new Promise<{ status: number; body: string }>((ok, fail) => {
    const auth = sign({ secretId: emu.secretId, secretKey: emu.secretKey, method, pathname: decodeURIComponent(path), headers: { host: `127.0.0.1:${emu.port}` } });
    const req = request({ host: '127.0.0.1', port: emu.port, method, path, headers: { ...headers, Authorization: auth } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('protocol details', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start({ buckets: ['coskit-test-1250000000', 'other-1250000000'] });
  });
  after(() => emu.close());

  it('PUT: 411 without Content-Length, EntityTooLarge over 5 GB, BadDigest / InvalidDigest, metadata limit', async () => {
    const chunked = await raw(emu, 'PUT', `/${BUCKET}/p/chunked`, { 'Transfer-Encoding': 'chunked' }, [Buffer.from('abc')]);
    assert.equal(chunked.status, 411);
    assert.match(chunked.body, /MissingContentLength/);
    const huge = await raw(emu, 'PUT', `/${BUCKET}/p/huge`, { 'Content-Length': String(5 * 1024 ** 3 + 1) });
    assert.equal(huge.status, 400);
    assert.match(huge.body, /EntityTooLarge/);
    const bad = await cos(emu, 'PUT', `/${BUCKET}/p/md5`, { body: 'abc', headers: { 'Content-MD5': md5b64('abd') } });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /BadDigest/);
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/p/md5`)).status, 404);
    const malformed = await cos(emu, 'PUT', `/${BUCKET}/p/md5`, { body: 'abc', headers: { 'Content-MD5': 'nope' } });
    assert.match(await malformed.text(), /InvalidDigest/);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/p/md5`, { body: 'abc', headers: { 'Content-MD5': md5b64('abc') } })).status, 200);
    const meta = await cos(emu, 'PUT', `/${BUCKET}/p/meta`, { body: 'x', headers: { 'x-cos-meta-big': 'v'.repeat(2100) } });
    assert.equal(meta.status, 400);
    const cls = await cos(emu, 'PUT', `/${BUCKET}/p/ia`, { body: 'x', headers: { 'x-cos-storage-class': 'STANDARD_IA' } });
    assert.equal(cls.status, 200);
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/p/ia`)).headers.get('x-cos-storage-class'), 'STANDARD_IA');
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/p/md5`)).headers.get('x-cos-storage-class'), null);
  });

  it('conditional GET/HEAD: 304 and 412; HEAD errors carry no body; errors carry request and trace ids', async () => {
    const put = await cos(emu, 'PUT', `/${BUCKET}/c/obj`, { body: 'conditional' });
    const etag = put.headers.get('etag')!;
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/c/obj`, { headers: { 'If-None-Match': etag } })).status, 304);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/c/obj`, { headers: { 'If-Match': '"nope"' } })).status, 412);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/c/obj`, { headers: { 'If-Match': etag } })).status, 200);
    const future = new Date(Date.now() + 3600_000).toUTCString();
    const past = new Date(Date.now() - 3600_000).toUTCString();
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/c/obj`, { headers: { 'If-Modified-Since': future } })).status, 304);
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/c/obj`, { headers: { 'If-Unmodified-Since': past } })).status, 412);
    const head = await cos(emu, 'HEAD', `/${BUCKET}/c/missing`);
    assert.equal(head.status, 404);
    assert.equal(await head.text(), '');
    const get = await cos(emu, 'GET', `/${BUCKET}/c/missing`);
    assert.equal(get.headers.get('server'), 'tencent-cos');
    assert.ok(get.headers.get('x-cos-request-id'));
    assert.ok(get.headers.get('x-cos-trace-id'));
    assert.ok(get.headers.get('date'));
    const xml = await get.text();
    assert.match(xml, /^<\?xml version='1.0' encoding='utf-8' \?>\n<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><Resource>127\.0\.0\.1:\d+\/coskit-test-1250000000\/c\/missing<\/Resource><RequestId>[^<]+<\/RequestId><TraceId>/);
  });

  it('list: UTF-8 byte order, encoding-type=url, NextMarker only when truncated, max-keys counts prefixes', async () => {
    const keys = ['u/z', 'u/é', 'u/中', 'u/a b+c'];
    for (const k of keys) await cos(emu, 'PUT', `/${BUCKET}/${encodeURIComponent(k)}`, { body: 'x' });
    const all = await (await cos(emu, 'GET', `/${BUCKET}/`, { query: { prefix: 'u/' } })).text();
    assert.deepEqual([...all.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]), ['u/a b+c', 'u/z', 'u/é', 'u/中']);
    assert.doesNotMatch(all, /NextMarker/);
    const enc = await (await cos(emu, 'GET', `/${BUCKET}/`, { query: { prefix: 'u/', 'encoding-type': 'url', 'max-keys': '1' } })).text();
    assert.match(enc, /<EncodingType>url<\/EncodingType>/);
    assert.match(enc, /<Key>u%2Fa%20b%2Bc<\/Key>/);
    assert.match(enc, /<IsTruncated>true<\/IsTruncated><NextMarker>u%2Fa%20b%2Bc<\/NextMarker>/);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { query: { 'encoding-type': 'base64' } })).status, 400);
  });

  it('multi-delete: keys keep their spaces, Content-MD5 is checked, >1000 objects is MalformedXML', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/${encodeURIComponent(' spaced ')}`, { body: 'x' });
    const pretty = '<Delete>\n  <Quiet>false</Quiet>\n  <Object>\n    <Key> spaced </Key>\n  </Object>\n</Delete>';
    const del = await cos(emu, 'POST', `/${BUCKET}/`, { query: { delete: '' }, body: pretty });
    assert.match(await del.text(), /<Deleted><Key> spaced <\/Key><\/Deleted>/);
    assert.equal((await cos(emu, 'HEAD', `/${BUCKET}/${encodeURIComponent(' spaced ')}`)).status, 404);
    const body = '<Delete><Object><Key>a</Key></Object></Delete>';
    const bad = await cos(emu, 'POST', `/${BUCKET}/`, { query: { delete: '' }, body, headers: { 'Content-MD5': md5b64('other') } });
    assert.match(await bad.text(), /BadDigest/);
    const many = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`;
    const r = await cos(emu, 'POST', `/${BUCKET}/`, { query: { delete: '' }, body: many });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /MalformedXML/);
  });

  it('buckets: GET service, PUT (and 409 if it exists), HEAD, DELETE with BucketNotEmpty', async () => {
    const svc = await (await cos(emu, 'GET', '/')).text();
    assert.match(svc, /<ListAllMyBucketsResult>.*<Name>coskit-test-1250000000<\/Name>.*<Name>other-1250000000<\/Name>/s);
    assert.equal((await cos(emu, 'PUT', '/fresh-1250000000/')).status, 200);
    assert.equal((await cos(emu, 'PUT', '/fresh-1250000000/')).status, 409);
    assert.equal((await cos(emu, 'PUT', '/Bad_Name/')).status, 400);
    assert.equal((await cos(emu, 'HEAD', '/fresh-1250000000/')).status, 200);
    assert.equal((await cos(emu, 'HEAD', '/missing-1250000000/')).status, 404);
    await cos(emu, 'PUT', '/fresh-1250000000/k', { body: 'x' });
    const notEmpty = await cos(emu, 'DELETE', '/fresh-1250000000/');
    assert.equal(notEmpty.status, 409);
    assert.match(await notEmpty.text(), /BucketNotEmpty/);
    await cos(emu, 'DELETE', '/fresh-1250000000/k');
    assert.equal((await cos(emu, 'DELETE', '/fresh-1250000000/')).status, 204);
    assert.equal((await cos(emu, 'GET', '/fresh-1250000000/')).status, 404);
  });

  it('copy: Upload Part bounds, appendable sources refused, cross-bucket copy, InvalidCopySource', async () => {
    await cos(emu, 'POST', `/${BUCKET}/cp/app`, { query: { append: '', position: '0' }, body: 'a' });
    const appSrc = await cos(emu, 'PUT', `/${BUCKET}/cp/dst`, { headers: { 'x-cos-copy-source': `${BUCKET}.cos.ap-guangzhou.myqcloud.com/cp/app` } });
    assert.equal(appSrc.status, 400);
    await cos(emu, 'PUT', `/${BUCKET}/cp/src`, { body: 'cross' });
    const cross = await cos(emu, 'PUT', '/other-1250000000/copied', { headers: { 'x-cos-copy-source': `${BUCKET}.cos.ap-guangzhou.myqcloud.com/cp/src` } });
    assert.equal(cross.status, 200);
    assert.match(await cross.text(), /<CopyObjectResult><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><CRC64>\d+<\/CRC64><LastModified>/);
    const invalid = await cos(emu, 'PUT', `/${BUCKET}/cp/x`, { headers: { 'x-cos-copy-source': 'garbage' } });
    assert.match(await invalid.text(), /InvalidCopySource/);
    const init = await (await cos(emu, 'POST', `/${BUCKET}/cp/mp`, { query: { uploads: '' } })).text();
    const uploadId = /<UploadId>([^<]+)/.exec(init)![1]!;
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/cp/mp`, { query: { partNumber: '10001', uploadId }, body: 'x' })).status, 400);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/cp/mp`, { query: { partNumber: '1', uploadId: 'nope' }, body: 'x' })).status, 404);
    const noPos = await cos(emu, 'POST', `/${BUCKET}/cp/app`, { query: { append: '' }, body: 'b' });
    assert.equal(noPos.status, 400);
  });

  it('requireConsecutiveParts makes gaps InvalidPart; List Multipart Uploads paginates with markers', async () => {
    const strict = await start({ requireConsecutiveParts: true });
    try {
      const init = await (await cos(strict, 'POST', `/${BUCKET}/gap`, { query: { uploads: '' } })).text();
      const uploadId = /<UploadId>([^<]+)/.exec(init)![1]!;
      const p = await cos(strict, 'PUT', `/${BUCKET}/gap`, { query: { partNumber: '2', uploadId }, body: 'x' });
      const xml = `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${p.headers.get('etag')}</ETag></Part></CompleteMultipartUpload>`;
      const r = await cos(strict, 'POST', `/${BUCKET}/gap`, { query: { uploadId }, body: xml });
      assert.match(await r.text(), /<Code>InvalidPart<\/Code>/);
    } finally {
      await strict.close();
    }
    for (const k of ['lu/a', 'lu/b', 'lu/c']) await cos(emu, 'POST', `/${BUCKET}/${k}`, { query: { uploads: '' } });
    const seen: string[] = [];
    let query: Record<string, string> = { uploads: '', prefix: 'lu/', 'max-uploads': '2' };
    for (let i = 0; i < 5; i++) {
      const xml = await (await cos(emu, 'GET', `/${BUCKET}/`, { query })).text();
      seen.push(...[...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!));
      if (!xml.includes('<IsTruncated>true</IsTruncated>')) break;
      query = { ...query, 'key-marker': /<NextKeyMarker>([^<]+)/.exec(xml)![1]!, 'upload-id-marker': /<NextUploadIdMarker>([^<]+)/.exec(xml)![1]! };
    }
    assert.deepEqual(seen, ['lu/a', 'lu/b', 'lu/c']);
    const enc = await (await cos(emu, 'GET', `/${BUCKET}/`, { query: { uploads: '', 'encoding-type': 'url', prefix: 'lu/' } })).text();
    assert.match(enc, /<Encoding-Type>url<\/Encoding-Type>/);
  });
});
