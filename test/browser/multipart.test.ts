/**
 * The multipart family against the emulator (virtual-hosted through *.localhost), with msw recording what goes on
 * the wire and scripting what the emulator will not say on demand (whitespace before Complete's XML, a 200 with an
 * <Error> body, pages of ListParts / ListMultipartUploads).
 */
import { expect } from 'chai';
import { http, HttpResponse, passthrough } from 'msw';
import { CosClient, crc64, crc64Combine, md5Base64, md5Hex } from '@coskit/core';
import { clientFor, testEnv, type TestEnv } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { expectCosError, expectInvalidArgument } from '../support/assert.ts';
import { bytesOf, MiB, setFaults } from './transfer-helpers.ts';

let env: TestEnv;
let client: CosClient;
const run = `multipart/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// msw matches the URL as sent: keys percent-encoded per segment, like the official SDKs (`!'()*` too).
const encodePath = (key: string) =>
  key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
const objectUrl = (key: string) => new RegExp(`\\.localhost:\\d+/${escape(encodePath(key))}$`);
const xml = (body: string, status = 200) => HttpResponse.text(body, { status, headers: { 'content-type': 'application/xml' } });

before(async () => {
  env = await testEnv();
  client = clientFor(env, { retry: { limit: 0 } });
  await mswWorker();
});
afterEach(async () => {
  (await mswWorker()).resetHandlers();
  await setFaults(env, []);
});

describe('multipart end to end', () => {
  it('creates, uploads parts of every body type (odd last part), completes out of order and reads back the object', async () => {
    const key = `${run}e2e/大文件 (1).bin`;
    const p1 = bytesOf(MiB, 1);
    const p2 = new Blob([bytesOf(MiB, 2)]);
    const p3 = 'tail: an odd-sized last part 😀';
    const log = await recordRequests();
    let completeBody = '';
    let completeMd5: string | null = null;
    (await mswWorker()).use(
      http.post(objectUrl(key), async ({ request }) => {
        if (new URL(request.url).searchParams.has('uploadId')) {
          completeBody = await request.clone().text();
          completeMd5 = request.headers.get('content-md5');
        }
        return passthrough();
      }),
    );
    let created, parts, done;
    try {
      created = await client.createMultipartUpload({ key, contentType: 'application/x-test', meta: { project: 'coskit' } });
      parts = [
        { partNumber: 3, ...(await client.uploadPart({ key, uploadId: created.uploadId, partNumber: 3, body: p3 })) },
        { partNumber: 1, ...(await client.uploadPart({ key, uploadId: created.uploadId, partNumber: 1, body: p1 })) },
        { partNumber: 2, ...(await client.uploadPart({ key, uploadId: created.uploadId, partNumber: 2, body: p2 })) },
      ];
      done = await client.completeMultipartUpload({ key, uploadId: created.uploadId, parts });
    } finally {
      log.stop();
    }
    expect(created.key).to.equal(key);
    expect(created.bucket).to.equal(env.bucket);
    expect(created.uploadId).to.be.a('string').and.not.empty;

    const [init, ...rest] = log.requests;
    const initUrl = new URL(init!.url);
    expect(init!.method).to.equal('POST');
    expect(initUrl.search).to.equal('?uploads');
    expect(init!.headers.get('content-type')).to.equal('application/x-test');
    expect(init!.headers.get('x-cos-meta-project')).to.equal('coskit');
    const partUrl = new URL(rest[0]!.url);
    expect(rest[0]!.method).to.equal('PUT');
    expect(Object.fromEntries(partUrl.searchParams)).to.deep.equal({ partNumber: '3', uploadId: created.uploadId });

    const bytes3 = new TextEncoder().encode(p3);
    expect(parts.map((p) => p.etag)).to.deep.equal([`"${md5Hex(bytes3)}"`, `"${md5Hex(p1)}"`, `"${md5Hex(bytesOf(MiB, 2))}"`]);
    expect(parts.map((p) => p.crc64)).to.deep.equal([crc64(bytes3), crc64(p1), crc64(bytesOf(MiB, 2))]);

    // Sorted on the wire, with Content-MD5 of exactly that body.
    expect(completeBody).to.equal(
      '<CompleteMultipartUpload>' +
        [1, 2, 3]
          .map((n) => `<Part><PartNumber>${n}</PartNumber><ETag>${parts.find((p) => p.partNumber === n)!.etag.replace(/"/g, '&quot;')}</ETag></Part>`)
          .join('') +
        '</CompleteMultipartUpload>',
    );
    expect(completeMd5).to.equal(md5Base64(completeBody));

    const whole = crc64Combine(crc64Combine(crc64(p1), crc64(bytesOf(MiB, 2)), MiB), crc64(bytes3), bytes3.length);
    expect(done.crc64).to.equal(whole);
    expect(done.etag).to.match(/^"[0-9a-f]{32}-3"$/);
    expect(done).to.include({ bucket: env.bucket, key });
    expect(done.location).to.include(`${env.bucket}.cos.${env.region}`);

    const got = await client.getObject({ key, as: 'arrayBuffer' });
    expect(got.crc64).to.equal(whole);
    expect(got.contentType).to.equal('application/x-test');
    expect(crc64(got.body)).to.equal(whole);
    await expectCosError(client.listParts({ key, uploadId: created.uploadId }), 'NoSuchUpload', 'CosServiceError');
  });

  it('sends Content-MD5 when asked, reports upload progress, and passes the traffic limit', async () => {
    const key = `${run}md5.bin`;
    const body = new Blob([bytesOf(256 * 1024, 7)]);
    const { uploadId } = await client.createMultipartUpload({ key });
    const log = await recordRequests();
    const progress: Array<{ loaded: number; total: number }> = [];
    try {
      await client.uploadPart({ key, uploadId, partNumber: 1, body, contentMd5: true, trafficLimit: 8_388_608, onProgress: (p) => progress.push(p) });
      await client.uploadPart({ key, uploadId, partNumber: 2, body: 'abc', contentMd5: md5Base64('abc') });
    } finally {
      log.stop();
    }
    expect(log.requests[0]!.headers.get('content-md5')).to.equal(md5Base64(bytesOf(256 * 1024, 7)));
    expect(log.requests[0]!.headers.get('x-cos-traffic-limit')).to.equal('8388608');
    expect(log.requests[1]!.headers.get('content-md5')).to.equal(md5Base64('abc'));
    // Chromium reports no XHR upload progress while a service worker (msw's) sees the request, so only the shape
    // of whatever arrived is checked here; the transfer tests cover progress without interception.
    for (const p of progress) expect(p.total).to.equal(body.size) && expect(p.loaded).to.be.at.most(body.size);
    // A Content-MD5 that does not match the body: COS refuses the part.
    await expectCosError(client.uploadPart({ key, uploadId, partNumber: 3, body: 'abd', contentMd5: md5Base64('abc') }), 'BadDigest');
    await client.abortMultipartUpload({ key, uploadId });
  });

  it('rejects with ChecksumMismatch when the stored part differs from the body, unless verification is off', async () => {
    const key = `${run}crc.bin`;
    const { uploadId } = await client.createMultipartUpload({ key });
    await setFaults(env, [{ op: 'UploadPart', kind: 'corrupt', count: 2 }]);
    await expectCosError(client.uploadPart({ key, uploadId, partNumber: 1, body: 'some part bytes' }), 'ChecksumMismatch', 'CosClientError');
    const unchecked = await client.uploadPart({ key, uploadId, partNumber: 1, body: 'some part bytes', verifyCrc64: false });
    expect(unchecked.crc64).to.not.equal(crc64('some part bytes'));
    // A CRC the caller already computed is trusted, not recomputed: a wrong one is caught against the server's.
    await expectCosError(client.uploadPart({ key, uploadId, partNumber: 2, body: 'abc', crc64: '1' }), 'ChecksumMismatch');
    const ok = await client.uploadPart({ key, uploadId, partNumber: 2, body: 'abc', crc64: crc64('abc') });
    expect(ok.crc64).to.equal(crc64('abc'));
    // A promise of the CRC (a hasher running alongside the upload): checked when it arrives.
    const later = await client.uploadPart({ key, uploadId, partNumber: 3, body: 'abc', crc64: Promise.resolve(crc64('abc')) });
    expect(later.crc64).to.equal(crc64('abc'));
    await expectCosError(client.uploadPart({ key, uploadId, partNumber: 3, body: 'abc', crc64: Promise.resolve('1') }), 'ChecksumMismatch');
    // (It can only be judged once it arrives, so the request may have started: it is aborted.)
    await expectCosError(client.uploadPart({ key, uploadId, partNumber: 4, body: 'abc', crc64: Promise.resolve('abc') }), 'InvalidArgument');
    const failing = Promise.reject(new DOMException('unreadable', 'NotReadableError'));
    const error = await client.uploadPart({ key, uploadId, partNumber: 4, body: 'abc', crc64: failing }).catch((e: unknown) => e);
    expect((error as DOMException).name).to.equal('NotReadableError');
    await client.abortMultipartUpload({ key, uploadId });
  });
});

describe('multipart errors from the server', () => {
  it('EntityTooSmall when a part other than the last is under 1 MB', async () => {
    const key = `${run}small.bin`;
    const { uploadId } = await client.createMultipartUpload({ key });
    const a = await client.uploadPart({ key, uploadId, partNumber: 1, body: bytesOf(MiB - 1, 3) });
    const b = await client.uploadPart({ key, uploadId, partNumber: 2, body: 'x' });
    const error = await expectCosError(
      client.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, ...a }, { partNumber: 2, ...b }] }),
      'EntityTooSmall',
      'CosServiceError',
    );
    expect(error.status).to.equal(400);
    await client.abortMultipartUpload({ key, uploadId });
  });

  it('InvalidPart for a wrong ETag or a part never uploaded; etags without quotes are accepted', async () => {
    const key = `${run}invalid-part.bin`;
    const { uploadId } = await client.createMultipartUpload({ key });
    const a = await client.uploadPart({ key, uploadId, partNumber: 1, body: 'only part' });
    await expectCosError(client.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, etag: `"${'0'.repeat(32)}"` }] }), 'InvalidPart');
    await expectCosError(
      client.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, etag: a.etag }, { partNumber: 2, etag: a.etag }] }),
      'InvalidPart',
    );
    const done = await client.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, etag: a.etag.replace(/"/g, '') }] });
    expect(done.crc64).to.equal(crc64('only part'));
  });

  it('surfaces InvalidPartOrder as a typed service error (the client itself always sends parts sorted)', async () => {
    const key = `${run}order.bin`;
    (await mswWorker()).use(
      http.post(objectUrl(key), () =>
        xml('<Error><Code>InvalidPartOrder</Code><Message>The list of parts was not in ascending order.</Message><RequestId>r1</RequestId></Error>', 400),
      ),
    );
    const error = await expectCosError(
      client.completeMultipartUpload({ key, uploadId: 'u', parts: [{ partNumber: 1, etag: '"a"' }] }),
      'InvalidPartOrder',
      'CosServiceError',
    );
    expect(error.status).to.equal(400);
  });

  it('NoSuchUpload for an unknown or aborted upload id, on every call that takes one', async () => {
    const key = `${run}gone.bin`;
    const { uploadId } = await client.createMultipartUpload({ key });
    await client.abortMultipartUpload({ key, uploadId });
    for (const id of [uploadId, 'no-such-upload-id']) {
      await expectCosError(client.uploadPart({ key, uploadId: id, partNumber: 1, body: 'x' }), 'NoSuchUpload');
      await expectCosError(client.listParts({ key, uploadId: id }), 'NoSuchUpload');
      await expectCosError(client.completeMultipartUpload({ key, uploadId: id, parts: [{ partNumber: 1, etag: '"x"' }] }), 'NoSuchUpload');
      const e = await expectCosError(client.abortMultipartUpload({ key, uploadId: id }), 'NoSuchUpload');
      expect(e.status).to.equal(404);
    }
  });
});

describe('Complete Multipart Upload answers (scripted)', () => {
  it('tolerates whitespace streamed before the result XML', async () => {
    const key = `${run}ws.bin`;
    (await mswWorker()).use(
      http.post(objectUrl(key), () =>
        HttpResponse.text(
          '\n  \n    \n<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="http://www.qcloud.com/document/product/436/7751">' +
            `<Location>http://b-1250000000.cos.ap-guangzhou.myqcloud.com/${key}</Location><Bucket>b-1250000000</Bucket>` +
            `<Key>${key}</Key><ETag>&quot;aa259a62513358f69e98e72e59856d88-3&quot;</ETag></CompleteMultipartUploadResult>`,
          { headers: { 'content-type': 'application/xml', 'x-cos-hash-crc64ecma': '123', 'x-cos-version-id': 'v9' } },
        ),
      ),
    );
    const done = await client.completeMultipartUpload({ key, uploadId: 'u', parts: [{ partNumber: 1, etag: '"a"' }] });
    expect(done).to.deep.equal({
      location: `http://b-1250000000.cos.ap-guangzhou.myqcloud.com/${key}`,
      bucket: 'b-1250000000',
      key,
      etag: '"aa259a62513358f69e98e72e59856d88-3"',
      crc64: '123',
      versionId: 'v9',
    });
  });

  it('rejects a 200 whose body is an <Error> (after the whitespace)', async () => {
    const key = `${run}200-error.bin`;
    (await mswWorker()).use(
      http.post(objectUrl(key), () =>
        xml('\n\n<?xml version="1.0"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>r2</RequestId></Error>'),
      ),
    );
    const error = await expectCosError(
      client.completeMultipartUpload({ key, uploadId: 'u', parts: [{ partNumber: 1, etag: '"a"' }] }),
      'InternalError',
      'CosServiceError',
    );
    expect(error.status).to.equal(200);
  });
});

describe('uploadPartCopy', () => {
  it('assembles an object from byte ranges of another (unicode key), with the copy headers on the wire', async () => {
    const sourceKey = `${run}copy/源 文件+%.bin`;
    const source = bytesOf(MiB + 5000, 11);
    await client.putObject({ key: sourceKey, body: source });
    const key = `${run}copy/dest.bin`;
    const { uploadId } = await client.createMultipartUpload({ key });
    const log = await recordRequests();
    let one, two;
    try {
      one = await client.uploadPartCopy({ key, uploadId, partNumber: 1, source: { key: sourceKey }, range: { start: 0, end: MiB - 1 } });
      two = await client.uploadPartCopy({
        key,
        uploadId,
        partNumber: 2,
        source: { key: sourceKey, bucket: env.bucket, region: env.region },
        range: { start: MiB, end: MiB + 4999 },
      });
    } finally {
      log.stop();
    }
    const h = log.requests[0]!.headers;
    expect(h.get('x-cos-copy-source')).to.equal(
      `${env.bucket}.cos.${env.region}.myqcloud.com/${run}copy/%E6%BA%90%20%E6%96%87%E4%BB%B6%2B%25.bin`,
    );
    expect(h.get('x-cos-copy-source-range')).to.equal(`bytes=0-${MiB - 1}`);
    expect(Object.fromEntries(new URL(log.requests[0]!.url).searchParams)).to.deep.equal({ partNumber: '1', uploadId });
    expect(one.etag).to.equal(`"${md5Hex(source.subarray(0, MiB))}"`);
    expect(one.crc64).to.equal(crc64(source.subarray(0, MiB)));
    expect(one.lastModified).to.be.instanceOf(Date);
    expect(Number.isNaN(one.lastModified.getTime())).to.equal(false);
    const done = await client.completeMultipartUpload({ key, uploadId, parts: [{ partNumber: 1, ...one }, { partNumber: 2, ...two }] });
    expect(done.crc64).to.equal(crc64(source));
  });

  it('fails with PreconditionFailed when a source condition does not hold', async () => {
    const sourceKey = `${run}copy/cond.txt`;
    const put = await client.putObject({ key: sourceKey, body: 'conditional' });
    const key = `${run}copy/cond-dest.bin`;
    const { uploadId } = await client.createMultipartUpload({ key });
    const log = await recordRequests();
    await expectCosError(
      client.uploadPartCopy({ key, uploadId, partNumber: 1, source: { key: sourceKey }, sourceIfMatch: '"0123"' }),
      'PreconditionFailed',
    ).finally(() => log.stop());
    expect(log.requests[0]!.headers.get('x-cos-copy-source-if-match')).to.equal('"0123"');
    const ok = await client.uploadPartCopy({
      key,
      uploadId,
      partNumber: 1,
      source: `${env.bucket}.cos.${env.region}.myqcloud.com/${sourceKey}`,
      sourceIfMatch: put.etag,
      sourceIfUnmodifiedSince: new Date(Date.now() + 3_600_000),
    });
    expect(ok.crc64).to.equal(crc64('conditional'));
    await client.abortMultipartUpload({ key, uploadId });
  });
});

describe('listParts', () => {
  let key: string;
  let uploadId: string;
  before(async () => {
    key = `${run}parts.bin`;
    ({ uploadId } = await client.createMultipartUpload({ key, storageClass: 'STANDARD_IA' }));
    for (let n = 1; n <= 5; n++) await client.uploadPart({ key, uploadId, partNumber: n, body: 'p'.repeat(n) });
  });
  after(async () => client.abortMultipartUpload({ key, uploadId }));

  it('merges every page by default, with typed parts, owner and storage class', async () => {
    const out = await client.listParts({ key, uploadId });
    expect(out.parts.map((p) => [p.partNumber, p.size, p.etag])).to.deep.equal(
      [1, 2, 3, 4, 5].map((n) => [n, n, `"${md5Hex('p'.repeat(n))}"`]),
    );
    expect(out.parts[0]!.lastModified).to.be.instanceOf(Date);
    expect(out).to.include({ key, uploadId, bucket: env.bucket, storageClass: 'STANDARD_IA', isTruncated: false, nextPartNumberMarker: undefined });
    expect(out.owner?.id).to.be.a('string').and.not.empty;
    expect(out.initiator?.id).to.be.a('string').and.not.empty;
  });

  it('returns single pages with maxParts / partNumberMarker, following NextPartNumberMarker', async () => {
    const log = await recordRequests();
    const pages = [];
    try {
      let marker: number | undefined;
      for (;;) {
        const page = await client.listParts({ key, uploadId, maxParts: 2, ...(marker === undefined ? {} : { partNumberMarker: marker }) });
        pages.push(page);
        if (!page.isTruncated) break;
        marker = page.nextPartNumberMarker;
      }
    } finally {
      log.stop();
    }
    expect(pages.map((p) => p.parts.map((x) => x.partNumber))).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(pages.map((p) => p.nextPartNumberMarker)).to.deep.equal([2, 4, undefined]);
    expect(log.requests.map((r) => new URL(r.url).searchParams.get('part-number-marker'))).to.deep.equal([null, '2', '4']);
    expect(new URL(log.requests[0]!.url).searchParams.get('max-parts')).to.equal('2');
  });

  it('merges pages the server splits (scripted: a 1000-part page then the rest)', async () => {
    const scripted = `${run}scripted-parts.bin`;
    const markers: Array<string | null> = [];
    const part = (n: number) => `<Part><PartNumber>${n}</PartNumber><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>&quot;e${n}&quot;</ETag><Size>${MiB}</Size></Part>`;
    (await mswWorker()).use(
      http.get(objectUrl(scripted), ({ request }) => {
        const marker = new URL(request.url).searchParams.get('part-number-marker');
        markers.push(marker);
        const first = marker === null;
        return xml(
          `<ListPartsResult><Bucket>${env.bucket}</Bucket><Key>${scripted}</Key><UploadId>u</UploadId>` +
            (first ? part(1) + part(2) : part(3)) +
            `<NextPartNumberMarker>${first ? 2 : 3}</NextPartNumberMarker><StorageClass>STANDARD</StorageClass>` +
            `<MaxParts>1000</MaxParts><IsTruncated>${first}</IsTruncated></ListPartsResult>`,
        );
      }),
    );
    const out = await client.listParts({ key: scripted, uploadId: 'u' });
    expect(markers).to.deep.equal([null, '2']);
    expect(out.parts.map((p) => [p.partNumber, p.etag, p.size])).to.deep.equal([
      [1, '"e1"', MiB],
      [2, '"e2"', MiB],
      [3, '"e3"', MiB],
    ]);
    expect(out.isTruncated).to.equal(false);
  });
});

describe('listMultipartUploads', () => {
  const prefix = `${run}uploads/`;
  const uploadKeys = [`${prefix}a.bin`, `${prefix}a.bin`, `${prefix}b 文件.bin`, `${prefix}dir/c.bin`, `${prefix}dir/d.bin`];
  const created: Array<{ key: string; uploadId: string }> = [];
  before(async () => {
    for (const key of uploadKeys) created.push(await client.createMultipartUpload({ key }));
  });
  after(async () => {
    for (const u of created) await client.abortMultipartUpload(u).catch(() => undefined);
  });

  it('merges every page by default, decoding keys, with Date initiation times', async () => {
    const log = await recordRequests();
    const out = await client.listMultipartUploads({ prefix }).finally(() => log.stop());
    const query = Object.fromEntries(new URL(log.requests[0]!.url).searchParams);
    expect(query).to.deep.equal({ uploads: '', prefix, 'encoding-type': 'url' });
    expect(out.uploads.map((u) => [u.key, u.uploadId]).sort()).to.deep.equal(created.map((u) => [u.key, u.uploadId]).sort());
    expect(out.uploads.map((u) => u.key)).to.deep.equal([...uploadKeys].sort());
    for (const u of out.uploads) {
      expect(u.initiated).to.be.instanceOf(Date);
      expect(Math.abs(u.initiated.getTime() - Date.now())).to.be.below(120_000);
      expect(u.storageClass).to.equal('STANDARD');
    }
    expect(out).to.include({ isTruncated: false, nextKeyMarker: undefined, nextUploadIdMarker: undefined });
  });

  it('returns one page per call with maxUploads, resumable from the key and upload-id markers', async () => {
    const seen: string[] = [];
    let page = await client.listMultipartUploads({ prefix, maxUploads: 2 });
    const pages = [page];
    while (page.isTruncated) {
      page = await client.listMultipartUploads({ prefix, maxUploads: 2, keyMarker: page.nextKeyMarker, uploadIdMarker: page.nextUploadIdMarker });
      pages.push(page);
    }
    for (const p of pages) seen.push(...p.uploads.map((u) => u.uploadId));
    expect(pages.map((p) => p.uploads.length)).to.deep.equal([2, 2, 1]);
    expect(pages[0]!.nextKeyMarker).to.equal(`${prefix}a.bin`);
    expect([...seen].sort()).to.deep.equal(created.map((u) => u.uploadId).sort());
  });

  it('groups by delimiter into common prefixes', async () => {
    const out = await client.listMultipartUploads({ prefix, delimiter: '/' });
    expect(out.commonPrefixes).to.deep.equal([`${prefix}dir/`]);
    expect(out.uploads.map((u) => u.key)).to.deep.equal([`${prefix}a.bin`, `${prefix}a.bin`, `${prefix}b 文件.bin`]);
  });

  it('merges pages the server splits (scripted), sending both markers', async () => {
    const seen: Array<[string | null, string | null]> = [];
    const upload = (k: string, id: string) =>
      `<Upload><Key>${encodeURIComponent(k)}</Key><UploadId>${id}</UploadId><StorageClass>STANDARD</StorageClass><Initiated>2024-05-01T10:00:00.000Z</Initiated></Upload>`;
    (await mswWorker()).use(
      http.get(/\.localhost:\d+\/$/, ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push([q.get('key-marker'), q.get('upload-id-marker')]);
        const first = q.get('key-marker') === null;
        return xml(
          `<ListMultipartUploadsResult><Bucket>${env.bucket}</Bucket><Encoding-Type>url</Encoding-Type>` +
            (first ? upload('x/1 +.bin', 'id1') + upload('x/2.bin', 'id2') : upload('x/3.bin', 'id3')) +
            (first ? '<NextKeyMarker>x%2F2.bin</NextKeyMarker><NextUploadIdMarker>id2</NextUploadIdMarker>' : '') +
            `<IsTruncated>${first}</IsTruncated></ListMultipartUploadsResult>`,
        );
      }),
    );
    const out = await client.listMultipartUploads({ prefix: 'x/' });
    expect(seen).to.deep.equal([
      [null, null],
      ['x/2.bin', 'id2'],
    ]);
    expect(out.uploads.map((u) => [u.key, u.uploadId])).to.deep.equal([
      ['x/1 +.bin', 'id1'],
      ['x/2.bin', 'id2'],
      ['x/3.bin', 'id3'],
    ]);
    expect(out.uploads[0]!.initiated.toISOString()).to.equal('2024-05-01T10:00:00.000Z');
  });
});

describe('multipart input checks', () => {
  it('rejects bad part numbers, upload ids, bodies, ranges and part lists before any request', async () => {
    const key = `${run}checks.bin`;
    await expectInvalidArgument(() => client.createMultipartUpload({ key: '/abs' }));
    await expectInvalidArgument(() => client.createMultipartUpload({ key, meta: { bad_name: 'x' } }));
    await expectInvalidArgument(() => client.createMultipartUpload({ key, uploadId: 'x' } as never));
    for (const partNumber of [0, 10_001, 1.5, NaN]) {
      await expectInvalidArgument(() => client.uploadPart({ key, uploadId: 'u', partNumber, body: 'x' }));
      await expectInvalidArgument(() => client.uploadPartCopy({ key, uploadId: 'u', partNumber, source: { key } }));
    }
    await expectInvalidArgument(() => client.uploadPart({ key, uploadId: '', partNumber: 1, body: 'x' }));
    await expectInvalidArgument(() => client.uploadPart({ key, uploadId: 'u', partNumber: 1, body: 42 as never }));
    await expectInvalidArgument(() => client.uploadPart({ key, uploadId: 'u', partNumber: 1, body: 'x', trafficLimit: 100 }));
    await expectInvalidArgument(() => client.uploadPart({ key, uploadId: 'u', partNumber: 1, body: 'x', crc64: 'abc' }));
    await expectInvalidArgument(() => client.uploadPart({ key, uploadId: 'u', partNumber: 1, body: 'x', contentMd5: 'short' }));
    await expectInvalidArgument(() => client.uploadPart({ key, uploadId: 'u', partNumber: 1, body: 'x', partnumber: 1 } as never));
    await expectInvalidArgument(() => client.uploadPartCopy({ key, uploadId: 'u', partNumber: 1, source: { key }, range: { start: 5, end: 4 } }));
    await expectInvalidArgument(() => client.uploadPartCopy({ key, uploadId: 'u', partNumber: 1, source: { key: '' } }));
    await expectInvalidArgument(() => client.uploadPartCopy({ key, uploadId: 'u', partNumber: 1, source: 'not a copy source' }));
    await expectInvalidArgument(() => client.uploadPartCopy({ key, uploadId: 'u', partNumber: 1, source: { key }, sourceIfModifiedSince: new Date(NaN) }));
    await expectInvalidArgument(() => client.completeMultipartUpload({ key, uploadId: 'u', parts: [] }));
    await expectInvalidArgument(() => client.completeMultipartUpload({ key, uploadId: 'u', parts: [{ partNumber: 0, etag: '"a"' }] }));
    await expectInvalidArgument(() => client.completeMultipartUpload({ key, uploadId: 'u', parts: [{ partNumber: 1, etag: '' }] }));
    const dup = await expectInvalidArgument(() =>
      client.completeMultipartUpload({ key, uploadId: 'u', parts: [{ partNumber: 2, etag: '"a"' }, { partNumber: 2, etag: '"b"' }] }),
    );
    expect(dup.message).to.include('twice');
    await expectInvalidArgument(() => client.abortMultipartUpload({ key, uploadId: '' }));
    await expectInvalidArgument(() => client.listParts({ key, uploadId: 'u', maxParts: 0 }));
    await expectInvalidArgument(() => client.listParts({ key, uploadId: 'u', partNumberMarker: -1 }));
    await expectInvalidArgument(() => client.listMultipartUploads({ maxUploads: 1001 }));
    await expectInvalidArgument(() => client.listMultipartUploads({ delimiter: 'ab' }));
    await expectInvalidArgument(() => client.listMultipartUploads({ prefix: '/x' }));
    await expectInvalidArgument(() => client.listMultipartUploads({ region: 'Bad Region' }));
  });
});
