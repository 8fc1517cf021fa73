/**
 * GET Bucket against the emulator (virtual-hosted through *.localhost): what goes on the wire, pagination with
 * prefix/delimiter/marker, keys that only survive because the listing is url-encoded, and input checks.
 */
import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { CosClient, listAllObjects, type ObjectSummary } from '@coskit/core';
import { clientFor, testEnv, type TestEnv } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { expectInvalidArgument } from '../support/assert.ts';

let env: TestEnv;
let client: CosClient;
const run = `list/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
// Keys that break naive listings: XML specials, spaces at both ends (XML parsers trim text), "+" and "%" (form
// decoding), non-BMP characters, and a key that sorts between the others by UTF-8 bytes.
const odd = [' lead and trail ', 'a&b<c>"d\'.txt', 'plus+percent%2F.txt', '文件 ünï 😀.txt'];
const files = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/3/deep.txt', 'c/x.txt', 'd.txt', ...odd];
const keys = files.map((f) => run + f);
// COS orders keys by UTF-8 bytes; for these strings that is also UTF-16 code unit order except for the emoji,
// which sorts last either way.
const sorted = [...keys].sort();

before(async () => {
  env = await testEnv();
  client = clientFor(env, { retry: { limit: 0 } });
  await mswWorker();
  await Promise.all(keys.map((key, i) => client.putObject({ key, body: 'x'.repeat(i) })));
});
after(async () => {
  await client.deleteObjects({ keys, quiet: true });
});
afterEach(async () => (await mswWorker()).resetHandlers());

describe('listObjects', () => {
  it('lists one page with every field typed, asking for encoding-type=url on the wire', async () => {
    const log = await recordRequests();
    const page = await client.listObjects({ prefix: run, maxKeys: 1000 }).finally(() => log.stop());
    expect(log.requests).to.have.length(1);
    const url = new URL(log.requests[0]!.url);
    expect(log.requests[0]!.method).to.equal('GET');
    expect(url.host).to.equal(`${env.bucket}.cos.${env.region}.localhost:${env.port}`);
    expect(url.pathname).to.equal('/');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({ prefix: run, 'max-keys': '1000', 'encoding-type': 'url' });

    expect(page.contents.map((c) => c.key)).to.deep.equal(sorted);
    expect(page).to.include({ name: env.bucket, prefix: run, marker: '', maxKeys: 1000, isTruncated: false, nextMarker: undefined });
    expect(page.delimiter).to.equal(undefined);
    expect(page.commonPrefixes).to.deep.equal([]);
    const a = page.contents.find((c) => c.key === `${run}d.txt`)!;
    expect(a.size).to.equal(files.indexOf('d.txt'));
    expect(a.etag).to.match(/^"[0-9a-f]{32}"$/);
    expect(a.lastModified).to.be.instanceOf(Date);
    expect(Math.abs(a.lastModified.getTime() - Date.now())).to.be.below(120_000);
    expect(a.storageClass).to.equal('STANDARD');
    expect(a.owner?.id).to.be.a('string').and.not.empty;
  });

  it('groups by delimiter into common prefixes, and lists inside a prefix', async () => {
    const top = await client.listObjects({ prefix: run, delimiter: '/' });
    expect(top.commonPrefixes).to.deep.equal([`${run}b/`, `${run}c/`]);
    expect(top.contents.map((c) => c.key)).to.deep.equal(sorted.filter((k) => !k.slice(run.length).includes('/')));
    expect(top.delimiter).to.equal('/');

    const inner = await client.listObjects({ prefix: `${run}b/`, delimiter: '/' });
    expect(inner.contents.map((c) => c.key)).to.deep.equal([`${run}b/1.txt`, `${run}b/2.txt`]);
    expect(inner.commonPrefixes).to.deep.equal([`${run}b/3/`]);
  });

  it('pages with maxKeys and an exclusive marker', async () => {
    const first = await client.listObjects({ prefix: run, maxKeys: 3 });
    expect(first.contents.map((c) => c.key)).to.deep.equal(sorted.slice(0, 3));
    expect(first.isTruncated).to.equal(true);
    expect(first.nextMarker).to.equal(sorted[2]);
    const second = await client.listObjects({ prefix: run, maxKeys: 3, marker: first.nextMarker });
    expect(second.contents.map((c) => c.key)).to.deep.equal(sorted.slice(3, 6));
    expect(second.marker).to.equal(sorted[2]);
  });

  it('returns keys exactly, with characters a plain XML listing would mangle', async () => {
    const page = await client.listObjects({ prefix: run + odd[0]!.slice(0, 5) });
    expect(page.contents.map((c) => c.key)).to.deep.equal([run + odd[0]]);
    for (const name of odd) {
      const listed = await client.listObjects({ prefix: run + name });
      expect(listed.contents.map((c) => c.key), name).to.deep.equal([run + name]);
    }
  });
});

describe('listObjectsPages / listAllObjects', () => {
  it('follows nextMarker through every page, and the wire shows each marker', async () => {
    const log = await recordRequests();
    const pages = [];
    try {
      for await (const page of client.listObjectsPages({ prefix: run, maxKeys: 4 })) pages.push(page);
    } finally {
      log.stop();
    }
    expect(pages.map((p) => p.contents.length)).to.deep.equal([4, 4, 2]);
    expect(pages.flatMap((p) => p.contents.map((c) => c.key))).to.deep.equal(sorted);
    expect(pages.map((p) => p.isTruncated)).to.deep.equal([true, true, false]);
    const markers = log.requests.map((r) => new URL(r.url).searchParams.get('marker'));
    expect(markers).to.deep.equal([null, sorted[3], sorted[7]]);
  });

  it('pages through folders too: a page of common prefixes continues after the last prefix', async () => {
    const pages = [];
    for await (const page of client.listObjectsPages({ prefix: run, delimiter: '/', maxKeys: 2 })) pages.push(page);
    const entries = pages.flatMap((p) => [...p.commonPrefixes, ...p.contents.map((c) => c.key)]).sort();
    const expected = [...sorted.filter((k) => !k.slice(run.length).includes('/')), `${run}b/`, `${run}c/`].sort();
    expect(entries).to.deep.equal(expected);
    expect(pages.length).to.be.above(2);
  });

  it('yields every object once, across pages, and stops when the loop breaks', async () => {
    const all: ObjectSummary[] = [];
    for await (const o of listAllObjects(client, { prefix: run, maxKeys: 3 })) all.push(o);
    expect(all.map((o) => o.key)).to.deep.equal(sorted);

    const log = await recordRequests();
    let seen = 0;
    try {
      for await (const _ of client.listAllObjects({ prefix: run, maxKeys: 3 })) if (++seen === 2) break;
    } finally {
      log.stop();
    }
    expect(log.requests).to.have.length(1);
  });

  it('stops with signal.reason when aborted between pages', async () => {
    const controller = new AbortController();
    const reason = new Error('user navigated away');
    const log = await recordRequests();
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const o of client.listAllObjects({ prefix: run, maxKeys: 3, signal: controller.signal })) {
        seen.push(o.key);
        if (seen.length === 3) controller.abort(reason);
      }
    } catch (e) {
      error = e;
    } finally {
      log.stop();
    }
    expect(error).to.equal(reason);
    expect(seen).to.deep.equal(sorted.slice(0, 3));
    expect(log.requests).to.have.length(1);
  });

  it('with a delimiter, yields the objects at that level only', async () => {
    const keysAtTop = [];
    for await (const o of client.listAllObjects({ prefix: run, delimiter: '/', maxKeys: 2 })) keysAtTop.push(o.key);
    expect(keysAtTop).to.deep.equal(sorted.filter((k) => !k.slice(run.length).includes('/')));
  });
});

describe('listObjects response parsing (scripted)', () => {
  const bucketUrl = /\.localhost:\d+\/$/;

  it('reads a one-entry page as lists, decodes url-encoded fields, and derives a missing NextMarker', async () => {
    (await mswWorker()).use(
      http.get(bucketUrl, () =>
        HttpResponse.text(
          '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b-1250000000</Name><EncodingType>url</EncodingType>' +
            '<Prefix>p%2F</Prefix><Marker></Marker><MaxKeys>1</MaxKeys><Delimiter>%2F</Delimiter><IsTruncated>true</IsTruncated>' +
            '<Contents><Key>p%2F%20x%26y%0A</Key><LastModified>2020-12-10T03:37:30.000Z</LastModified><ETag>&quot;abc&quot;</ETag>' +
            '<Size>13</Size><Owner><ID>1250000000</ID><DisplayName>1250000000</DisplayName></Owner><StorageClass>STANDARD_IA</StorageClass></Contents>' +
            '<CommonPrefixes><Prefix>p%2Fz%2F</Prefix></CommonPrefixes></ListBucketResult>',
          { headers: { 'content-type': 'application/xml' } },
        ),
      ),
    );
    const page = await client.listObjects({ prefix: 'p/', delimiter: '/' });
    expect(page.contents).to.deep.equal([
      {
        key: 'p/ x&y\n',
        size: 13,
        etag: '"abc"',
        lastModified: new Date('2020-12-10T03:37:30.000Z'),
        storageClass: 'STANDARD_IA',
        owner: { id: '1250000000', displayName: '1250000000' },
      },
    ]);
    expect(page.commonPrefixes).to.deep.equal(['p/z/']);
    expect(page).to.include({ prefix: 'p/', delimiter: '/', isTruncated: true, nextMarker: 'p/z/' });
  });

  it('refuses to loop on a truncated page that does not move forward', async () => {
    (await mswWorker()).use(
      http.get(bucketUrl, () =>
        HttpResponse.text('<ListBucketResult><Name>b</Name><IsTruncated>true</IsTruncated></ListBucketResult>', {
          headers: { 'content-type': 'application/xml' },
        }),
      ),
    );
    let error: unknown;
    try {
      for await (const _ of client.listObjectsPages({ prefix: 'p/' })) void _;
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).to.equal('MalformedResponse');
  });
});

describe('listObjects input checks', () => {
  it('rejects bad options before any request', async () => {
    await expectInvalidArgument(() => client.listObjects({ maxKeys: 0 }));
    await expectInvalidArgument(() => client.listObjects({ maxKeys: 1001 }));
    await expectInvalidArgument(() => client.listObjects({ maxKeys: 2.5 }));
    await expectInvalidArgument(() => client.listObjects({ delimiter: '//' }));
    await expectInvalidArgument(() => client.listObjects({ delimiter: '' }));
    await expectInvalidArgument(() => client.listObjects({ prefix: '/leading' }));
    await expectInvalidArgument(() => client.listObjects({ encodingType: 'base64' as 'url' }));
    await expectInvalidArgument(() => client.listObjects({ bucket: 'Not_A_Bucket' }));
    const typo = await expectInvalidArgument(() => client.listObjects({ prefx: run } as never));
    expect(typo.message).to.include('prefx');
    await expectInvalidArgument(async () => {
      for await (const _ of client.listObjectsPages({ maxKeys: -1 })) void _;
    });
    await expectInvalidArgument(async () => {
      for await (const _ of client.listAllObjects({ marker: 5 as never })) void _;
    });
  });
});
