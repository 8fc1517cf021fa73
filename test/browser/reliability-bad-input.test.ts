/**
 * Bad input and bad answers (issue 6, "Bad input tried") not covered by the per-operation tests: each gets a typed,
 * clear error and leaves nothing behind (no object, no multipart upload). Server-side refusals come from the
 * emulator; broken answers (truncated XML, a proxy's HTML page) are scripted with msw; a missing CORS exposure is
 * real: a bucket whose CORS rule exposes nothing.
 */
import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { type CosClient, isCosClientError, type CosClientOptions } from '@coskit/core';
import { expectCosError, expectInvalidArgument } from '../support/assert.ts';
import { testEnv, type TestEnv, clientFor } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { seededBytes } from '../soak/batch.ts';

const MiB = 1024 * 1024;
const run = `reliability/bad-input-${Date.now().toString(36)}/`;
let env: TestEnv;
let client: CosClient;

function clientWith(options: Partial<CosClientOptions> = {}): CosClient {
  return clientFor(env, { retry: { limit: 2, baseDelay: 10, maxDelay: 50 }, ...options });
}

/** Nothing at `key`: no object, no multipart upload. */
async function expectNothingAt(key: string, bucket = env.bucket): Promise<void> {
  const head = await client.headObject({ bucket, key }).then(
    () => 'exists',
    (e: { code?: string }) => e.code,
  );
  expect(head, `object ${key}`).to.equal('NoSuchKey');
  expect((await client.listMultipartUploads({ bucket, prefix: key })).uploads, `uploads of ${key}`).to.deep.equal([]);
}

before(async () => {
  env = await testEnv();
  client = clientWith();
});

describe('bad input: refused by the server, surfaced typed', function () {
  this.timeout(30_000);

  it('a part under 1 MiB that is not the last one: Complete fails with EntityTooSmall, and the aborted upload leaves nothing', async () => {
    const key = `${run}too-small.bin`;
    const { uploadId } = await client.createMultipartUpload({ key });
    const parts = [];
    for (const n of [1, 2]) parts.push({ partNumber: n, etag: (await client.uploadPart({ key, uploadId, partNumber: n, body: seededBytes(100 * 1024, n) })).etag });
    const error = await expectCosError<{ status: number; message: string; requestId?: string }>(
      client.completeMultipartUpload({ key, uploadId, parts }),
      'EntityTooSmall',
      'CosServiceError',
    );
    expect(error.status).to.equal(400);
    expect(error.requestId, 'the server request id is kept for support').to.be.a('string');
    await client.abortMultipartUpload({ key, uploadId });
    await expectNothingAt(key);
  });
});

describe('bad input: refused before the network', function () {
  this.timeout(30_000);

  it('part number 10,001 (one more than COS allows) in uploadPart and in Complete is InvalidArgument', async () => {
    const key = `${run}10001.bin`;
    const e1 = await expectInvalidArgument(() => client.uploadPart({ key, uploadId: 'u', partNumber: 10_001, body: 'x' }));
    expect(e1.message).to.match(/10000/);
    await expectInvalidArgument(() =>
      client.completeMultipartUpload({ key, uploadId: 'u', parts: Array.from({ length: 10_001 }, (_, i) => ({ partNumber: i + 1, etag: '"e"' })) }),
    );
    await expectNothingAt(key);
  });

  const garbage: Array<[string, unknown]> = [
    ['a string', 'AKID:secret'],
    ['null', null],
    ['an object without keys', { ok: true }],
    ['a secret id without its key', { credentials: { tmpSecretId: 'AKIDx' }, expiredTime: 2_000_000_000 }],
    ['a token without expiredTime', { credentials: { tmpSecretId: 'AKIDx', tmpSecretKey: 'k', sessionToken: 't' } }],
    ['expiredTime in milliseconds', { TmpSecretId: 'AKIDx', TmpSecretKey: 'k', SecurityToken: 't', ExpiredTime: Date.now() + 60_000 }],
  ];
  for (const [name, answer] of garbage) {
    it(`a credentials provider answering ${name} fails the upload with CredentialsError, once, sending nothing`, async () => {
      const key = `${run}garbage-creds.bin`;
      let calls = 0;
      const bad = clientWith({ credentials: async () => (calls++, answer as never) });
      const log = await recordRequests();
      try {
        const handle = bad.uploadFile({ key, file: new Blob([seededBytes(2 * MiB, 5)]), sliceThreshold: MiB, partSize: MiB });
        const error = await expectCosError<Error & { code: string }>(handle.done, 'CredentialsError', 'CosClientError');
        expect(error.message).to.match(/credentials/i);
        expect(handle.state).to.equal('failed');
        expect(calls, 'a malformed answer is not retried').to.equal(1);
        expect(log.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([]);
      } finally {
        log.stop();
      }
      await expectNothingAt(key);
    });
  }
});

describe('bad answers: broken XML and proxy pages (msw)', function () {
  this.timeout(30_000);
  let worker: Awaited<ReturnType<typeof mswWorker>>;
  before(async () => {
    worker = await mswWorker();
  });
  afterEach(() => worker.resetHandlers());

  const cases: Array<[string, string]> = [
    ['truncated', '<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>b</Bucket><UploadId>abc'],
    ['not XML at all', 'OK'],
    ['mismatched tags', '<InitiateMultipartUploadResult><UploadId>abc</Bucket></InitiateMultipartUploadResult>'],
  ];
  for (const [name, body] of cases) {
    it(`a ${name} XML answer to Initiate is MalformedResponse, and no part is sent`, async () => {
      const key = `${run}xml-${name.replace(/\W/g, '-')}.bin`;
      // msw matches the path without the query: only the Initiate (`?uploads`) is answered, the rest passes through.
      worker.use(
        http.post(/\.localhost:\d+\/reliability\/bad-input-[^/]+\/xml-/, ({ request }) =>
          new URL(request.url).searchParams.has('uploads') ? new HttpResponse(body, { headers: { 'Content-Type': 'application/xml' } }) : undefined,
        ),
      );
      const log = await recordRequests();
      try {
        const handle = client.uploadFile({ key, file: new Blob([seededBytes(2 * MiB, 6)]), sliceThreshold: MiB, partSize: MiB });
        const error = await expectCosError<Error>(handle.done, 'MalformedResponse', 'CosClientError');
        expect(error.message).to.match(/XML|UploadId/);
        expect(log.requests.filter((r) => r.method === 'PUT'), 'parts sent').to.deep.equal([]);
      } finally {
        log.stop();
      }
      worker.resetHandlers();
      await expectNothingAt(key);
    });
  }

  it('an HTML error page from a proxy (502, retried, then 403) is a CosServiceError that says a proxy answered, and stores nothing', async () => {
    const key = `${run}proxy.bin`;
    let calls = 0;
    const page = '<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>';
    worker.use(http.put(/\.localhost:\d+\/reliability\/bad-input-[^/]+\/proxy\.bin/, () => (calls++, new HttpResponse(page, { status: 502, headers: { 'Content-Type': 'text/html' } }))));
    const error = await expectCosError<Error & { status: number }>(client.uploadFile({ key, file: new Blob(['hello']) }).done, 'BadGateway', 'CosServiceError');
    expect(error.status).to.equal(502);
    expect(error.message).to.match(/proxy|gateway/i).and.match(/text\/html/);
    expect(calls, 'a 502 is retried (limit 2)').to.equal(3);
    worker.resetHandlers();
    worker.use(http.put(/\.localhost:\d+\/reliability\/bad-input-[^/]+\/proxy\.bin/, () => new HttpResponse('<html><body>Forbidden by policy</body></html>', { status: 403, headers: { 'Content-Type': 'text/html' } })));
    const denied = await expectCosError<Error>(client.putObject({ key, body: 'x' }), 'AccessDenied', 'CosServiceError');
    expect(denied.message).to.match(/Forbidden by policy/);
    worker.resetHandlers();
    await expectNothingAt(key);
  });
});

describe('bad configuration: CORS that does not expose the headers the SDK reads', function () {
  this.timeout(30_000);
  const bucket = `coskit-nocors${Date.now().toString(36).slice(-6)}-1250000000`;
  before(async () => {
    await client.createBucket({ bucket });
  });

  it('an upload to a bucket whose CORS rule exposes nothing fails with CorsHeaderMissing naming ETag, leaving no upload', async () => {
    await client.putBucketCors({ bucket, rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], allowedHeaders: ['*'] }] });
    const key = `${run}no-expose.bin`;
    const handle = client.uploadFile({ bucket, key, file: new Blob([seededBytes(2 * MiB, 7)]), sliceThreshold: MiB, partSize: MiB });
    const error = await expectCosError<Error>(handle.done, 'CorsHeaderMissing', 'CosClientError');
    expect(error.message).to.match(/\betag\b/i).and.match(/ExposeHeader/);
    await expectNothingAt(key, bucket);
  });

  it('exposing ETag but not x-cos-hash-crc64ecma fails a verified upload with CorsHeaderMissing naming that header', async () => {
    await client.putBucketCors({ bucket, rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], allowedHeaders: ['*'], exposeHeaders: ['ETag'] }] });
    const key = `${run}no-crc-expose.bin`;
    const handle = client.uploadFile({ bucket, key, file: new Blob([seededBytes(2 * MiB, 8)]), sliceThreshold: MiB, partSize: MiB });
    const error = await handle.done.then(() => undefined, (e: unknown) => e);
    expect(isCosClientError(error) && error.code, String(error)).to.equal('CorsHeaderMissing');
    expect((error as Error).message).to.include('x-cos-hash-crc64ecma');
    await expectNothingAt(key, bucket);
  });
});
