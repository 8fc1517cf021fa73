/**
 * Object operations when things go wrong: scripted server answers (msw) for what the emulator will not produce on
 * demand, per-key failures from a real policy, and every input check, each proven to fail before the network.
 */
import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { type CosClient, crc64, getAuthorization } from '@coskit/core';
import { testEnv, type TestEnv, clientFor } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { expectCosError, expectInvalidArgument } from '../support/assert.ts';

let env: TestEnv;
let client: CosClient;
const run = `object-errors/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
const objectUrl = (key: string) => new RegExp(`\\.localhost:\\d+/${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const errorXml = (code: string, message: string) =>
  `<?xml version='1.0' encoding='utf-8' ?><Error><Code>${code}</Code><Message>${message}</Message><Resource>r</Resource><RequestId>req-msw</RequestId><TraceId>trace-msw</TraceId></Error>`;

before(async () => {
  env = await testEnv();
  client = clientFor(env, { retry: { limit: 0 } });
  await mswWorker();
});
afterEach(async () => (await mswWorker()).resetHandlers());

describe('scripted failures', () => {
  it('rejects with ChecksumMismatch when the server reports a different CRC-64, unless verification is off', async () => {
    const key = `${run}crc.txt`;
    (await mswWorker()).use(
      http.put(objectUrl(key), () => new HttpResponse(null, { headers: { etag: '"e"', 'x-cos-hash-crc64ecma': '12345' } })),
    );
    const error = await expectCosError(client.putObject({ key, body: 'crc body' }), 'ChecksumMismatch', 'CosClientError');
    expect(error.message).to.include('12345').and.include(crc64('crc body'));
    await expectCosError(client.putObject({ key, body: new Blob(['crc body']) }), 'ChecksumMismatch');
    const unchecked = await client.putObject({ key, body: 'crc body', verifyCrc64: false });
    expect(unchecked.crc64).to.equal('12345');
  });

  it('accepts a PUT whose response has no CRC header (nothing to compare)', async () => {
    const key = `${run}no-crc.txt`;
    (await mswWorker()).use(http.put(objectUrl(key), () => new HttpResponse(null, { headers: { etag: '"e"' } })));
    const out = await client.putObject({ key, body: 'x' });
    expect(out).to.include({ etag: '"e"', crc64: undefined });
  });

  it('rejects a copy answered with HTTP 200 and an <Error> body', async () => {
    const key = `${run}copy-200-error.txt`;
    (await mswWorker()).use(
      http.put(objectUrl(key), () =>
        HttpResponse.text(errorXml('InternalError', 'We encountered an internal error. Please try again.'), {
          status: 200,
          headers: { 'content-type': 'application/xml' },
        }),
      ),
    );
    const error = await expectCosError(client.copyObject({ key, source: { key: `${run}src` } }), 'InternalError', 'CosServiceError');
    expect(error.status).to.equal(200);
    expect((error as unknown as { requestId: string }).requestId).to.equal('req-msw');
  });

  it('returns per-key errors, version ids and delete markers from a multi-delete instead of throwing', async () => {
    (await mswWorker()).use(
      http.post(/\.localhost:\d+\/$/, () =>
        HttpResponse.text(
          '<DeleteResult><Deleted><Key>a</Key><VersionId>v1</VersionId><DeleteMarker>true</DeleteMarker>' +
            '<DeleteMarkerVersionId>m1</DeleteMarkerVersionId></Deleted>' +
            '<Error><Key>b &amp; c</Key><Code>AccessDenied</Code><Message>Access Denied.</Message><VersionId>v2</VersionId></Error></DeleteResult>',
          { headers: { 'content-type': 'application/xml' } },
        ),
      ),
    );
    const out = await client.deleteObjects({ keys: ['a', { key: 'b & c', versionId: 'v2' }] });
    expect(out.deleted).to.deep.equal([{ key: 'a', versionId: 'v1', deleteMarker: true, deleteMarkerVersionId: 'm1' }]);
    expect(out.errors).to.deep.equal([{ key: 'b & c', code: 'AccessDenied', message: 'Access Denied.', versionId: 'v2' }]);
  });

  it('returns the keys a temporary key may not delete as per-key AccessDenied errors (emulator policy)', async () => {
    const allowed = `${run}policy/allowed.txt`;
    const denied = `${run}policy/denied.txt`;
    for (const key of [allowed, denied]) await client.putObject({ key, body: key });
    const resource = (path: string) => `qcs::cos:${env.region}:uid/1250000000:${env.bucket}/${path}`;
    const sts = await mintTemporaryKeys({
      version: '2.0',
      statement: [
        { effect: 'allow', principal: { qcs: ['*'] }, action: ['name/cos:DeleteMultipleObjects'], resource: [resource('*')] },
        { effect: 'allow', principal: { qcs: ['*'] }, action: ['name/cos:DeleteObject'], resource: [resource(allowed)] },
      ],
    });
    const limited = clientFor(env, { credentials: async () => sts, retry: { limit: 0 } });
    const out = await limited.deleteObjects({ keys: [allowed, denied] });
    expect(out.deleted.map((d) => d.key)).to.deep.equal([allowed]);
    expect(out.errors).to.have.length(1);
    expect(out.errors[0]).to.include({ key: denied, code: 'AccessDenied' });
    await expectCosError(client.headObject({ key: allowed }), 'NoSuchKey');
    expect((await client.headObject({ key: denied })).size).to.equal(denied.length);
  });
});

describe('cancellation', () => {
  it('rejects with signal.reason, before sending when already aborted and mid-download otherwise', async () => {
    const reason = new Error('user cancelled');
    const aborted = AbortSignal.abort(reason);
    const log = await recordRequests();
    for (const call of [
      () => client.putObject({ key: `${run}abort`, body: 'x', signal: aborted }),
      () => client.getObject({ key: `${run}abort`, signal: aborted }),
      () => client.headObject({ key: `${run}abort`, signal: aborted }),
      () => client.deleteObjects({ keys: ['a'], signal: aborted }),
      () => client.appendObject({ key: `${run}abort`, position: 0, body: 'x', signal: aborted }),
      () => client.getObjectAcl({ key: `${run}abort`, signal: aborted }),
    ]) {
      expect(await call().catch((e: unknown) => e)).to.equal(reason);
    }
    log.stop();
    expect(log.requests).to.deep.equal([]);

    const key = `${run}abort-stream.bin`;
    // Larger than Chromium's fetch data pipe, so the body cannot have finished arriving after one read.
    await client.putObject({ key, body: new Uint8Array(8 * 1024 * 1024) });
    const controller = new AbortController();
    const { body } = await client.getObject({ key, as: 'stream', signal: controller.signal });
    const reader = body.getReader();
    await reader.read();
    controller.abort(reason);
    expect(await reader.read().then(() => reader.read()).then(() => 'read on', (e: unknown) => e)).to.equal(reason);
  });
});

/** Temporary keys for `policy` from the emulator's dev STS endpoint, signed with the permanent key. */
async function mintTemporaryKeys(policy: unknown) {
  const body = JSON.stringify({ policy, durationSeconds: 900 });
  const url = new URL('/__coskit/sts', env.url);
  const authorization = await getAuthorization({
    secretId: env.secretId,
    secretKey: env.secretKey,
    method: 'POST',
    pathname: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
  });
  const response = await fetch(url, { method: 'POST', body, headers: { authorization, 'content-type': 'application/json' } });
  expect(response.status, await response.clone().text()).to.equal(200);
  return (await response.json()) as { credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string }; expiredTime: number };
}

describe('input validation (InvalidArgument, nothing sent)', () => {
  it('the request recorder does see a valid call (control for the "nothing sent" checks)', async () => {
    const log = await recordRequests();
    await client.headObject({ key: `${run}absent` }).catch(() => undefined);
    log.stop();
    expect(log.requests.map((r) => r.method)).to.deep.equal(['HEAD']);
  });

  it('rejects a bad bucket or region', async () => {
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', bucket: 'NoAppId' }));
    await expectInvalidArgument(() => client.getObject({ key: 'k', bucket: 'Upper-1250000000' }));
    await expectInvalidArgument(() => client.headObject({ key: 'k', region: 'ap guangzhou' }));
    await expectInvalidArgument(() => client.deleteObjects({ keys: ['k'], region: 'AP-GUANGZHOU' }));
  });

  it('rejects empty, too long, control-character and leading-slash keys in every operation', async () => {
    const bad = ['', 'é'.repeat(426), 'a\nb', 'tab\there', 'nul\u0000', 'del\u007f', '/leading'];
    for (const key of bad) {
      await expectInvalidArgument(() => client.putObject({ key, body: 'x' }));
      await expectInvalidArgument(() => client.getObject({ key }));
      await expectInvalidArgument(() => client.headObject({ key }));
      await expectInvalidArgument(() => client.deleteObject({ key }));
      await expectInvalidArgument(() => client.deleteObjects({ keys: ['fine', key] }));
      await expectInvalidArgument(() => client.copyObject({ key, source: { key: 'fine' } }));
      await expectInvalidArgument(() => client.copyObject({ key: 'fine', source: { key } }));
    }
    // 850 bytes is the limit, not 849.
    await client.headObject({ key: 'k'.repeat(850) }).catch((e: { code: string }) => expect(e.code).to.equal('NoSuchKey'));
    const error = await expectInvalidArgument(() => client.headObject({ key: 'k'.repeat(851) }));
    expect(error.message).to.include('851');
  });

  it('rejects bad metadata names, non-ASCII values and more than 2 KB', async () => {
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', meta: { snake_case: 'v' } }));
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', meta: { 'with space': 'v' } }));
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', meta: { name: '中文' } }));
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', meta: { big: 'v'.repeat(2100) } }));
    await expectInvalidArgument(() => client.copyObject({ key: 'k', source: { key: 's' }, metadataDirective: 'Replaced', meta: { a_b: 'v' } }));
  });

  it('rejects a traffic limit outside 819200..838860800 bit/s', async () => {
    for (const trafficLimit of [819_199, 838_860_801, 1e6 + 0.5, -1]) {
      await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', trafficLimit }));
      await expectInvalidArgument(() => client.getObject({ key: 'k', trafficLimit }));
    }
  });

  it('rejects bodies that are not Blob/File/ArrayBuffer/typed array/string', async () => {
    for (const body of [42, null, undefined, { size: 1 }, [1, 2, 3]]) {
      await expectInvalidArgument(() => client.putObject({ key: 'k', body: body as never }));
    }
  });

  it('rejects unknown options, bad ranges, `as`, dates, Content-MD5 values and multi-delete sizes', async () => {
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', contentMD5: true } as never));
    await expectInvalidArgument(() => client.getObject({ key: 'k', ranges: 'bytes=0-1' } as never));
    await expectInvalidArgument(() => client.getObject({ key: 'k', range: { start: 5, end: 4 } }));
    await expectInvalidArgument(() => client.getObject({ key: 'k', range: { start: -1 } }));
    await expectInvalidArgument(() => client.getObject({ key: 'k', range: 'bytes=0-1,4-5' }));
    await expectInvalidArgument(() => client.getObject({ key: 'k', as: 'json' as never }));
    await expectInvalidArgument(() => client.getObject({ key: 'k', ifModifiedSince: new Date('nope') }));
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', contentMd5: 'not base64' }));
    await expectInvalidArgument(() => client.putObject({ key: 'k', body: 'x', expires: new Date(Number.NaN) }));
    await expectInvalidArgument(() => client.deleteObjects({ keys: [] }));
    await expectInvalidArgument(() => client.deleteObjects({ keys: Array.from({ length: 1001 }, (_, i) => `k${i}`) }));
    await expectInvalidArgument(() => client.deleteObjects({ keys: [{ key: 'k', version: 'v' } as never] }));
  });

  it('rejects copy mistakes: metadata with the Copy directive, a bad directive or source', async () => {
    const error = await expectInvalidArgument(() => client.copyObject({ key: 'k', source: { key: 's' }, contentType: 'text/plain' }));
    expect(error.message).to.include("'Replaced'");
    await expectInvalidArgument(() => client.copyObject({ key: 'k', source: { key: 's' }, metadataDirective: 'Replace' as never }));
    await expectInvalidArgument(() => client.copyObject({ key: 'k', source: 'https://example.com/s' }));
    await expectInvalidArgument(() => client.copyObject({ key: 'k', source: { key: 's', bucket: 'bad' } }));
    await expectInvalidArgument(() => client.copyObject({ key: 'k', source: { key: 's', versionId: '' } }));
  });
});
