/**
 * The request pipeline on the wire, with msw scripting the server in Node: signing (checked against the official
 * SDK's getAuthorization on the request msw saw), retries and their delays, timeouts, aborts, clock-skew
 * correction, credentials caching/refresh/backoff, server-side signing, error parsing and endpoint addressing.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { CosClient, CosClientError, CosServiceError, isCosServiceError } from '../src/index.ts';

const require = createRequire(import.meta.url);
const COS = require('cos-nodejs-sdk-v5');

const BUCKET = 'examplebucket-1250000000';
const REGION = 'ap-guangzhou';
const HOST = `${BUCKET}.cos.${REGION}.myqcloud.com`;
const ORIGIN = `https://${HOST}`;
const KEYS = { secretId: 'AKIDtestPIPELINE0000000000000000000', secretKey: 'testSecretKeyPIPELINE00000000000' };

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const xmlError = (code: string, message: string, extra = '') =>
  `<?xml version='1.0' encoding='utf-8' ?><Error><Code>${code}</Code><Message>${message}</Message><Resource>${HOST}/k</Resource><RequestId>req-1</RequestId><TraceId>trace-1</TraceId>${extra}</Error>`;

function client(extra: Record<string, unknown> = {}) {
  return new CosClient({ bucket: BUCKET, region: REGION, credentials: KEYS, retry: { baseDelay: 5, maxDelay: 50 }, ...extra });
}

function parseAuth(auth: string): Record<string, string> {
  return Object.fromEntries(auth.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** What the official SDK would sign for the request msw received. */
function oracle(request: Request, keyTime: string, secret = KEYS): string {
  const url = new URL(request.url);
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, name) => (query[name] = value));
  const headers: Record<string, string> = { host: url.host };
  request.headers.forEach((value, name) => {
    // The token is added after signing, as the official SDKs do.
    if (name !== 'authorization' && name !== 'x-cos-security-token') headers[name] = value;
  });
  return COS.getAuthorization({
    SecretId: secret.secretId,
    SecretKey: secret.secretKey,
    Method: request.method,
    Pathname: decodeURIComponent(url.pathname),
    Query: query,
    Headers: headers,
    KeyTime: keyTime,
  });
}

describe('signing on the wire', () => {
  it('signs path, query and headers exactly as the official SDK would', async () => {
    let seen: Request | undefined;
    server.use(
      http.put(`${ORIGIN}/*`, ({ request }) => {
        seen = request.clone();
        return new HttpResponse(null, { status: 200, headers: { etag: '"abc"' } });
      }),
    );
    await client().request({
      action: 'PutObject',
      method: 'PUT',
      key: 'dir/测试 file(1)!*.txt',
      query: { 'x-cos-traffic-limit': 819200, versionId: undefined, acl: '' },
      headers: { 'Content-Type': 'text/plain', 'x-cos-meta-Author': 'Zhang San', 'X-Unsigned': 'ignored' },
      body: 'hello',
      responseType: 'none',
    });
    assert.ok(seen);
    const url = new URL(seen.url);
    assert.equal(url.pathname, '/dir/%E6%B5%8B%E8%AF%95%20file%281%29%21%2A.txt');
    assert.match(url.search, /(^\?|&)acl(&|$)/, 'value-less flags are sent bare');
    assert.ok(!url.search.includes('versionId'), 'undefined query values are dropped');
    const auth = seen.headers.get('authorization')!;
    const fields = parseAuth(auth);
    assert.equal(auth, oracle(seen, fields['q-key-time']!));
    assert.ok(fields['q-header-list']!.split(';').includes('host'));
    assert.ok(!fields['q-header-list']!.includes('x-unsigned'));
  });

  it('signs /bucket/key in path-style and keeps dot segments intact', async () => {
    let seen: Request | undefined;
    server.use(
      http.get('https://cos.ap-guangzhou.myqcloud.com/*', ({ request }) => {
        seen = request.clone();
        return HttpResponse.text('ok');
      }),
    );
    await client({ forcePathStyle: true }).request({ action: 'GetObject', method: 'GET', key: 'a/../b', responseType: 'text' });
    assert.ok(seen);
    const url = new URL(seen.url);
    assert.equal(url.pathname, `/${BUCKET}/a%2F..%2Fb`);
    const fields = parseAuth(seen.headers.get('authorization')!);
    const expected = COS.getAuthorization({
      SecretId: KEYS.secretId,
      SecretKey: KEYS.secretKey,
      Method: 'GET',
      Pathname: `/${BUCKET}/a/../b`,
      Headers: { host: url.host },
      KeyTime: fields['q-key-time'],
    });
    assert.equal(seen.headers.get('authorization'), expected);
  });

  it('addresses endpoint templates, accelerate and custom domains', () => {
    const c = client({ endpoint: 'http://{Bucket}.cos.{Region}.localhost:9000' });
    assert.equal(c.endpointFor({ bucket: BUCKET, region: REGION, key: 'a b/c' }).url, `http://${BUCKET}.cos.${REGION}.localhost:9000/a%20b/c`);
    assert.equal(c.endpointFor({ bucket: null, region: REGION }).url, `http://cos.${REGION}.localhost:9000/`);
    const acc = client({ accelerate: true });
    assert.equal(acc.endpointFor({ bucket: BUCKET, region: REGION, key: 'k' }).host, `${BUCKET}.cos.accelerate.myqcloud.com`);
    const custom = client({ endpoint: 'https://files.example.com/base' });
    const target = custom.endpointFor({ bucket: BUCKET, region: REGION, key: 'x#y?z' });
    assert.equal(target.url, 'https://files.example.com/base/x%23y%3Fz');
    assert.equal(target.pathname, '/base/x#y?z');
    assert.equal(client({ endpoint: '{Bucket}.cos.{Region}.myqcloud.com', protocol: 'http:' }).endpointFor({ bucket: BUCKET, region: REGION }).url, `http://${HOST}/`);
  });
});

describe('retries', () => {
  it('retries 500 and network errors with backoff, reporting each retry', async () => {
    let calls = 0;
    server.use(
      http.get(`${ORIGIN}/k`, () => {
        calls++;
        if (calls === 1) return HttpResponse.error();
        if (calls === 2) return new HttpResponse(xmlError('InternalError', 'boom'), { status: 500 });
        return HttpResponse.text('done');
      }),
    );
    const retries: Array<{ attempt: number; throttled: boolean }> = [];
    const res = await client().request({ action: 'GetObject', method: 'GET', key: 'k', responseType: 'text', onRetry: (r) => retries.push(r) });
    assert.equal(res.body, 'done');
    assert.equal(calls, 3);
    assert.deepEqual(retries.map((r) => r.attempt), [1, 2]);
  });

  it('honours Retry-After on 503 SlowDown and marks it as throttling', async () => {
    let calls = 0;
    server.use(
      http.get(`${ORIGIN}/k`, () =>
        ++calls === 1
          ? new HttpResponse(xmlError('SlowDown', 'Please reduce your request rate.'), { status: 503, headers: { 'retry-after': '0.3' } })
          : HttpResponse.text('ok'),
      ),
    );
    const retries: Array<{ delay: number; throttled: boolean }> = [];
    const started = performance.now();
    await client({ retry: { baseDelay: 1, maxDelay: 5000 } }).request({ action: 'GetObject', method: 'GET', key: 'k', responseType: 'text', onRetry: (r) => retries.push(r) });
    assert.ok(performance.now() - started >= 290, 'waited for Retry-After');
    assert.equal(retries[0]!.throttled, true);
  });

  it('gives up after the retry limit with the last error', async () => {
    let calls = 0;
    server.use(http.get(`${ORIGIN}/k`, () => (calls++, new HttpResponse(xmlError('ServiceUnavailable', 'down'), { status: 503 }))));
    await assert.rejects(client({ retry: { limit: 2, baseDelay: 1 } }).request({ action: 'GetObject', method: 'GET', key: 'k' }), (e: unknown) => {
      assert.ok(isCosServiceError(e));
      assert.equal(e.code, 'ServiceUnavailable');
      return true;
    });
    assert.equal(calls, 3);
  });

  it('does not retry client errors (4xx) and keeps every error field', async () => {
    let calls = 0;
    server.use(
      http.get(`${ORIGIN}/k`, () => {
        calls++;
        return new HttpResponse(xmlError('NoSuchKey', 'The specified key does not exist.'), {
          status: 404,
          headers: { 'x-cos-request-id': 'req-1', 'content-type': 'application/xml' },
        });
      }),
    );
    await assert.rejects(client().request({ action: 'GetObject', method: 'GET', key: 'k' }), (e: unknown) => {
      assert.ok(e instanceof CosServiceError);
      assert.deepEqual(
        { code: e.code, status: e.status, requestId: e.requestId, traceId: e.traceId, resource: e.resource, message: e.message },
        { code: 'NoSuchKey', status: 404, requestId: 'req-1', traceId: 'trace-1', resource: `${HOST}/k`, message: 'The specified key does not exist.' },
      );
      assert.match(e.raw, /<Code>NoSuchKey<\/Code>/);
      assert.match(e.digest, /NoSuchKey \(404\)/);
      return true;
    });
    assert.equal(calls, 1);
  });

  it('times out each attempt and surfaces Timeout', async () => {
    server.use(http.get(`${ORIGIN}/slow`, async () => (await delay(400), HttpResponse.text('late'))));
    await assert.rejects(
      client({ timeout: 50, retry: { limit: 1, baseDelay: 1 } }).request({ action: 'GetObject', method: 'GET', key: 'slow', responseType: 'text' }),
      (e: unknown) => e instanceof CosClientError && e.code === 'Timeout',
    );
  });

  it('rejects with the signal reason on abort, without retrying', async () => {
    let calls = 0;
    server.use(http.get(`${ORIGIN}/slow`, async () => (calls++, await delay(1000), HttpResponse.text('late'))));
    const controller = new AbortController();
    const reason = new Error('user went away');
    setTimeout(() => controller.abort(reason), 30);
    await assert.rejects(client().request({ action: 'GetObject', method: 'GET', key: 'slow', signal: controller.signal }), (e) => e === reason);
    assert.equal(calls, 1);
  });
});

describe('clock skew', () => {
  for (const [name, respond] of [
    ['RequestTimeTooSkewed with ServerTime', (server: Date) => new HttpResponse(xmlError('RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.', `<ServerTime>${server.toISOString()}</ServerTime>`), { status: 403 })],
    ['AccessDenied "Request has expired" with a Date header', (server: Date) => new HttpResponse(xmlError('AccessDenied', 'Request has expired'), { status: 403, headers: { date: server.toUTCString() } })],
  ] as const) {
    it(`re-signs once with the server's clock after ${name}`, async () => {
      const serverNow = new Date(Date.now() + 3600_000);
      const signTimes: number[] = [];
      server.use(
        http.get(`${ORIGIN}/k`, ({ request }) => {
          const start = Number(parseAuth(request.headers.get('authorization')!)['q-sign-time']!.split(';')[0]);
          signTimes.push(start);
          return signTimes.length === 1 ? respond(serverNow) : HttpResponse.text('ok');
        }),
      );
      const c = client();
      await c.request({ action: 'GetObject', method: 'GET', key: 'k', responseType: 'text' });
      assert.equal(signTimes.length, 2);
      assert.ok(Math.abs(signTimes[1]! - Math.floor(serverNow.getTime() / 1000)) <= 2, 'second signature uses the server clock');
      assert.ok(Math.abs(c.clockOffset - 3600) <= 2);
    });
  }
});

describe('credentials', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('shares one provider call among concurrent requests and uses the temporary key window', async () => {
    let provided = 0;
    const seen: Request[] = [];
    server.use(http.get(`${ORIGIN}/*`, ({ request }) => (seen.push(request.clone()), HttpResponse.text('ok'))));
    const start = now() - 10;
    const c = client({
      credentials: async () => {
        provided++;
        await delay(20);
        return { credentials: { tmpSecretId: 'AKIDtmp1', tmpSecretKey: 'tmpKey1', sessionToken: 'token-1' }, startTime: start, expiredTime: start + 1800 };
      },
    });
    await Promise.all(Array.from({ length: 5 }, (_, i) => c.request({ action: 'GetObject', method: 'GET', key: `k${i}`, responseType: 'text' })));
    assert.equal(provided, 1);
    for (const request of seen) {
      assert.equal(request.headers.get('x-cos-security-token'), 'token-1');
      const fields = parseAuth(request.headers.get('authorization')!);
      assert.equal(fields['q-key-time'], `${start};${start + 1800}`);
      assert.equal(request.headers.get('authorization'), oracle(request, `${start};${start + 1800}`, { secretId: 'AKIDtmp1', secretKey: 'tmpKey1' }));
    }
  });

  it('accepts the cos-js-sdk-v5 shape and refreshes before expiry', async () => {
    const tokens: string[] = [];
    server.use(http.get(`${ORIGIN}/*`, ({ request }) => (tokens.push(request.headers.get('x-cos-security-token')!), HttpResponse.text('ok'))));
    let n = 0;
    const c = client({
      credentials: async () => {
        n++;
        // The first keys expire in 30 s: inside the refresh margin, so the next request must fetch new ones.
        return { TmpSecretId: `AKID${n}`, TmpSecretKey: `key${n}`, SecurityToken: `tok${n}`, StartTime: now() - 5, ExpiredTime: now() + (n === 1 ? 30 : 1800) };
      },
    });
    await c.request({ action: 'GetObject', method: 'GET', key: 'a', responseType: 'text' });
    await c.request({ action: 'GetObject', method: 'GET', key: 'b', responseType: 'text' });
    await c.request({ action: 'GetObject', method: 'GET', key: 'c', responseType: 'text' });
    assert.deepEqual(tokens, ['tok1', 'tok2', 'tok2']);
  });

  it('turns a malformed provider answer into CredentialsError with no request sent', async () => {
    const c = client({ credentials: async () => ({ credentials: { tmpSecretId: 'x' }, expiredTime: now() + 100 }) });
    await assert.rejects(c.request({ action: 'GetObject', method: 'GET', key: 'k' }), (e: unknown) => e instanceof CosClientError && e.code === 'CredentialsError' && /tmpSecretKey/.test(e.message));
    const ms = client({ credentials: async () => ({ TmpSecretId: 'a', TmpSecretKey: 'b', SecurityToken: 't', ExpiredTime: Date.now() + 60_000 }) });
    await assert.rejects(ms.request({ action: 'GetObject', method: 'GET', key: 'k' }), /milliseconds/);
  });

  it('backs off a failing provider instead of calling it in a tight loop, then recovers', async () => {
    server.use(http.get(`${ORIGIN}/*`, () => HttpResponse.text('ok')));
    const calls: number[] = [];
    const c = client({
      // Without retries each request meets the provider's failure (with retries it recovers inside one: next test).
      retry: { limit: 0 },
      credentials: async () => {
        calls.push(performance.now());
        if (calls.length <= 2) throw new Error('sts down');
        return { credentials: { tmpSecretId: 'A', tmpSecretKey: 'B', sessionToken: 'T' }, expiredTime: now() + 1800 };
      },
    });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(c.request({ action: 'GetObject', method: 'GET', key: 'k' }), (e: unknown) => {
        assert.ok(e instanceof CosClientError && e.code === 'CredentialsError');
        assert.equal((e.cause as Error).message, 'sts down');
        return true;
      });
    }
    await c.request({ action: 'GetObject', method: 'GET', key: 'k', responseType: 'text' });
    assert.equal(calls.length, 3);
    assert.ok(calls[1]! - calls[0]! >= 240, `second provider call waited for backoff (${calls[1]! - calls[0]!} ms)`);
  });

  it('retries a request whose provider threw (a credentials route down), but not a malformed provider answer', async () => {
    server.use(http.get(`${ORIGIN}/*`, () => HttpResponse.text('ok')));
    let thrown = 0;
    const flaky = client({
      credentials: async () => {
        if (++thrown <= 2) throw new Error('sts 502');
        return { credentials: { tmpSecretId: 'A', tmpSecretKey: 'B', sessionToken: 'T' }, expiredTime: now() + 1800 };
      },
    });
    await flaky.request({ action: 'GetObject', method: 'GET', key: 'k', responseType: 'text' });
    assert.equal(thrown, 3);
    let garbage = 0;
    const bad = client({ credentials: async () => (garbage++, { TmpSecretId: 'only-an-id' }) });
    await assert.rejects(bad.request({ action: 'GetObject', method: 'GET', key: 'k' }), (e: unknown) => e instanceof CosClientError && e.code === 'CredentialsError');
    assert.equal(garbage, 1);
  });

  it('refetches temporary keys once when the server says ExpiredToken', async () => {
    let n = 0;
    const tokens: string[] = [];
    server.use(
      http.get(`${ORIGIN}/k`, ({ request }) => {
        tokens.push(request.headers.get('x-cos-security-token')!);
        return tokens.length === 1 ? new HttpResponse(xmlError('ExpiredToken', 'token expired'), { status: 400 }) : HttpResponse.text('ok');
      }),
    );
    const c = client({ credentials: async () => ({ credentials: { tmpSecretId: 'A', tmpSecretKey: 'B', sessionToken: `t${++n}` }, expiredTime: now() + 1800 }) });
    await c.request({ action: 'GetObject', method: 'GET', key: 'k', responseType: 'text' });
    assert.deepEqual(tokens, ['t1', 't2']);
  });

  it('uses authorize() for server-side signing', async () => {
    let seen: Request | undefined;
    server.use(http.get(`${ORIGIN}/k`, ({ request }) => ((seen = request.clone()), HttpResponse.text('ok'))));
    const asked: unknown[] = [];
    const c = new CosClient({
      bucket: BUCKET,
      region: REGION,
      authorize: async (req) => {
        asked.push(req);
        return { authorization: 'q-sign-algorithm=sha1&q-signature=fromserver', securityToken: 'srv-token' };
      },
    });
    await c.request({ action: 'GetObject', method: 'GET', key: 'k', responseType: 'text' });
    assert.equal(seen!.headers.get('authorization'), 'q-sign-algorithm=sha1&q-signature=fromserver');
    assert.equal(seen!.headers.get('x-cos-security-token'), 'srv-token');
    assert.deepEqual((asked[0] as { pathname: string; headers: Record<string, string> }).pathname, '/k');
    assert.equal((asked[0] as { headers: Record<string, string> }).headers.host, HOST);
  });
});

describe('responses', () => {
  it('treats a 200 whose body is <Error> as an error', async () => {
    server.use(http.put(`${ORIGIN}/dst`, () => HttpResponse.text(xmlError('InternalError', 'copy failed'), { status: 200 })));
    await assert.rejects(client().request({ action: 'PutObjectCopy', method: 'PUT', key: 'dst' }), (e: unknown) => isCosServiceError(e) && e.code === 'InternalError' && e.status === 200);
  });

  it('tolerates leading whitespace and normalizes lists', async () => {
    server.use(
      http.get(`${ORIGIN}/`, () =>
        HttpResponse.text('\n\n   <?xml version="1.0"?><ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><MaxKeys>1000</MaxKeys><Contents><Key>a&amp;b</Key><Size>12</Size><ETag>&quot;0012e4&quot;</ETag></Contents></ListBucketResult>'),
      ),
    );
    const res = await client().request<{ Contents: Array<{ Key: string; Size: number; ETag: string }>; IsTruncated: boolean; MaxKeys: number }>({ action: 'GetBucket', method: 'GET' });
    assert.equal(res.data.IsTruncated, false);
    assert.equal(res.data.MaxKeys, 1000);
    assert.deepEqual(res.data.Contents, [{ Key: 'a&b', Size: 12, ETag: '"0012e4"' }]);
  });

  it('gives bodiless HEAD errors a code from the status', async () => {
    server.use(http.head(`${ORIGIN}/missing`, () => new HttpResponse(null, { status: 404 })));
    await assert.rejects(client().request({ action: 'HeadObject', method: 'HEAD', key: 'missing' }), (e: unknown) => isCosServiceError(e) && e.code === 'NoSuchKey' && e.status === 404);
  });

  it('explains an HTML error page from a proxy', async () => {
    server.use(http.get(`${ORIGIN}/k`, () => new HttpResponse('<html><body>Bad gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } })));
    await assert.rejects(client({ retry: { limit: 0 } }).request({ action: 'GetObject', method: 'GET', key: 'k' }), (e: unknown) => isCosServiceError(e) && e.code === 'BadGateway' && /proxy/.test(e.message));
  });

  it('reports a malformed success body as MalformedResponse', async () => {
    server.use(http.get(`${ORIGIN}/`, () => HttpResponse.text('<ListBucketResult><Name>b</Nam')));
    await assert.rejects(client().request({ action: 'GetBucket', method: 'GET' }), (e: unknown) => e instanceof CosClientError && e.code === 'MalformedResponse');
  });

  it('names the header to expose when ETag is missing', async () => {
    server.use(http.put(`${ORIGIN}/k`, () => new HttpResponse(null, { status: 200 })));
    await assert.rejects(client().request({ action: 'PutObject', method: 'PUT', key: 'k', body: 'x' }), (e: unknown) => e instanceof CosClientError && e.code === 'CorsHeaderMissing' && /ExposeHeader/.test(e.message) && /etag/.test(e.message));
  });
});

describe('validation before the network', () => {
  // onUnhandledRequest: 'error' would fail any test that reached the network.
  const cases: Array<[string, () => unknown]> = [
    ['bad bucket', () => client().request({ action: 'GetObject', method: 'GET', bucket: 'NoAppId', key: 'k' })],
    ['bad region', () => client().request({ action: 'GetObject', method: 'GET', region: 'Guangzhou!', key: 'k' })],
    ['empty key', () => client().request({ action: 'GetObject', method: 'GET', key: '' })],
    ['leading slash', () => client().request({ action: 'GetObject', method: 'GET', key: '/a' })],
    ['control char', () => client().request({ action: 'GetObject', method: 'GET', key: 'a\nb' })],
    ['too long', () => client().request({ action: 'GetObject', method: 'GET', key: '文'.repeat(284) })],
    ['non-body', () => client().request({ action: 'PutObject', method: 'PUT', key: 'k', body: { not: 'a body' } as never })],
    ['unknown client option', () => new CosClient({ credentials: KEYS, bucktet: BUCKET } as never)],
    ['no credentials', () => new CosClient({ bucket: BUCKET })],
  ];
  for (const [name, run] of cases) {
    it(`refuses ${name} with InvalidArgument`, async () => {
      await assert.rejects(async () => run(), (e: unknown) => e instanceof CosClientError && e.code === 'InvalidArgument');
    });
  }
});
