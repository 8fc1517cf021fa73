import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, REGION, cos, start, vhost } from './support/emu.ts';
import { sign } from './support/signer.ts';

const ORIGIN = 'http://localhost:8000';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request with the Host a browser would send (virtual-hosted bucket or the service endpoint); fetch in Node
 * will not let a test choose Host. Signed with the permanent key unless `anonymous`.
 */
function hostRequest(
  emu: RunningEmulator,
  host: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  opts: { anonymous?: boolean; body?: string } = {},
): Promise<Answer> {
  const all: Record<string, string> = { Host: host, ...headers };
  if (!opts.anonymous) {
    all['Authorization'] = sign({ secretId: emu.secretId, secretKey: emu.secretKey, method, pathname: decodeURIComponent(path.split('?')[0]!), query: Object.fromEntries(new URLSearchParams(path.split('?')[1] ?? '')), headers: { host } });
  }
  if (opts.body !== undefined) all['Content-Length'] = String(Buffer.byteLength(opts.body));
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: emu.port, method, path, headers: all }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

const preflightHeaders = (method: string, headers = '') => ({
  Origin: ORIGIN,
  'Access-Control-Request-Method': method,
  ...(headers ? { 'Access-Control-Request-Headers': headers } : {}),
});

describe('CORS where no bucket rule can answer: missing buckets and the service endpoint', () => {
  let emu: RunningEmulator;
  let service: string;
  const missing = 'missing-1250000000';
  before(async () => {
    emu = await start();
    service = `cos.${REGION}.localhost:${emu.port}`;
  });
  after(() => emu.close());

  it('preflights answer with the default rule (origin *, the five methods, requested headers echoed)', async () => {
    const asked = 'authorization,x-cos-acl,x-cos-grant-read,content-md5';
    for (const [host, path] of [
      [vhost(emu, missing), '/'],
      [vhost(emu, missing), '/some/key'],
      [service, '/'],
      [`127.0.0.1:${emu.port}`, '/'],
      [`127.0.0.1:${emu.port}`, `/${missing}/`],
    ] as const) {
      const p = await hostRequest(emu, host, 'OPTIONS', path, preflightHeaders('PUT', asked), { anonymous: true });
      assert.equal(p.status, 200, `${host}${path}: ${p.body}`);
      assert.equal(p.headers['access-control-allow-origin'], '*');
      assert.deepEqual(String(p.headers['access-control-allow-methods']).split(','), ['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
      assert.equal(p.headers['access-control-allow-headers'], asked);
      assert.equal(p.headers['access-control-max-age'], '600');
    }
    // Still a preflight: without Origin it is refused, as for a real bucket.
    const bare = await hostRequest(emu, service, 'OPTIONS', '/', { 'Access-Control-Request-Method': 'GET' }, { anonymous: true });
    assert.equal(bare.status, 400);
  });

  it('answers on those hosts carry the default CORS headers, error XML included', async () => {
    const expectCors = (a: Answer, what: string) => {
      assert.equal(a.headers['access-control-allow-origin'], '*', what);
      const expose = String(a.headers['access-control-expose-headers'] ?? '');
      for (const h of ['ETag', 'x-cos-request-id', 'x-cos-hash-crc64ecma', 'Content-Length']) assert.ok(expose.split(',').includes(h), `${what}: ${h}`);
    };
    const noBucket = await hostRequest(emu, vhost(emu, missing), 'GET', '/k', { Origin: ORIGIN });
    assert.equal(noBucket.status, 404);
    assert.match(noBucket.body, /<Code>NoSuchBucket<\/Code>/);
    expectCors(noBucket, 'GET missing bucket');
    const head = await hostRequest(emu, vhost(emu, missing), 'HEAD', '/', { Origin: ORIGIN });
    assert.equal(head.status, 404);
    expectCors(head, 'HEAD missing bucket');

    const list = await hostRequest(emu, service, 'GET', '/', { Origin: ORIGIN });
    assert.equal(list.status, 200, list.body);
    assert.match(list.body, new RegExp(`<Name>${BUCKET}</Name>`));
    expectCors(list, 'GET Service');
    const anonymous = await hostRequest(emu, service, 'GET', '/', { Origin: ORIGIN }, { anonymous: true });
    assert.equal(anonymous.status, 403);
    expectCors(anonymous, 'anonymous GET Service');
    const wrongMethod = await hostRequest(emu, service, 'DELETE', '/', { Origin: ORIGIN });
    assert.equal(wrongMethod.status, 405);
    expectCors(wrongMethod, 'DELETE on the service');
  });

  it('a bucket created from a page answers with CORS; once it exists its own rules decide', async () => {
    const fresh = 'fresh-1250000000';
    const created = await hostRequest(emu, vhost(emu, fresh), 'PUT', '/', { Origin: ORIGIN, 'x-cos-acl': 'private' });
    assert.equal(created.status, 200, created.body);
    assert.equal(created.headers['access-control-allow-origin'], '*');
    const again = await hostRequest(emu, vhost(emu, fresh), 'PUT', '/', { Origin: ORIGIN });
    assert.equal(again.status, 409);
    assert.equal(again.headers['access-control-allow-origin'], '*');

    const rules = `<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>
<ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>`;
    assert.equal((await cos(emu, 'PUT', `/${fresh}/`, { query: { cors: '' }, body: rules })).status, 200);
    const refused = await hostRequest(emu, vhost(emu, fresh), 'OPTIONS', '/k', preflightHeaders('GET'), { anonymous: true });
    assert.equal(refused.status, 403);
    const err = await hostRequest(emu, vhost(emu, fresh), 'GET', '/k', { Origin: ORIGIN });
    assert.equal(err.status, 404);
    assert.equal(err.headers['access-control-allow-origin'], undefined);
    // And without any rules (DELETE ?cors) an existing bucket refuses every preflight, as COS does.
    assert.equal((await cos(emu, 'DELETE', `/${fresh}/`, { query: { cors: '' } })).status, 204);
    assert.equal((await hostRequest(emu, vhost(emu, fresh), 'OPTIONS', '/', preflightHeaders('PUT'), { anonymous: true })).status, 403);
    // Deleted again, the bucket is "missing" and the default rule answers once more.
    assert.equal((await cos(emu, 'DELETE', `/${fresh}/`)).status, 204);
    assert.equal((await hostRequest(emu, vhost(emu, fresh), 'OPTIONS', '/', preflightHeaders('PUT'), { anonymous: true })).status, 200);
  });
});
