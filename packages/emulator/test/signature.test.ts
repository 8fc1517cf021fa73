import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { computeSignature, hmacSha1Hex, parseAuthorizationHeader, sha1Hex } from '../src/auth/signature.ts';
import type { RunningEmulator } from '../src/index.ts';
import { start } from './support/emu.ts';

// Tencent's documented sample keys (Doc 7778); public test vectors, not secrets.
const SID = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
const SKEY = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
const BJ = 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com';
const GZ = 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com';

const fields = (keyTime: string, headerList: string, urlParamList: string) => ({
  signTime: keyTime,
  keyTime,
  headerList: headerList ? headerList.split(';') : [],
  urlParamList: urlParamList ? urlParamList.split(';') : [],
});

describe('signature vectors (cos-protocol.md §1.3) against the emulator verifier', () => {
  it('D1: PUT with headers', () => {
    const r = computeSignature({
      secretKey: SKEY,
      method: 'PUT',
      pathname: '/exampleobject(腾讯云)',
      query: [],
      headers: {
        date: 'Thu, 16 May 2019 06:45:51 GMT',
        host: BJ,
        'content-type': 'text/plain',
        'content-length': '13',
        'content-md5': 'mQ/fVh815F3k6TAUm8m0eg==',
        'x-cos-acl': 'private',
        'x-cos-grant-read': 'uin="100000000011"',
      },
      fields: fields('1557989151;1557996351', 'content-length;content-md5;content-type;date;host;x-cos-acl;x-cos-grant-read', ''),
    });
    assert.equal(hmacSha1Hex(SKEY, '1557989151;1557996351'), 'eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f');
    assert.equal(sha1Hex(r.httpString), '8b2751e77f43a0995d6e9eb9477f4b685cca4172');
    assert.equal(r.signature, '3b8851a11a569213c17ba8fa7dcf2abec6935172');
  });

  it('D2: GET with response-* query', () => {
    const r = computeSignature({
      secretKey: SKEY,
      method: 'GET',
      pathname: '/exampleobject(腾讯云)',
      query: [
        ['response-content-type', 'application/octet-stream'],
        ['response-cache-control', 'max-age=600'],
      ],
      headers: { date: 'Thu, 16 May 2019 06:55:53 GMT', host: BJ },
      fields: fields('1557989753;1557996953', 'date;host', 'response-cache-control;response-content-type'),
    });
    assert.equal(sha1Hex(r.httpString), '54ecfe22f59d3514fdc764b87a32d8133ea611e6');
    assert.equal(r.signature, '01681b8c9d798a678e43b685a9f1bba0f6c0e012');
  });

  it('V4: presigned GET with a temporary key', () => {
    const r = computeSignature({
      secretKey: 'tmpSecretKeyEXAMPLE0000000000000',
      method: 'GET',
      pathname: '/docs/report 2024.pdf',
      query: [['response-content-disposition', 'attachment; filename="r.pdf"']],
      headers: { host: GZ },
      fields: fields('1700000000;1700003600', 'host', 'response-content-disposition'),
    });
    assert.equal(r.signature, 'aad5481b53d258bd7ceadab3822d15c93dc9f4a1');
  });

  it('P1: POST policy signature', () => {
    const signKey = hmacSha1Hex(SKEY, '1567150692;1567157892');
    assert.equal(signKey, '39acc8c9f34ba5b19bce4e965b370cd3f62d2fba');
    assert.equal(hmacSha1Hex(signKey, 'd5d903b8360468bc81c1311f134989bc8c8b5b89'), '7758dc9a832e9d301dca704cacbf9d9f8172fdef');
  });

  it('parses an Authorization header with percent-encoded values', () => {
    const m = parseAuthorizationHeader('q-sign-algorithm=sha1&q-ak=AK&q-sign-time=1%3B2&q-url-param-list=a%3Bb');
    assert.equal(m.get('q-sign-time'), '1;2');
    assert.equal(m.get('q-url-param-list'), 'a;b');
  });
});

/** Raw HTTP so the Host header can be the real COS host of the vectors. */
function raw(emu: RunningEmulator, method: string, path: string, headers: Record<string, string>, body?: Buffer) {
  return new Promise<{ status: number; body: string }>((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: emu.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('signature vectors V1-V3 on the wire (virtual-hosted by Host header, clock moved to the vector time)', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start({ secretId: SID, secretKey: SKEY, buckets: ['examplebucket-1250000000'] });
    emu.setClockOffset(1700000100 - Date.now() / 1000);
  });
  after(() => emu.close());

  const auth = (rest: string, keyTime = '1700000000;1700003600') =>
    `q-sign-algorithm=sha1&q-ak=${SID}&q-sign-time=${keyTime}&q-key-time=${keyTime}&${rest}`;

  it('V1: GET Bucket with query parameters is accepted', async () => {
    const r = await raw(
      emu,
      'GET',
      '/?prefix=photos%2F2024%20%E5%B9%B4%2F&delimiter=%2F&max-keys=20&encoding-type=url&marker=photos%2Fa%2Bb.jpg',
      {
        Host: GZ,
        Authorization: auth('q-header-list=host&q-url-param-list=delimiter;encoding-type;marker;max-keys;prefix&q-signature=849ab13470d9d9379e40f5c265ef933259391543'),
      },
    );
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /<Marker>photos%2Fa%2Bb.jpg<\/Marker>/);
  });

  it('V1 as a presigned query string is accepted too', async () => {
    const q = 'q-sign-algorithm=sha1&q-ak=' + SID + '&q-sign-time=1700000000%3B1700003600&q-key-time=1700000000%3B1700003600&q-header-list=host&q-url-param-list=delimiter%3Bencoding-type%3Bmarker%3Bmax-keys%3Bprefix&q-signature=849ab13470d9d9379e40f5c265ef933259391543';
    const r = await raw(emu, 'GET', `/?prefix=photos%2F2024%20%E5%B9%B4%2F&delimiter=%2F&max-keys=20&encoding-type=url&marker=photos%2Fa%2Bb.jpg&${q}`, { Host: GZ });
    assert.equal(r.status, 200, r.body);
  });

  const v2Headers = (contentType: string) => ({
    Host: GZ,
    'Content-Type': contentType,
    'Content-Length': '13',
    'Content-MD5': 'mQ/fVh815F3k6TAUm8m0eg==',
    'x-cos-meta-author': 'Zhang San',
    'x-cos-traffic-limit': '819200',
    'Cache-Control': 'max-age=60',
    'User-Agent': 'anything',
    Authorization: auth(
      'q-header-list=cache-control;content-length;content-md5;content-type;host;x-cos-meta-author;x-cos-traffic-limit&q-url-param-list=&q-signature=e7c570313d3c6bc33e3434d3553f53238e2f426a',
      '1700000000;1700000900',
    ),
  });

  it('V2: PUT Object with signed headers is accepted; a changed Content-Type is SignatureDoesNotMatch', async () => {
    const ok = await raw(emu, 'PUT', '/dir/%E6%B5%8B%E8%AF%95%20file%281%29.jpg', v2Headers('image/jpeg'), Buffer.from('ObjectContent'));
    assert.equal(ok.status, 200, ok.body);
    const bad = await raw(emu, 'PUT', '/dir/%E6%B5%8B%E8%AF%95%20file%281%29.jpg', v2Headers('image/png'), Buffer.from('ObjectContent'));
    assert.equal(bad.status, 403);
    assert.match(bad.body, /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it('V3: Upload Part signature passes (then the unknown upload is 404 NoSuchUpload)', async () => {
    const r = await raw(
      emu,
      'PUT',
      '/big.bin?partNumber=2&uploadId=1585130821cbb7df1d11846c073ad648e8f33b087cec2381df437acdc833cf654b9ecc6361',
      {
        Host: GZ,
        'Content-Length': '1048576',
        Authorization: auth('q-header-list=content-length;host&q-url-param-list=partnumber;uploadid&q-signature=2a9ac1c5bff6d5c8c729025df227df290e7b0a34', '1700000000;1700000900'),
      },
      Buffer.alloc(1048576),
    );
    assert.equal(r.status, 404, r.body);
    assert.match(r.body, /<Code>NoSuchUpload<\/Code>/);
  });

  it('after the window: 403 AccessDenied "Request has expired"; start too far ahead: RequestTimeTooSkewed', async () => {
    emu.setClockOffset(1700003601 - Date.now() / 1000);
    const r = await raw(emu, 'GET', '/', { Host: GZ, Authorization: auth('q-header-list=host&q-url-param-list=&q-signature=00') });
    assert.equal(r.status, 403);
    assert.match(r.body, /Request has expired/);
    assert.match(r.body, /<ServerTime>2023-11-14T/);
    emu.setClockOffset(1700000000 - 1000 - Date.now() / 1000);
    const s = await raw(emu, 'GET', '/', { Host: GZ, Authorization: auth('q-header-list=host&q-url-param-list=&q-signature=00') });
    assert.match(s.body, /<Code>RequestTimeTooSkewed<\/Code>/);
  });
});
