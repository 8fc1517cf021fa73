/**
 * Object operations against the emulator, virtual-hosted through `*.localhost`: what goes on the wire (seen by the
 * msw service worker, which passes the requests through) and how the answers are read.
 */
import { expect } from 'chai';
import { http, passthrough } from 'msw';
import { CosClient, crc64, md5Base64, md5Hex, isCosServiceError } from '@coskit/core';
import { clientFor, testEnv, type TestEnv } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { expectCosError, exposeHeaders } from '../support/assert.ts';

let env: TestEnv;
let client: CosClient;
let restoreCors: (() => Promise<void>) | undefined;
const run = `objects/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
const bytes = (s: string) => new TextEncoder().encode(s);

before(async () => {
  env = await testEnv();
  client = clientFor(env, { retry: { limit: 0 } });
  await mswWorker();
  // COS exposes only a few headers cross-origin; metadata needs the bucket's CORS rule to list it, as on real COS.
  restoreCors = await exposeHeaders(client, [
    'x-cos-meta-author',
    'x-cos-meta-project-id',
    'Content-Disposition',
    'Content-Encoding',
    'Content-Language',
  ]);
});
after(async () => {
  await restoreCors?.();
});
afterEach(async () => (await mswWorker()).resetHandlers());

describe('putObject / getObject / headObject', () => {
  it('stores no Cache-Control the page did not ask for (the browser must not add one to writes)', async () => {
    const key = `${run}no-cache-control.txt`;
    await client.putObject({ key, body: 'x' });
    const head = await client.headObject({ key });
    expect(head.cacheControl).to.equal(undefined);
    await client.putObject({ key, body: 'x', cacheControl: 'max-age=60' });
    expect((await client.headObject({ key })).cacheControl).to.equal('max-age=60');
  });

  it('round-trips a string body with ETag, CRC-64 and location, verified against the body', async () => {
    const key = `${run}hello.txt`;
    const put = await client.putObject({ key, body: 'hello world' });
    expect(put.etag).to.equal(`"${md5Hex('hello world')}"`);
    expect(put.crc64).to.equal('5981764153023615706');
    expect(put.location).to.equal(`http://${env.bucket}.cos.${env.region}.localhost:${env.port}/${run}hello.txt`);
    expect(put.requestId).to.be.a('string').and.not.empty;

    const got = await client.getObject({ key, as: 'text' });
    expect(got.body).to.equal('hello world');
    expect(got.status).to.equal(200);
    expect(got.contentLength).to.equal(11);
    expect(got.etag).to.equal(put.etag);
    expect(got.crc64).to.equal(put.crc64);
    expect(got.objectType).to.equal('normal');
    expect(got.storageClass).to.equal('STANDARD');
    expect(got.lastModified).to.be.instanceOf(Date);
    expect(Math.abs(got.lastModified!.getTime() - Date.now())).to.be.below(120_000);

    const head = await client.headObject({ key });
    expect(head.size).to.equal(11);
    expect(head.etag).to.equal(put.etag);
    expect(head.crc64).to.equal(put.crc64);
  });

  it('accepts Blob, File, ArrayBuffer and a Uint8Array view with an offset, sending exactly their bytes', async () => {
    const backing = bytes('xxABCDEFyy');
    const bodies: Array<[string, Blob | ArrayBuffer | Uint8Array, string]> = [
      ['blob', new Blob(['blob body']), 'blob body'],
      ['file', new File(['file body'], 'f.txt', { type: 'text/plain' }), 'file body'],
      ['arraybuffer', bytes('buffer body').buffer as ArrayBuffer, 'buffer body'],
      ['view', backing.subarray(2, 8), 'ABCDEF'],
    ];
    for (const [name, body, expected] of bodies) {
      const key = `${run}types/${name}`;
      const put = await client.putObject({ key, body });
      expect(put.crc64, name).to.equal(crc64(expected));
      const got = await client.getObject({ key, as: 'arrayBuffer' });
      expect(new TextDecoder().decode(got.body), name).to.equal(expected);
    }
  });

  it('round-trips keys with unicode, spaces, #?%+&= and !\'()* and encodes them in the path like the official SDKs', async () => {
    const keys = [`${run}测试 文件/a b#c?d%e+f&g=h.txt`, `${run}quote!'()*~.txt`, `${run}percent%2Fnot-a-slash`, `${run}dots/./and/../x`];
    const worker = await mswWorker();
    const paths: string[] = [];
    worker.use(
      http.put(/\.localhost:\d+\//, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return passthrough();
      }),
    );
    for (const key of keys) {
      await client.putObject({ key, body: key });
      const got = await client.getObject({ key, as: 'text' });
      expect(got.body, key).to.equal(key);
      expect((await client.headObject({ key })).size, key).to.equal(bytes(key).length);
    }
    expect(paths[0]).to.equal(`/${run}%E6%B5%8B%E8%AF%95%20%E6%96%87%E4%BB%B6/a%20b%23c%3Fd%25e%2Bf%26g%3Dh.txt`);
    expect(paths[1]).to.equal(`/${run}quote%21%27%28%29%2A~.txt`);
    expect(paths[2]).to.equal(`/${run}percent%252Fnot-a-slash`);
    // A `.`/`..` segment would be collapsed by URL parsing, so that key travels with encoded slashes.
    expect(paths[3]).to.not.include('/./');
    // The XML body of a multi-delete names the same keys: they are gone afterwards only if both forms agree.
    const result = await client.deleteObjects({ keys });
    expect(result.errors).to.deep.equal([]);
    for (const key of keys) await expectCosError(client.headObject({ key }), 'NoSuchKey');
  });

  it('sends content headers and metadata and reads them back from HEAD and GET', async () => {
    const key = `${run}meta.txt`;
    const expires = new Date('2031-01-02T03:04:05Z');
    const log = await recordRequests();
    await client.putObject({
      key,
      body: 'meta body',
      contentType: 'text/x-coskit; charset=utf-8',
      cacheControl: 'max-age=60',
      contentDisposition: 'attachment; filename="m.txt"',
      contentLanguage: 'zh-CN',
      expires,
      meta: { author: 'Zhang San', 'Project-Id': '42' },
      storageClass: 'STANDARD_IA',
      trafficLimit: 819200,
    });
    log.stop();
    const sent = log.requests.find((r) => r.method === 'PUT')!;
    expect(sent.headers.get('x-cos-meta-author')).to.equal('Zhang San');
    expect(sent.headers.get('x-cos-meta-project-id')).to.equal('42');
    expect(sent.headers.get('x-cos-storage-class')).to.equal('STANDARD_IA');
    expect(sent.headers.get('x-cos-traffic-limit')).to.equal('819200');
    expect(sent.headers.get('expires')).to.equal('Thu, 02 Jan 2031 03:04:05 GMT');
    expect(sent.headers.get('authorization')).to.match(/q-header-list=[^&]*x-cos-meta-author/);

    for (const read of [await client.headObject({ key }), await client.getObject({ key })]) {
      expect(read.contentType).to.equal('text/x-coskit; charset=utf-8');
      expect(read.cacheControl).to.equal('max-age=60');
      expect(read.contentDisposition).to.equal('attachment; filename="m.txt"');
      expect(read.contentLanguage).to.equal('zh-CN');
      expect(read.expires).to.equal('Thu, 02 Jan 2031 03:04:05 GMT');
      expect(read.meta).to.deep.equal({ author: 'Zhang San', 'project-id': '42' });
      expect(read.storageClass).to.equal('STANDARD_IA');
    }
  });

  it('sends Content-MD5 when asked, and COS refuses a body that does not match it (BadDigest)', async () => {
    const log = await recordRequests();
    await client.putObject({ key: `${run}md5.txt`, body: new Blob(['md5 body']), contentMd5: true });
    log.stop();
    expect(log.requests[0]!.headers.get('content-md5')).to.equal(md5Base64('md5 body'));
    const error = await expectCosError(
      client.putObject({ key: `${run}md5-bad.txt`, body: 'md5 body', contentMd5: md5Base64('something else') }),
      'BadDigest',
      'CosServiceError',
    );
    expect(error.status).to.equal(400);
  });

  it('reports upload progress up to the full size', async () => {
    const body = new Blob([new Uint8Array(256 * 1024).fill(7)]);
    const seen: Array<{ loaded: number; total: number }> = [];
    await client.putObject({ key: `${run}progress.bin`, body, onProgress: (p) => seen.push(p) });
    expect(seen.length).to.be.greaterThan(0);
    expect(seen.at(-1)).to.deep.equal({ loaded: body.size, total: body.size });
  });

  it('reads a service error from an upload sent with progress (the XMLHttpRequest path)', async () => {
    // A bucket name nobody created: the emulator answers NoSuchBucket with COS error XML.
    const error = await expectCosError(
      client.putObject({ bucket: 'absent-1250000000', key: `${run}xhr-error.bin`, body: new Blob(['abc']), onProgress: () => {} }),
      'NoSuchBucket',
      'CosServiceError',
    );
    expect(error.status).to.equal(404);
    expect((error as unknown as { requestId?: string }).requestId, 'request id read from the XML body').to.be.a('string').and.not.equal('');
  });

  it('reads byte ranges: closed, open-ended and suffix (206, Content-Range, whole-object CRC)', async () => {
    const key = `${run}range.txt`;
    const put = await client.putObject({ key, body: '0123456789' });
    const closed = await client.getObject({ key, range: { start: 2, end: 5 }, as: 'text' });
    expect([closed.status, closed.body, closed.contentRange, closed.contentLength]).to.deep.equal([206, '2345', 'bytes 2-5/10', 4]);
    expect(closed.crc64).to.equal(put.crc64);
    const open = await client.getObject({ key, range: { start: 7 }, as: 'text' });
    expect([open.body, open.contentRange]).to.deep.equal(['789', 'bytes 7-9/10']);
    const suffix = await client.getObject({ key, range: 'bytes=-3', as: 'text' });
    expect(suffix.body).to.equal('789');
    const error = await expectCosError(client.getObject({ key, range: { start: 10 } }), 'InvalidRange', 'CosServiceError');
    expect(error.status).to.equal(416);
  });

  it('honours If-* conditions: 304 NotModified and 412 PreconditionFailed on GET and HEAD', async () => {
    const key = `${run}conditions.txt`;
    const { etag } = await client.putObject({ key, body: 'conditional' });
    const future = new Date(Date.now() + 3600_000);
    const past = new Date('2001-01-01T00:00:00Z');
    expect((await client.getObject({ key, ifMatch: etag, as: 'text' })).body).to.equal('conditional');
    expect((await client.getObject({ key, ifModifiedSince: past, as: 'text' })).body).to.equal('conditional');
    for (const op of [client.getObject.bind(client), client.headObject.bind(client)] as const) {
      const notModified = await expectCosError(op({ key, ifNoneMatch: etag }), 'NotModified', 'CosServiceError');
      expect(notModified.status).to.equal(304);
      expect((await expectCosError(op({ key, ifModifiedSince: future }), 'NotModified')).status).to.equal(304);
      expect((await expectCosError(op({ key, ifMatch: '"0123456789abcdef0123456789abcdef"' }), 'PreconditionFailed')).status).to.equal(412);
      expect((await expectCosError(op({ key, ifUnmodifiedSince: past }), 'PreconditionFailed')).status).to.equal(412);
    }
  });

  it('overrides response headers with response-* parameters', async () => {
    const key = `${run}override.txt`;
    await client.putObject({ key, body: 'override', contentType: 'text/plain' });
    const log = await recordRequests();
    const got = await client.getObject({
      key,
      as: 'text',
      responseContentType: 'application/x-override',
      responseContentDisposition: 'attachment; filename="r.txt"',
      responseCacheControl: 'no-cache',
      responseContentLanguage: 'en-US',
      responseExpires: new Date('2030-05-06T07:08:09Z'),
      responseContentEncoding: 'identity',
    });
    log.stop();
    const query = new URL(log.requests[0]!.url).searchParams;
    expect(query.get('response-content-disposition')).to.equal('attachment; filename="r.txt"');
    expect(query.get('response-expires')).to.equal('Mon, 06 May 2030 07:08:09 GMT');
    expect(got.body).to.equal('override');
    expect(got.contentType).to.equal('application/x-override');
    expect(got.contentDisposition).to.equal('attachment; filename="r.txt"');
    expect(got.cacheControl).to.equal('no-cache');
    expect(got.contentLanguage).to.equal('en-US');
    expect(got.expires).to.equal('Mon, 06 May 2030 07:08:09 GMT');
    expect(got.contentEncoding).to.equal('identity');
  });

  it('sends versionId as a query parameter and trafficLimit as a header', async () => {
    const key = `${run}version.txt`;
    await client.putObject({ key, body: 'v' });
    const log = await recordRequests();
    // The emulator's bucket is unversioned: only the request shape is under test here.
    await client.getObject({ key, versionId: 'no-such-version', trafficLimit: 1_048_576 }).catch(() => undefined);
    log.stop();
    const get = log.requests.find((r) => r.method === 'GET')!;
    expect(new URL(get.url).searchParams.get('versionId')).to.equal('no-such-version');
    expect(get.headers.get('x-cos-traffic-limit')).to.equal('1048576');
  });

  it('hands the body over as Blob (default), ArrayBuffer, text or a stream, with download progress', async () => {
    const key = `${run}as.bin`;
    const payload = new Uint8Array(300 * 1024).map((_, i) => i % 251);
    await client.putObject({ key, body: payload });
    const blob = await client.getObject({ key });
    expect(blob.body).to.be.instanceOf(Blob);
    expect(new Uint8Array(await blob.body.arrayBuffer())).to.deep.equal(payload);
    const buffer = await client.getObject({ key, as: 'arrayBuffer' });
    expect(buffer.body.byteLength).to.equal(payload.length);
    const text = await client.getObject({ key: `${run}hello.txt`, as: 'text' });
    expect(text.body).to.equal('hello world');

    const progress: number[] = [];
    const stream = await client.getObject({ key, as: 'stream', onProgress: (p) => progress.push(p.loaded) });
    const streamed = new Uint8Array(await new Response(stream.body).arrayBuffer());
    expect(crc64(streamed)).to.equal(stream.crc64);
    expect(progress.at(-1)).to.equal(payload.length);

    const blobProgress: number[] = [];
    await client.getObject({ key, onProgress: (p) => blobProgress.push(p.loaded) });
    expect(blobProgress.at(-1)).to.equal(payload.length);
  });

  it('rejects a missing key with NoSuchKey (404) on GET and on the bodiless HEAD', async () => {
    const get = await expectCosError(client.getObject({ key: `${run}missing` }), 'NoSuchKey', 'CosServiceError');
    expect(get.status).to.equal(404);
    const head = await expectCosError(client.headObject({ key: `${run}missing` }), 'NoSuchKey', 'CosServiceError');
    expect(head.status).to.equal(404);
  });
});

describe('deleteObject / deleteObjects', () => {
  it('deletes one object (and a missing key succeeds, as in COS)', async () => {
    const key = `${run}delete-me.txt`;
    await client.putObject({ key, body: 'bye' });
    const log = await recordRequests();
    const out = await client.deleteObject({ key });
    log.stop();
    expect(log.requests.map((r) => r.method)).to.deep.equal(['DELETE']);
    expect(out.deleteMarker).to.equal(false);
    await expectCosError(client.headObject({ key }), 'NoSuchKey');
    await client.deleteObject({ key });
  });

  it('deletes many with a Content-MD5-signed XML body, listing each key, or only failures when quiet', async () => {
    const keys = ['a.txt', 'b/c.txt', '雪 & <xml>.txt'].map((k) => `${run}multi/${k}`);
    for (const key of keys) await client.putObject({ key, body: key });
    const worker = await mswWorker();
    const bodies: Array<{ url: string; md5: string | null; body: string }> = [];
    worker.use(
      // msw matches without the query string: `?delete` is checked inside.
      http.post(/\.localhost:\d+\/$/, async ({ request }) => {
        if (new URL(request.url).search === '?delete') bodies.push({ url: request.url, md5: request.headers.get('content-md5'), body: await request.clone().text() });
        return passthrough();
      }),
    );
    const out = await client.deleteObjects({ keys: [keys[0]!, { key: keys[1]! }, keys[2]!] });
    expect(out.deleted.map((d) => d.key).sort()).to.deep.equal([...keys].sort());
    expect(out.errors).to.deep.equal([]);
    expect(bodies[0]!.md5).to.equal(md5Base64(bodies[0]!.body));
    expect(bodies[0]!.body).to.equal(
      `<Delete><Quiet>false</Quiet><Object><Key>${keys[0]}</Key></Object><Object><Key>${keys[1]}</Key></Object>` +
        `<Object><Key>${run}multi/雪 &amp; &lt;xml&gt;.txt</Key></Object></Delete>`,
    );
    for (const key of keys) await expectCosError(client.headObject({ key }), 'NoSuchKey');

    await client.putObject({ key: keys[0]!, body: 'again' });
    const quiet = await client.deleteObjects({ keys: [keys[0]!], quiet: true });
    expect(bodies[1]!.body).to.include('<Quiet>true</Quiet>');
    expect(quiet).to.include({ requestId: quiet.requestId });
    expect(quiet.deleted).to.deep.equal([]);
    expect(quiet.errors).to.deep.equal([]);
  });
});

describe('copyObject', () => {
  const source = `${run}copy/source 源.txt`;
  before(async () => {
    await client.putObject({ key: source, body: 'copy me', contentType: 'text/x-source', meta: { author: 'source' } });
  });

  it("keeps the source's metadata with the default Copy directive, sending the myqcloud.com copy-source form", async () => {
    const log = await recordRequests();
    const out = await client.copyObject({ key: `${run}copy/kept.txt`, source: { key: source } });
    log.stop();
    const sent = log.requests[0]!;
    expect(sent.headers.get('x-cos-copy-source')).to.equal(
      `${env.bucket}.cos.${env.region}.myqcloud.com/${run}copy/source%20%E6%BA%90.txt`,
    );
    expect(sent.headers.get('x-cos-metadata-directive')).to.equal('Copy');
    expect(out.etag).to.equal(`"${md5Hex('copy me')}"`);
    expect(out.crc64).to.equal(crc64('copy me'));
    expect(out.lastModified).to.be.instanceOf(Date);
    const head = await client.headObject({ key: `${run}copy/kept.txt` });
    expect(head.contentType).to.equal('text/x-source');
    expect(head.meta).to.deep.equal({ author: 'source' });
  });

  it('replaces metadata with the Replaced directive, from the official string form of the source', async () => {
    const encoded = `${env.bucket}.cos.${env.region}.myqcloud.com/${encodeURI(source)}`;
    await client.copyObject({
      key: `${run}copy/replaced.txt`,
      source: encoded,
      metadataDirective: 'Replaced',
      contentType: 'text/x-replaced',
      meta: { author: 'replaced' },
    });
    const head = await client.headObject({ key: `${run}copy/replaced.txt` });
    expect(head.contentType).to.equal('text/x-replaced');
    expect(head.meta).to.deep.equal({ author: 'replaced' });
    expect(await (await client.getObject({ key: `${run}copy/replaced.txt`, as: 'text' })).body).to.equal('copy me');
  });

  it('sends the source conditions and surfaces 412 and a missing source', async () => {
    const { etag } = await client.headObject({ key: source });
    await client.copyObject({ key: `${run}copy/cond.txt`, source: { key: source }, sourceIfMatch: etag });
    const failed = await expectCosError(
      client.copyObject({ key: `${run}copy/cond.txt`, source: { key: source }, sourceIfNoneMatch: etag }),
      'PreconditionFailed',
      'CosServiceError',
    );
    expect(failed.status).to.equal(412);
    await expectCosError(
      client.copyObject({ key: `${run}copy/cond.txt`, source: { key: source }, sourceIfUnmodifiedSince: new Date('2001-01-01T00:00:00Z') }),
      'PreconditionFailed',
    );
    const missing = await client.copyObject({ key: `${run}copy/x.txt`, source: { key: `${run}copy/absent` } }).catch((e: unknown) => e);
    expect(isCosServiceError(missing) && ['NoSuchKey', 'NoSuchCopySource'].includes(missing.code)).to.equal(true);
  });
});
