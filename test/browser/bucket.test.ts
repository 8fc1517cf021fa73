/**
 * Bucket operations from the browser against the emulator: create (with ACL and grant headers, read back), delete,
 * head (a missing bucket too), ListBuckets on the service endpoint, BucketNotEmpty, BucketAlreadyOwnedByYou, CORS
 * and lifecycle round trips. Like COS, the emulator answers preflights to buckets that do not exist yet and to the
 * service endpoint. Still scripted with msw: answers the emulator cannot give a page (a bucket without CORS rules,
 * AccessDenied on a CORS read, lifecycle transitions).
 */
import { expect } from 'chai';
import { http, HttpResponse, passthrough } from 'msw';
import { ALL_USERS_URI, CosClient, md5Base64, type CorsRule } from '@coskit/core';
import { clientFor, testEnv, type TestEnv } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { expectCosError, expectInvalidArgument } from '../support/assert.ts';

let env: TestEnv;
let client: CosClient;
const run = `bucket/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
const fresh = `coskit-new-${Math.random().toString(36).slice(2, 8)}-1250000000`;
const bucketRoot = (bucket: string) => new RegExp(`^http://${bucket}\\.cos\\.[a-z-]+\\.localhost:\\d+/$`);
const xml = (body: string, status = 200) => HttpResponse.text(body, { status, headers: { 'content-type': 'application/xml' } });

before(async () => {
  env = await testEnv();
  client = clientFor(env, { retry: { limit: 0 } });
  await mswWorker();
  // The run's bucket must not be empty, or the BucketNotEmpty test would delete it.
  await client.putObject({ key: `${run}keep.txt`, body: 'keep' });
});
after(async () => {
  await client.deleteObject({ key: `${run}keep.txt` });
});
afterEach(async () => (await mswWorker()).resetHandlers());

describe('create / delete / head / list buckets', () => {
  it('createBucket sends PUT / to the bucket host with the ACL and grant headers', async () => {
    const log = await recordRequests();
    const out = await client.createBucket({ bucket: fresh, acl: 'public-read', grantFullControl: 'id="100000000001"', grantWrite: 'id="100000000002"' });
    log.stop();
    const seen = log.requests;
    expect(seen).to.have.length(1);
    const url = new URL(seen[0]!.url);
    expect([seen[0]!.method, url.host, url.pathname, url.search]).to.deep.equal(['PUT', `${fresh}.cos.${env.region}.localhost:${env.port}`, '/', '']);
    expect(seen[0]!.headers.get('x-cos-acl')).to.equal('public-read');
    expect(seen[0]!.headers.get('x-cos-grant-full-control')).to.equal('id="100000000001"');
    expect(seen[0]!.headers.get('x-cos-grant-write')).to.equal('id="100000000002"');
    expect(seen[0]!.headers.get('authorization')).to.match(/^q-sign-algorithm=sha1&/);
    expect(out.location).to.equal(`http://${fresh}.cos.${env.region}.localhost:${env.port}/`);
    // COS reports header grantees in their CAM form.
    const acl = await client.getBucketAcl({ bucket: fresh });
    expect(acl.grants).to.deep.include({ grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' });
    const user = (uin: string) => `qcs::cam::uin/${uin}:uin/${uin}`;
    expect(acl.grants).to.deep.include({ grantee: { type: 'CanonicalUser', id: user('100000000001'), displayName: user('100000000001') }, permission: 'FULL_CONTROL' });
    expect(acl.grants).to.deep.include({ grantee: { type: 'CanonicalUser', id: user('100000000002'), displayName: user('100000000002') }, permission: 'WRITE' });
  });

  it('createBucket on an existing bucket rejects with the 409 COS sends', async () => {
    const error = await expectCosError(client.createBucket(), 'BucketAlreadyOwnedByYou', 'CosServiceError');
    expect(error.status).to.equal(409);
  });

  it('deleteBucket refuses a bucket with objects (BucketNotEmpty), and sends DELETE / otherwise', async () => {
    const error = await expectCosError(client.deleteBucket({ bucket: env.bucket }), 'BucketNotEmpty', 'CosServiceError');
    expect(error.status).to.equal(409);
    expect((await client.headBucket()).exists).to.equal(true);

    const log = await recordRequests();
    await client.deleteBucket({ bucket: fresh });
    log.stop();
    expect(log.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([`DELETE http://${fresh}.cos.${env.region}.localhost:${env.port}/`]);
  });

  it('headBucket answers exists, with the region once CORS exposes x-cos-bucket-region', async () => {
    const before = await client.headBucket();
    expect(before.exists).to.equal(true);
    const saved = await client.getBucketCors();
    try {
      await client.putBucketCors({ rules: saved.rules.map((r) => ({ ...r, exposeHeaders: [...(r.exposeHeaders ?? []), 'x-cos-bucket-region'] })) });
      expect(await client.headBucket()).to.deep.equal({ exists: true, region: env.region });
    } finally {
      await client.putBucketCors({ rules: saved.rules });
    }
  });

  it('headBucket rejects a missing bucket with NoSuchBucket (bodiless 404)', async () => {
    const error = await expectCosError(client.headBucket({ bucket: fresh }), 'NoSuchBucket', 'CosServiceError');
    expect(error.status).to.equal(404);
  });

  it('listBuckets sends GET / to the service host and reads every bucket', async () => {
    const log = await recordRequests();
    const out = await client.listBuckets();
    log.stop();
    expect(log.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([`GET http://cos.${env.region}.localhost:${env.port}/`]);
    expect(out.owner).to.deep.equal({ id: 'qcs::cam::uin/1250000000:uin/1250000000', displayName: '1250000000' });
    const mine = out.buckets.find((b) => b.name === env.bucket);
    expect(mine?.region).to.equal(env.region);
    expect(mine?.creationDate).to.be.instanceOf(Date);
    expect(Number.isNaN(mine!.creationDate.getTime())).to.equal(false);
    expect(out.buckets.some((b) => b.name === fresh)).to.equal(false);
  });
});

describe('bucket CORS', () => {
  it('round-trips rules through put and get, with Content-MD5 on the PUT body', async () => {
    const saved = await client.getBucketCors();
    expect(saved.rules.length).to.be.above(0);
    const rules: CorsRule[] = [
      {
        id: 'page',
        allowedOrigins: [location.origin, 'https://*.example.com'],
        allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
        allowedHeaders: ['*'],
        exposeHeaders: ['ETag', 'Content-Length', 'x-cos-request-id', 'x-cos-hash-crc64ecma'],
        maxAgeSeconds: 60,
      },
      { allowedOrigins: ['https://other.example.com'], allowedMethods: ['GET'] },
    ];
    let body = '';
    let md5: string | null = null;
    (await mswWorker()).use(
      http.put(bucketRoot(env.bucket), async ({ request }) => {
        body = await request.clone().text();
        md5 = request.headers.get('content-md5');
        return passthrough();
      }),
    );
    try {
      await client.putBucketCors({ rules });
      expect(md5).to.equal(md5Base64(body));
      expect(body).to.equal(
        '<CORSConfiguration><CORSRule><ID>page</ID>' +
          `<AllowedOrigin>${location.origin}</AllowedOrigin><AllowedOrigin>https://*.example.com</AllowedOrigin>` +
          '<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
          '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>Content-Length</ExposeHeader>' +
          '<ExposeHeader>x-cos-request-id</ExposeHeader><ExposeHeader>x-cos-hash-crc64ecma</ExposeHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule>' +
          '<CORSRule><AllowedOrigin>https://other.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
      );
      const got = await client.getBucketCors();
      expect(got.rules).to.deep.equal([rules[0], { ...rules[1], allowedHeaders: [], exposeHeaders: [] }]);
    } finally {
      await client.putBucketCors({ rules: saved.rules });
    }
    expect((await client.getBucketCors()).rules).to.deep.equal(saved.rules);
  });

  it('deleteBucketCors sends DELETE /?cors; a bucket without rules reads as rules: []', async () => {
    const seen: string[] = [];
    (await mswWorker()).use(
      http.delete(bucketRoot(fresh), ({ request }) => {
        seen.push(`${request.method} ${new URL(request.url).search}`);
        return new HttpResponse(null, { status: 204 });
      }),
      http.get(bucketRoot(fresh), () =>
        xml('<Error><Code>NoSuchCORSConfiguration</Code><Message>The CORS configuration does not exist.</Message></Error>', 404),
      ),
    );
    await client.deleteBucketCors({ bucket: fresh });
    expect(seen).to.deep.equal(['DELETE ?cors']);
    expect(await client.getBucketCors({ bucket: fresh })).to.deep.equal({ rules: [] });
  });

  it('passes other errors through', async () => {
    (await mswWorker()).use(http.get(bucketRoot(fresh), () => xml('<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>', 403)));
    await expectCosError(client.getBucketCors({ bucket: fresh }), 'AccessDenied', 'CosServiceError');
  });
});

describe('bucket lifecycle', () => {
  it('round-trips rules through put, get and delete (then rules: [])', async () => {
    let body = '';
    let md5: string | null = null;
    (await mswWorker()).use(
      http.put(bucketRoot(env.bucket), async ({ request }) => {
        if (new URL(request.url).search === '?lifecycle') {
          body = await request.clone().text();
          md5 = request.headers.get('content-md5');
        }
        return passthrough();
      }),
    );
    expect(await client.getBucketLifecycle()).to.deep.equal({ rules: [] });
    await client.putBucketLifecycle({
      rules: [
        { id: 'expire-run', status: 'Enabled', filter: { prefix: `${run}tmp/` }, expiration: { days: 30 } },
        { id: 'abort-uploads', status: 'Disabled', filter: { prefix: `${run}up/` }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        { id: 'dated', status: 'Enabled', filter: { prefix: `${run}old/` }, expiration: { date: '2099-01-01T00:00:00+08:00' } },
      ],
    });
    expect(md5).to.equal(md5Base64(body));
    expect(body).to.equal(
      '<LifecycleConfiguration>' +
        `<Rule><ID>expire-run</ID><Filter><Prefix>${run}tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>` +
        `<Rule><ID>abort-uploads</ID><Filter><Prefix>${run}up/</Prefix></Filter><Status>Disabled</Status>` +
        '<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>' +
        `<Rule><ID>dated</ID><Filter><Prefix>${run}old/</Prefix></Filter><Status>Enabled</Status><Expiration><Date>2099-01-01T00:00:00+08:00</Date></Expiration></Rule>` +
        '</LifecycleConfiguration>',
    );
    try {
      const got = await client.getBucketLifecycle();
      expect(got.rules).to.deep.equal([
        { id: 'expire-run', status: 'Enabled', filter: { prefix: `${run}tmp/` }, expiration: { days: 30 } },
        { id: 'abort-uploads', status: 'Disabled', filter: { prefix: `${run}up/` }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        { id: 'dated', status: 'Enabled', filter: { prefix: `${run}old/` }, expiration: { date: '2099-01-01T00:00:00+08:00' } },
      ]);
    } finally {
      await client.deleteBucketLifecycle();
    }
    expect(await client.getBucketLifecycle()).to.deep.equal({ rules: [] });
  });

  it('reads transitions and non-current expiration as COS sends them (scripted)', async () => {
    (await mswWorker()).use(
      http.get(bucketRoot(fresh), () =>
        xml(
          '<LifecycleConfiguration><Rule><ID>r</ID><Filter/><Status>Enabled</Status>' +
            '<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>' +
            '<Transition><Days>90</Days><StorageClass>ARCHIVE</StorageClass></Transition>' +
            '<NoncurrentVersionExpiration><NoncurrentDays>10</NoncurrentDays></NoncurrentVersionExpiration></Rule></LifecycleConfiguration>',
        ),
      ),
    );
    expect(await client.getBucketLifecycle({ bucket: fresh })).to.deep.equal({
      rules: [
        {
          id: 'r',
          status: 'Enabled',
          filter: {},
          transitions: [
            { days: 30, storageClass: 'STANDARD_IA' },
            { days: 90, storageClass: 'ARCHIVE' },
          ],
          noncurrentVersionExpiration: { noncurrentDays: 10 },
        },
      ],
    });
  });
});

describe('bucket input checks', () => {
  it('rejects bad buckets, ACLs, CORS rules and lifecycle rules before any request', async () => {
    await expectInvalidArgument(() => client.createBucket({ bucket: 'NoAppId' }));
    await expectInvalidArgument(() => client.createBucket({ bucket: fresh, acl: 'public' as never }));
    await expectInvalidArgument(() => client.createBucket({ bucket: fresh, grantwrite: 'x' } as never));
    await expectInvalidArgument(() => client.deleteBucket({ bucket: 'bad_bucket-1250000000' }));
    await expectInvalidArgument(() => client.headBucket({ region: 'AP GZ' }));
    await expectInvalidArgument(() => client.listBuckets({ bucket: env.bucket } as never));
    await expectInvalidArgument(() => client.putBucketCors({ rules: [] }));
    await expectInvalidArgument(() => client.putBucketCors({ rules: [{ allowedOrigins: [], allowedMethods: ['GET'] }] }));
    await expectInvalidArgument(() => client.putBucketCors({ rules: [{ allowedOrigins: ['*'], allowedMethods: ['PATCH' as 'GET'] }] }));
    await expectInvalidArgument(() => client.putBucketCors({ rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'], maxAgeSeconds: -1 }] }));
    await expectInvalidArgument(() => client.putBucketCors({ rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'], exposeHeader: ['ETag'] } as never] }));
    await expectInvalidArgument(() =>
      client.putBucketCors({ rules: Array.from({ length: 101 }, () => ({ allowedOrigins: ['*'], allowedMethods: ['GET' as const] })) }),
    );
    await expectInvalidArgument(() => client.putBucketLifecycle({ rules: [] }));
    await expectInvalidArgument(() => client.putBucketLifecycle({ rules: [{ status: 'On' as 'Enabled', expiration: { days: 1 } }] }));
    await expectInvalidArgument(() => client.putBucketLifecycle({ rules: [{ status: 'Enabled' }] }));
    await expectInvalidArgument(() => client.putBucketLifecycle({ rules: [{ status: 'Enabled', expiration: { days: 0 } }] }));
    await expectInvalidArgument(() => client.putBucketLifecycle({ rules: [{ status: 'Enabled', expiration: { days: 1, date: '2030-01-01' } }] }));
    await expectInvalidArgument(() => client.putBucketLifecycle({ rules: [{ status: 'Enabled', expiration: { date: 'someday' } }] }));
    await expectInvalidArgument(() =>
      client.putBucketLifecycle({ rules: [{ status: 'Enabled', transitions: [{ days: 30 } as never] }] }),
    );
    await expectInvalidArgument(() =>
      client.putBucketLifecycle({ rules: [{ status: 'Enabled', abortIncompleteMultipartUpload: { daysAfterInitiation: 1.5 } }] }),
    );
    await expectInvalidArgument(() => client.putBucketLifecycle({ rules: [{ status: 'Enabled', expiration: { days: 1 }, filter: { prefx: 'a' } as never }] }));
  });
});
