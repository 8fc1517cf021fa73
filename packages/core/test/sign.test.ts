import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  cosUrlEncode,
  getAuthorization,
  hmacSha1Hex,
  sha1Hex,
  signPostPolicy,
  type SignableValue,
} from '../src/auth/sign.ts';

type SdkGetAuth = (opt: Record<string, unknown>) => string;
const COS = createRequire(import.meta.url)('cos-nodejs-sdk-v5') as { getAuthorization: SdkGetAuth };

// The doc's sample keys (cos-protocol.md §1.3).
const secretId = 'AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q';
const secretKey = 'BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz';
const gzHost = 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com';
const bjHost = 'examplebucket-1250000000.cos.ap-beijing.myqcloud.com';

/** The fields of an Authorization string, in order. */
function fields(auth: string): Array<[string, string]> {
  return auth.split('&').map((pair) => {
    const i = pair.indexOf('=');
    return [pair.slice(0, i), pair.slice(i + 1)];
  });
}
const field = (auth: string, name: string) => fields(auth).find(([k]) => k === name)?.[1];

/** HttpString -> Signature with the primitives, for the doc vectors that sign `Date` (which the SDK never does). */
async function signHttpString(keyTime: string, httpString: string): Promise<string> {
  const signKey = await hmacSha1Hex(secretKey, keyTime);
  return hmacSha1Hex(signKey, `sha1\n${keyTime}\n${await sha1Hex(httpString)}\n`);
}

describe('cosUrlEncode', () => {
  test('encodes everything but A-Z a-z 0-9 - _ . ~, with uppercase hex', () => {
    assert.equal(cosUrlEncode("!'()*"), '%21%27%28%29%2A');
    assert.equal(cosUrlEncode('aZ09-_.~'), 'aZ09-_.~');
    assert.equal(cosUrlEncode(' /+=&;:,?#@$%'), '%20%2F%2B%3D%26%3B%3A%2C%3F%23%40%24%25');
    assert.equal(cosUrlEncode('腾讯云'), '%E8%85%BE%E8%AE%AF%E4%BA%91');
    assert.equal(cosUrlEncode('😀'), '%F0%9F%98%80');
    assert.equal(cosUrlEncode(''), '');
  });
});

describe('doc vectors (Doc 7778), computed from their HttpString', () => {
  test('D1: PUT with Date signed', async () => {
    const keyTime = '1557989151;1557996351';
    assert.equal(await hmacSha1Hex(secretKey, keyTime), 'eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f');
    const headers =
      'content-length=13&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=text%2Fplain' +
      `&date=${cosUrlEncode('Thu, 16 May 2019 06:45:51 GMT')}&host=${bjHost}` +
      `&x-cos-acl=private&x-cos-grant-read=${cosUrlEncode('uin="100000000011"')}`;
    const httpString = `put\n/exampleobject(腾讯云)\n\n${headers}\n`;
    assert.equal(await sha1Hex(httpString), '8b2751e77f43a0995d6e9eb9477f4b685cca4172');
    assert.equal(await signHttpString(keyTime, httpString), '3b8851a11a569213c17ba8fa7dcf2abec6935172');
  });

  test('D2: GET with query, Date signed', async () => {
    const keyTime = '1557989753;1557996953';
    const httpString =
      'get\n/exampleobject(腾讯云)\n' +
      'response-cache-control=max-age%3D600&response-content-type=application%2Foctet-stream\n' +
      `date=${cosUrlEncode('Thu, 16 May 2019 06:55:53 GMT')}&host=${bjHost}\n`;
    assert.equal(await sha1Hex(httpString), '54ecfe22f59d3514fdc764b87a32d8133ea611e6');
    assert.equal(await signHttpString(keyTime, httpString), '01681b8c9d798a678e43b685a9f1bba0f6c0e012');
  });

  test('D1 through getAuthorization: Date is dropped, the rest signed like the SDK', async () => {
    const opts = {
      secretId,
      secretKey,
      method: 'PUT',
      pathname: '/exampleobject(腾讯云)',
      keyTime: '1557989151;1557996351',
      headers: {
        Date: 'Thu, 16 May 2019 06:45:51 GMT',
        Host: bjHost,
        'Content-Type': 'text/plain',
        'Content-Length': 13,
        'Content-MD5': 'mQ/fVh815F3k6TAUm8m0eg==',
        'x-cos-acl': 'private',
        'x-cos-grant-read': 'uin="100000000011"',
      },
    };
    const auth = await getAuthorization(opts);
    assert.equal(field(auth, 'q-header-list'), 'content-length;content-md5;content-type;host;x-cos-acl;x-cos-grant-read');
    assert.equal(auth, sdkAuth(opts));
  });
});

describe('SDK vectors (cos-protocol.md V1-V4)', () => {
  test('V1: GET Bucket with query parameters', async () => {
    const auth = await getAuthorization({
      secretId,
      secretKey,
      method: 'GET',
      pathname: '/',
      keyTime: '1700000000;1700003600',
      query: {
        prefix: 'photos/2024 年/',
        delimiter: '/',
        'max-keys': 20,
        'encoding-type': 'url',
        marker: 'photos/a+b.jpg',
      },
      headers: { Host: gzHost },
    });
    assert.equal(
      auth,
      'q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q&q-sign-time=1700000000;1700003600' +
        '&q-key-time=1700000000;1700003600&q-header-list=host' +
        '&q-url-param-list=delimiter;encoding-type;marker;max-keys;prefix' +
        '&q-signature=849ab13470d9d9379e40f5c265ef933259391543',
    );
    assert.equal(await hmacSha1Hex(secretKey, '1700000000;1700003600'), '552178a693a0d230b84a4f15c143bc3c2cb3d9c0');
  });

  const v2 = (contentType: string) => ({
    secretId,
    secretKey,
    method: 'put',
    pathname: '/dir/测试 file(1).jpg',
    keyTime: '1700000000;1700000900',
    headers: {
      Host: gzHost,
      'Content-Type': contentType,
      'Content-Length': '13',
      'Content-MD5': 'mQ/fVh815F3k6TAUm8m0eg==',
      'x-cos-meta-author': 'Zhang San',
      'x-cos-traffic-limit': 819200,
      'Cache-Control': 'max-age=60',
      'User-Agent': 'coskit-test/1.0',
    },
  });

  test('V2: PUT Object with signed and unsigned headers', async () => {
    const auth = await getAuthorization(v2('image/jpeg'));
    assert.equal(field(auth, 'q-key-time'), '1700000000;1700000900');
    assert.equal(
      field(auth, 'q-header-list'),
      'cache-control;content-length;content-md5;content-type;host;x-cos-meta-author;x-cos-traffic-limit',
    );
    assert.equal(field(auth, 'q-url-param-list'), '');
    assert.equal(field(auth, 'q-signature'), 'e7c570313d3c6bc33e3434d3553f53238e2f426a');
    const httpString =
      'put\n/dir/测试 file(1).jpg\n\ncache-control=max-age%3D60&content-length=13' +
      '&content-md5=mQ%2FfVh815F3k6TAUm8m0eg%3D%3D&content-type=image%2Fjpeg' +
      `&host=${gzHost}&x-cos-meta-author=Zhang%20San&x-cos-traffic-limit=819200\n`;
    assert.equal(
      await signHttpString('1700000000;1700000900', httpString),
      'e7c570313d3c6bc33e3434d3553f53238e2f426a',
    );
  });

  test('V2 with Content-Type image/png no longer matches', async () => {
    const auth = await getAuthorization(v2('image/png'));
    assert.notEqual(field(auth, 'q-signature'), 'e7c570313d3c6bc33e3434d3553f53238e2f426a');
  });

  test('V2 from a Headers object signs the same', async () => {
    const opts = v2('image/jpeg');
    const headers = new Headers();
    for (const [k, v] of Object.entries(opts.headers)) headers.set(k, String(v));
    assert.equal(field(await getAuthorization({ ...opts, headers }), 'q-signature'), 'e7c570313d3c6bc33e3434d3553f53238e2f426a');
  });

  test('V3: Upload Part', async () => {
    const auth = await getAuthorization({
      secretId,
      secretKey,
      method: 'PUT',
      pathname: '/big.bin',
      keyTime: '1700000000;1700000900',
      query: {
        partNumber: 2,
        uploadId: '1585130821cbb7df1d11846c073ad648e8f33b087cec2381df437acdc833cf654b9ecc6361',
      },
      headers: { 'Content-Length': 1048576, Host: gzHost },
    });
    assert.match(
      auth,
      /&q-header-list=content-length;host&q-url-param-list=partnumber;uploadid&q-signature=2a9ac1c5bff6d5c8c729025df227df290e7b0a34$/,
    );
  });

  test('V4: presigned GET with a temporary key, clock at 1700000001, expires 3600', async () => {
    const auth = await getAuthorization({
      secretId: 'AKIDtmpEXAMPLEtmpSecretId000000000',
      secretKey: 'tmpSecretKeyEXAMPLE0000000000000',
      method: 'get',
      pathname: '/docs/report 2024.pdf',
      query: { 'response-content-disposition': 'attachment; filename="r.pdf"' },
      headers: { host: gzHost },
      now: 1700000001_000,
      expires: 3600,
    });
    assert.equal(
      auth,
      'q-sign-algorithm=sha1&q-ak=AKIDtmpEXAMPLEtmpSecretId000000000&q-sign-time=1700000000;1700003600' +
        '&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=response-content-disposition' +
        '&q-signature=aad5481b53d258bd7ceadab3822d15c93dc9f4a1',
    );
  });

  test('P1: POST Object policy (Doc 14690)', async () => {
    const policy =
      '{\n    "expiration": "2019-08-30T09:38:12.414Z",\n    "conditions": [\n        { "acl": "default" },\n' +
      '        { "bucket": "examplebucket-1250000000" },\n        [ "starts-with", "$key", "folder/subfolder/" ],\n' +
      '        [ "starts-with", "$Content-Type", "image/" ],\n' +
      '        [ "starts-with", "$success_action_redirect", "https://my.website/" ],\n' +
      '        [ "eq", "$x-cos-server-side-encryption", "AES256" ],\n        { "q-sign-algorithm": "sha1" },\n' +
      '        { "q-ak": "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q" },\n        { "q-sign-time": "1567150692;1567157892" }\n' +
      '    ]\n}';
    const keyTime = '1567150692;1567157892';
    assert.equal(await hmacSha1Hex(secretKey, keyTime), '39acc8c9f34ba5b19bce4e965b370cd3f62d2fba');
    assert.equal(await sha1Hex(policy), 'd5d903b8360468bc81c1311f134989bc8c8b5b89');
    assert.equal(await signPostPolicy({ secretKey, keyTime, policy }), '7758dc9a832e9d301dca704cacbf9d9f8172fdef');
    const obj = { expiration: '2019-08-30T09:38:12.414Z', conditions: [{ bucket: 'b-1250000000' }] };
    assert.equal(
      await signPostPolicy({ secretKey, keyTime, policy: obj }),
      await signPostPolicy({ secretKey, keyTime, policy: JSON.stringify(obj) }),
    );
  });
});

/** What cos-nodejs-sdk-v5 signs for our options, after the undefined/null cleanup its request path does. */
function sdkAuth(opts: {
  secretId: string;
  secretKey: string;
  method: string;
  pathname: string;
  query?: Record<string, SignableValue>;
  headers?: Record<string, SignableValue>;
  keyTime?: string;
  expires?: number;
}): string {
  const clear = (o: Record<string, SignableValue> | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined && v !== null));
  return COS.getAuthorization({
    SecretId: opts.secretId,
    SecretKey: opts.secretKey,
    Method: opts.method,
    Pathname: opts.pathname,
    Query: clear(opts.query),
    Headers: clear(opts.headers),
    ...(opts.keyTime !== undefined ? { KeyTime: opts.keyTime } : {}),
    ...(opts.expires !== undefined ? { Expires: opts.expires } : {}),
  });
}

describe('edge cases, against the SDK', () => {
  const base = { secretId, secretKey, keyTime: '1700000000;1700000900' };
  const cases: Array<[string, Parameters<typeof sdkAuth>[0]]> = [
    ['unicode key', { ...base, method: 'GET', pathname: '/目录/文件 名😀.txt' }],
    ["!'()* in the key and the query", { ...base, method: 'PUT', pathname: "/a!b'c(d)e*f", query: { "x!'()*": "v!'()*" } }],
    ['value-less query parameters sign as name=', { ...base, method: 'POST', pathname: '/o', query: { uploads: '' } }],
    ['mixed-case query names sort case-insensitively', { ...base, method: 'GET', pathname: '/', query: { Zeta: 'z', alpha: 'A', 'Max-Keys': 5 } }],
    ['unicode query names (list and line orders differ)', { ...base, method: 'GET', pathname: '/', query: { 'aé': '1', aa: '2', 'a b': '3' } }],
    [
      'mixed-case and unsigned headers',
      {
        ...base,
        method: 'PUT',
        pathname: '/k',
        headers: { 'X-COS-Meta-A': 'x', 'content-TYPE': 't/p', Accept: '*/*', Date: 'now', 'User-Agent': 'ua', Range: 'bytes=0-1' },
      },
    ],
    [
      'header values with spaces and unicode',
      { ...base, method: 'PUT', pathname: '/k', headers: { 'x-cos-meta-name': '  张 三 ', 'Content-Disposition': 'attachment; filename="ä ö.txt"' } },
    ],
    ['empty header value', { ...base, method: 'PUT', pathname: '/k', headers: { 'x-cos-meta-empty': '' } }],
    ['contains-x-cos- names are signed like the SDK', { ...base, method: 'GET', pathname: '/k', headers: { 'my-x-cos-thing': '1', 'pic-operations': '{}' } }],
    ['pathname without a leading slash', { ...base, method: 'GET', pathname: 'no/slash' }],
    ['empty pathname', { ...base, method: 'GET', pathname: '' }],
    ['lowercase method', { ...base, method: 'delete', pathname: '/x' }],
  ];
  for (const [name, opts] of cases) {
    test(name, async () => assert.equal(await getAuthorization(opts), sdkAuth(opts)));
  }

  test('`?uploads` signs as uploads=', async () => {
    const auth = await getAuthorization({ ...base, method: 'POST', pathname: '/o', query: { uploads: '' } });
    assert.equal(field(auth, 'q-url-param-list'), 'uploads');
    const httpString = 'post\n/o\nuploads=\n\n';
    assert.equal(field(auth, 'q-signature'), await signHttpString(base.keyTime, httpString));
  });

  test('undefined/null query and header values are left out, as the SDK request path does', async () => {
    const auth = await getAuthorization({
      ...base,
      method: 'GET',
      pathname: '/',
      query: { prefix: 'a', marker: undefined, 'max-keys': null },
      headers: { Host: gzHost, 'x-cos-acl': undefined, Range: null },
    });
    assert.equal(field(auth, 'q-url-param-list'), 'prefix');
    assert.equal(field(auth, 'q-header-list'), 'host');
    // The static COS.getAuthorization, unlike the SDK's requests, would sign `marker=`: we follow the requests.
    const statik = COS.getAuthorization({ SecretId: secretId, SecretKey: secretKey, Method: 'GET', Pathname: '/', Query: { prefix: 'a', marker: undefined }, KeyTime: base.keyTime });
    assert.equal(field(statik, 'q-url-param-list'), 'marker;prefix');
  });

  test('default KeyTime is round(now/1000)-1 plus 900 (0 also means 900, like the SDK)', async () => {
    const at = (now: number, expires?: number) =>
      getAuthorization({ secretId, secretKey, method: 'get', pathname: '/', now, ...(expires !== undefined ? { expires } : {}) });
    assert.equal(field(await at(1700000000_499), 'q-key-time'), '1699999999;1700000899');
    assert.equal(field(await at(1700000000_500), 'q-key-time'), '1700000000;1700000900');
    assert.equal(field(await at(1700000000_000, 60), 'q-sign-time'), '1699999999;1700000059');
    assert.equal(field(await at(1700000000_000, 0), 'q-key-time'), '1699999999;1700000899');
  });

  test('default clock is Date.now(), same as the SDK', async (t) => {
    t.mock.method(Date, 'now', () => 1712345678_901);
    const opts = { secretId, secretKey, method: 'HEAD', pathname: '/x', expires: 120 };
    assert.equal(await getAuthorization(opts), sdkAuth(opts));
  });

  test('missing credentials are an InvalidArgument', async () => {
    await assert.rejects(getAuthorization({ secretId: '', secretKey, method: 'get', pathname: '/' }), {
      name: 'CosClientError',
      code: 'InvalidArgument',
    });
    await assert.rejects(getAuthorization({ secretId, secretKey: '', method: 'get', pathname: '/' }), {
      code: 'InvalidArgument',
    });
  });
});

/** mulberry32: small, seeded, good enough to pick test inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parity with cos-nodejs-sdk-v5 COS.getAuthorization on random requests', () => {
  const rand = prng(0xc05c17);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chars = [
    ...'abcXYZ019-_.~',
    ...`!'()*`,
    ...' /+%?#&=;:,@$[]"<>\\^`{|}',
    'é',
    'Ä',
    '腾',
    '讯',
    '云',
    '😀',
    'İ',
    'ß',
    '\u00a0',
  ];
  const str = (max: number, min = 0) => {
    let s = '';
    for (let n = min + int(max - min + 1); n > 0; n--) s += pick(chars);
    return s;
  };
  const randomCase = (s: string) => [...s].map((c) => (rand() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  const queryNames = ['prefix', 'delimiter', 'max-keys', 'partNumber', 'uploadId', 'uploads', 'acl', 'versionId', 'response-content-type', 'encoding-type'];
  const signable = ['Host', 'Content-Type', 'Content-Length', 'Content-MD5', 'Cache-Control', 'Content-Disposition', 'Content-Encoding', 'Expect', 'Expires', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-Unmodified-Since', 'Origin', 'Range', 'Transfer-Encoding', 'Pic-Operations', 'x-cos-acl', 'x-cos-meta-note', 'x-cos-traffic-limit', 'x-cos-security-token', 'x-ci-process'];
  const unsigned = ['Date', 'User-Agent', 'Accept', 'Authorization', 'X-Requested-With', 'Connection', 'Content-Language'];
  const value = (): SignableValue => {
    const r = rand();
    if (r < 0.1) return '';
    if (r < 0.15) return undefined;
    if (r < 0.2) return null;
    if (r < 0.3) return int(1e9);
    return str(12);
  };
  const methods = ['get', 'put', 'post', 'delete', 'head', 'options'];

  for (let i = 0; i < 320; i++) {
    const query: Record<string, SignableValue> = {};
    for (let n = int(6); n > 0; n--) query[rand() < 0.5 ? randomCase(pick(queryNames)) : str(6, 1)] = value();
    const headers: Record<string, SignableValue> = {};
    for (let n = int(7); n > 0; n--) {
      const r = rand();
      const name = r < 0.5 ? pick(signable) : r < 0.7 ? `x-cos-meta-${str(4, 1).replace(/[^a-z0-9-]/gi, 'q')}` : pick(unsigned);
      headers[randomCase(name)] = value();
    }
    const opts = {
      secretId: `AKID${str(8, 1).replace(/[^a-z0-9]/gi, 'Z')}`,
      secretKey: str(32, 1),
      method: randomCase(pick(methods)),
      pathname: `/${str(20)}`,
      query,
      headers,
      keyTime: `${1700000000 + int(1e6)};${1700003600 + int(1e6)}`,
    };
    test(`random request #${i}`, async () => {
      assert.equal(await getAuthorization(opts), sdkAuth(opts));
    });
  }
});
