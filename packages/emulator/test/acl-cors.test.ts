import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';

const CORS_XML = `<CORSConfiguration><CORSRule><ID>app</ID><AllowedOrigin>https://*.example.com</AllowedOrigin>
<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>x-cos-*</AllowedHeader>
<AllowedHeader>content-type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-cos-request-id</ExposeHeader>
<MaxAgeSeconds>300</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

describe('ACL and anonymous access', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  it('anonymous reads need a public-read object or bucket ACL; writes need public-read-write', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/pub/a.txt`, { body: 'a', headers: { 'x-cos-acl': 'public-read' }, signHeaders: ['x-cos-acl'] });
    await cos(emu, 'PUT', `/${BUCKET}/priv/b.txt`, { body: 'b' });
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/pub/a.txt`, { anonymous: true })).status, 200);
    const denied = await cos(emu, 'GET', `/${BUCKET}/priv/b.txt`, { anonymous: true });
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /<Code>AccessDenied<\/Code>/);
    const overrides = await cos(emu, 'GET', `/${BUCKET}/pub/a.txt`, { anonymous: true, query: { 'response-content-type': 'x/y' } });
    assert.equal(overrides.status, 400);
    const signedOverride = await cos(emu, 'GET', `/${BUCKET}/pub/a.txt`, { query: { 'response-content-type': 'x/y' } });
    assert.equal(signedOverride.headers.get('content-type'), 'x/y');

    const acl = await cos(emu, 'GET', `/${BUCKET}/pub/a.txt`, { query: { acl: '' } });
    assert.match(await acl.text(), /<URI>http:\/\/cam.qcloud.com\/groups\/global\/AllUsers<\/URI><\/Grantee><Permission>READ<\/Permission>/);

    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/`, { query: { acl: '' }, headers: { 'x-cos-acl': 'public-read' }, signHeaders: ['x-cos-acl'] })).status, 200);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/priv/b.txt`, { anonymous: true })).status, 200);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { anonymous: true })).status, 200);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/anon.txt`, { anonymous: true, body: 'x' })).status, 403);

    const xml = `<AccessControlPolicy><Owner><ID>qcs::cam::uin/1250000000:uin/1250000000</ID></Owner><AccessControlList>
<Grant><Grantee><URI>http://cam.qcloud.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>
<Grant><Grantee><URI>http://cam.qcloud.com/groups/global/AllUsers</URI></Grantee><Permission>WRITE</Permission></Grant>
</AccessControlList></AccessControlPolicy>`;
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/`, { query: { acl: '' }, body: xml })).status, 200);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/anon.txt`, { anonymous: true, body: 'x', headers: { 'Content-Length': '1' } })).status, 200);
    const bucketAcl = await cos(emu, 'GET', `/${BUCKET}/`, { query: { acl: '' } });
    assert.equal(bucketAcl.headers.get('x-cos-acl'), 'public-read-write');
    // An object ACL of private beats a public bucket.
    await cos(emu, 'PUT', `/${BUCKET}/priv/b.txt`, { query: { acl: '' }, headers: { 'x-cos-acl': 'private' }, signHeaders: ['x-cos-acl'] });
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/priv/b.txt`, { anonymous: true })).status, 403);
  });
});

describe('CORS', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  const preflight = (origin: string, method: string, headers = '') =>
    fetch(`${emu.url}/${BUCKET}/k`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': method, ...(headers ? { 'Access-Control-Request-Headers': headers } : {}) },
    });

  it('new buckets carry the recommended default rule: any origin, expose the SDK headers', async () => {
    const p = await preflight('http://localhost:8000', 'PUT', 'content-type,x-cos-meta-a');
    assert.equal(p.status, 200);
    assert.equal(p.headers.get('access-control-allow-origin'), '*');
    const get = await cos(emu, 'GET', `/${BUCKET}/missing`, { headers: { Origin: 'http://localhost:8000' } });
    assert.equal(get.status, 404);
    assert.equal(get.headers.get('access-control-allow-origin'), '*');
    const expose = get.headers.get('access-control-expose-headers') ?? '';
    for (const h of ['ETag', 'x-cos-hash-crc64ecma', 'x-cos-request-id', 'Content-Range', 'x-cos-next-append-position']) assert.ok(expose.includes(h), h);
  });

  it('PUT/GET/DELETE ?cors, enforcement on preflight and on actual responses (errors included)', async () => {
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/`, { query: { cors: '' }, body: CORS_XML })).status, 200);
    const got = await cos(emu, 'GET', `/${BUCKET}/`, { query: { cors: '' } });
    assert.match(await got.text(), /<AllowedOrigin>https:\/\/\*\.example\.com<\/AllowedOrigin>/);

    const ok = await preflight('https://app.example.com', 'PUT', 'x-cos-meta-a, Content-Type');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(ok.headers.get('access-control-max-age'), '300');
    assert.equal((await preflight('https://evil.test', 'PUT')).status, 403);
    assert.equal((await preflight('https://app.example.com', 'DELETE')).status, 403);
    const badHeader = await preflight('https://app.example.com', 'PUT', 'authorization-x');
    assert.equal(badHeader.status, 403);
    assert.match(await badHeader.text(), /AccessForbidden/);

    const err = await cos(emu, 'GET', `/${BUCKET}/nope`, { headers: { Origin: 'https://app.example.com' } });
    assert.equal(err.status, 404);
    assert.equal(err.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(err.headers.get('access-control-expose-headers'), 'ETag,x-cos-request-id');
    const other = await cos(emu, 'GET', `/${BUCKET}/nope`, { headers: { Origin: 'https://evil.test' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);

    assert.equal((await cos(emu, 'DELETE', `/${BUCKET}/`, { query: { cors: '' } })).status, 204);
    const none = await cos(emu, 'GET', `/${BUCKET}/`, { query: { cors: '' } });
    assert.equal(none.status, 404);
    assert.match(await none.text(), /<Code>NoSuchCORSConfiguration<\/Code>/);
    assert.equal((await preflight('https://app.example.com', 'GET')).status, 403);
  });
});
