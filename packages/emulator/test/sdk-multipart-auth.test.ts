import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, REGION, start } from './support/emu.ts';
import { installLocalhostDns } from './support/localhost-dns.ts';
import { Cos, type Sdk } from './support/sdk.ts';
import { refCrc64, sign } from './support/signer.ts';

installLocalhostDns();

type SdkErr = { statusCode?: number; code?: string; message?: string };
const base = { Bucket: BUCKET, Region: REGION };
const MB = 1024 * 1024;

function sdkFor(emu: RunningEmulator, extra: Record<string, unknown> = {}): Sdk {
  return new Cos({
    SecretId: emu.secretId,
    SecretKey: emu.secretKey,
    Domain: `{Bucket}.cos.{Region}.localhost:${emu.port}`,
    Protocol: 'http:',
    ...extra,
  });
}

describe('official cos-nodejs-sdk-v5: multipart, list, auth', () => {
  let emu: RunningEmulator;
  let cos: Sdk;
  let dir: string;
  before(async () => {
    emu = await start();
    cos = sdkFor(emu);
    dir = await mkdtemp(join(tmpdir(), 'coskit-emu-sdk-'));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sliceUploadFile uploads a multi-part file whose combined CRC64 matches the bytes', async () => {
    const data = randomBytes(3 * MB + 12345);
    const file = join(dir, 'big.bin');
    await writeFile(file, data);
    const res = await cos.sliceUploadFile({ ...base, Key: 'big/big.bin', FilePath: file, ChunkSize: MB });
    assert.match(String(res.ETag), /^"[0-9a-f]{32}-4"$/);
    const head = await cos.headObject({ ...base, Key: 'big/big.bin' });
    assert.equal(head.headers?.['x-cos-hash-crc64ecma'], refCrc64(data).toString());
    assert.equal(head.headers?.['content-length'], String(data.length));
    const got = await cos.getObject({ ...base, Key: 'big/big.bin' });
    assert.ok(Buffer.compare(got.Body, data) === 0);
  });

  it('multipart family: initiate, upload parts, list parts, list uploads, complete, abort', async () => {
    const key = 'mp/obj.bin';
    const init = await cos.multipartInit({ ...base, Key: key, ContentType: 'application/x-test' });
    const uploadId = init.UploadId;
    assert.ok(uploadId);
    const p1 = randomBytes(MB);
    const p2 = Buffer.from('tail');
    const u1 = await cos.multipartUpload({ ...base, Key: key, UploadId: uploadId, PartNumber: 1, Body: p1 });
    assert.equal(u1.headers?.['x-cos-hash-crc64ecma'], refCrc64(p1).toString());
    const u2 = await cos.multipartUpload({ ...base, Key: key, UploadId: uploadId, PartNumber: 2, Body: p2 });
    const parts = await cos.multipartListPart({ ...base, Key: key, UploadId: uploadId, MaxParts: 1 });
    assert.equal(parts.Part.length, 1);
    assert.equal(parts.IsTruncated, 'true');
    assert.equal(parts.NextPartNumberMarker, '1');
    const rest = await cos.multipartListPart({ ...base, Key: key, UploadId: uploadId, PartNumberMarker: 1 });
    assert.equal(rest.Part[0].PartNumber, '2');
    const uploads = await cos.multipartList({ ...base, Prefix: 'mp/' });
    assert.equal(uploads.Upload.length, 1);
    assert.equal(uploads.Upload[0].UploadId, uploadId);
    await assert.rejects(
      cos.multipartComplete({ ...base, Key: key, UploadId: uploadId, Parts: [{ PartNumber: 2, ETag: u2.ETag }, { PartNumber: 1, ETag: u1.ETag }] }),
      (e: SdkErr) => e.code === 'InvalidPartOrder',
    );
    await assert.rejects(
      cos.multipartComplete({ ...base, Key: key, UploadId: uploadId, Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] }),
      (e: SdkErr) => e.code === 'InvalidPart',
    );
    const done = await cos.multipartComplete({ ...base, Key: key, UploadId: uploadId, Parts: [{ PartNumber: 1, ETag: u1.ETag }, { PartNumber: 2, ETag: u2.ETag }] });
    assert.match(String(done.ETag), /-2"$/);
    assert.equal(done.headers?.['x-cos-hash-crc64ecma'], refCrc64(Buffer.concat([p1, p2])).toString());
    const head = await cos.headObject({ ...base, Key: key });
    assert.equal(head.headers?.['content-type'], 'application/x-test');
    await assert.rejects(cos.multipartListPart({ ...base, Key: key, UploadId: uploadId }), (e: SdkErr) => e.statusCode === 404 && e.code === 'NoSuchUpload');

    const small = await cos.multipartInit({ ...base, Key: 'mp/small' });
    const s1 = await cos.multipartUpload({ ...base, Key: 'mp/small', UploadId: small.UploadId, PartNumber: 1, Body: Buffer.from('a') });
    const s2 = await cos.multipartUpload({ ...base, Key: 'mp/small', UploadId: small.UploadId, PartNumber: 2, Body: Buffer.from('b') });
    await assert.rejects(
      cos.multipartComplete({ ...base, Key: 'mp/small', UploadId: small.UploadId, Parts: [{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.ETag }] }),
      (e: SdkErr) => e.code === 'EntityTooSmall',
    );
    const ab = await cos.multipartAbort({ ...base, Key: 'mp/small', UploadId: small.UploadId });
    assert.equal(ab.statusCode, 204);
    await assert.rejects(cos.multipartAbort({ ...base, Key: 'mp/small', UploadId: small.UploadId }), (e: SdkErr) => e.code === 'NoSuchUpload');
  });

  it('uploadPartCopy copies a byte range of an object into a part', async () => {
    const src = randomBytes(MB + 10);
    await cos.putObject({ ...base, Key: 'pc/src', Body: src });
    const init = await cos.multipartInit({ ...base, Key: 'pc/dst' });
    const c = await cos.uploadPartCopy({
      ...base,
      Key: 'pc/dst',
      UploadId: init.UploadId,
      PartNumber: 1,
      CopySource: `${BUCKET}.cos.${REGION}.myqcloud.com/pc/src`,
      CopySourceRange: `bytes=0-${MB - 1}`,
    });
    await cos.multipartComplete({ ...base, Key: 'pc/dst', UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: c.ETag }] });
    const got = await cos.getObject({ ...base, Key: 'pc/dst' });
    assert.ok(Buffer.compare(got.Body, src.subarray(0, MB)) === 0);
  });

  it('getBucket with prefix, delimiter and marker pagination', async () => {
    const keys = ['l/a.txt', 'l/b/1.txt', 'l/b/2.txt', 'l/c.txt', 'l/d/1.txt', 'l/e.txt'];
    for (const k of keys) await cos.putObject({ ...base, Key: k, Body: k });
    const all = await cos.getBucket({ ...base, Prefix: 'l/' });
    assert.deepEqual(all.Contents.map((c: { Key: string }) => c.Key), keys);
    const seen: string[] = [];
    let marker = '';
    for (let page = 0; page < 10; page++) {
      const r = await cos.getBucket({ ...base, Prefix: 'l/', Delimiter: '/', MaxKeys: 2, Marker: marker });
      seen.push(...r.Contents.map((c: { Key: string }) => c.Key), ...r.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix));
      if (r.IsTruncated !== 'true') break;
      marker = r.NextMarker;
    }
    assert.deepEqual(seen, ['l/a.txt', 'l/b/', 'l/c.txt', 'l/d/', 'l/e.txt']);
    const enc = await cos.getBucket({ ...base, Prefix: 'l/b/', EncodingType: 'url' });
    assert.equal(enc.Contents.length, 2);
  });

  it('a wrong secret is 403 SignatureDoesNotMatch; an unknown id is InvalidAccessKeyId', async () => {
    const bad = new Cos({ SecretId: emu.secretId, SecretKey: 'wrong', Domain: `{Bucket}.cos.{Region}.localhost:${emu.port}`, Protocol: 'http:' });
    await assert.rejects(bad.headBucket(base), (e: SdkErr) => e.statusCode === 403);
    await assert.rejects(bad.getBucket(base), (e: SdkErr) => e.statusCode === 403 && e.code === 'SignatureDoesNotMatch');
    const unknown = new Cos({ SecretId: 'AKIDnobody', SecretKey: 'x', Domain: `{Bucket}.cos.{Region}.localhost:${emu.port}`, Protocol: 'http:' });
    await assert.rejects(unknown.getBucket(base), (e: SdkErr) => e.code === 'InvalidAccessKeyId');
  });

  it('an expired signature is 403 AccessDenied "Request has expired" with ServerTime', async () => {
    const old = Math.floor(Date.now() / 1000) - 7200;
    const auth = sign({ secretId: emu.secretId, secretKey: emu.secretKey, method: 'GET', pathname: `/${BUCKET}/`, headers: { host: `127.0.0.1:${emu.port}` }, keyTime: `${old};${old + 60}` });
    const r = await fetch(`${emu.url}/${BUCKET}/`, { headers: { Authorization: auth } });
    assert.equal(r.status, 403);
    const xml = await r.text();
    assert.match(xml, /<Code>AccessDenied<\/Code>/);
    assert.match(xml, /<Message>Request has expired<\/Message>/);
    assert.match(xml, /<ServerTime>\d{4}-\d\d-\d\dT/);
    // The SDK itself corrects its clock from ServerTime/Date and retries: a skewed server still works.
    emu.setClockOffset(3600);
    try {
      const ok = await sdkFor(emu).getBucket(base);
      assert.equal(ok.statusCode, 200);
    } finally {
      emu.setClockOffset(0);
    }
  });

  it('temporary keys minted by the STS endpoint work inside their policy and get 403 outside it', async () => {
    const body = JSON.stringify({ bucket: BUCKET, prefix: 'allowed/', actions: ['cos:PutObject', 'cos:GetObject', 'cos:HeadObject'] });
    const auth = sign({ secretId: emu.secretId, secretKey: emu.secretKey, method: 'POST', pathname: '/__coskit/sts', headers: { host: `127.0.0.1:${emu.port}` } });
    const res = await fetch(`${emu.url}/__coskit/sts`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body });
    assert.equal(res.status, 200);
    const sts = (await res.json()) as { credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string }; startTime: number; expiredTime: number; expiration: string };
    assert.equal(sts.expiredTime - sts.startTime, 1800);
    const tmp = new Cos({
      getAuthorization: (_o: unknown, cb: (v: unknown) => void) =>
        cb({ TmpSecretId: sts.credentials.tmpSecretId, TmpSecretKey: sts.credentials.tmpSecretKey, SecurityToken: sts.credentials.sessionToken, StartTime: sts.startTime, ExpiredTime: sts.expiredTime }),
      Domain: `{Bucket}.cos.{Region}.localhost:${emu.port}`,
      Protocol: 'http:',
    });
    const put = await tmp.putObject({ ...base, Key: 'allowed/x.txt', Body: 'ok' });
    assert.equal(put.statusCode, 200);
    await assert.rejects(tmp.putObject({ ...base, Key: 'other/x.txt', Body: 'no' }), (e: SdkErr) => e.statusCode === 403 && e.code === 'AccessDenied');
    await assert.rejects(tmp.deleteObject({ ...base, Key: 'allowed/x.txt' }), (e: SdkErr) => e.statusCode === 403);
    // Unsigned minting is refused.
    const anon = await fetch(`${emu.url}/__coskit/sts`, { method: 'POST', body });
    assert.equal(anon.status, 403);
  });
});
