/**
 * The JSON API's folder and file conveniences against the emulator: marker objects, one-level listings, stat,
 * metadata replacement by self-copy, and recursive deletion in batches of up to 1000 keys (uploads aborted first).
 */
import { expect } from 'chai';
import { http, HttpResponse, passthrough } from 'msw';
import { CosClient } from '@coskit/core';
import { clientFor, testEnv, type TestEnv } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { expectCosError, expectInvalidArgument, exposeHeaders } from '../support/assert.ts';

let env: TestEnv;
let client: CosClient;
let restoreCors: (() => Promise<void>) | undefined;
const run = `folder/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

before(async () => {
  env = await testEnv();
  client = clientFor(env, { retry: { limit: 0 } });
  await mswWorker();
  // Metadata and these headers are readable cross-origin only when the bucket's CORS rule exposes them, as on COS.
  restoreCors = await exposeHeaders(client, ['x-cos-meta-note', 'x-cos-meta-old', 'x-cos-meta-new', 'Cache-Control', 'Content-Disposition']);
});
after(async () => {
  await restoreCors?.();
});
afterEach(async () => (await mswWorker()).resetHandlers());

describe('createFolder / statFolder / listFolder', () => {
  it('creates the marker object prefix/ with an empty body and metadata, and stats it', async () => {
    const log = await recordRequests();
    const out = await client.createFolder({ prefix: `${run}docs`, meta: { note: 'biz attr' } }).finally(() => log.stop());
    expect(out.key).to.equal(`${run}docs/`);
    expect(out.etag).to.equal('"d41d8cd98f00b204e9800998ecf8427e"');
    expect(log.requests).to.have.length(1);
    expect(log.requests[0]!.method).to.equal('PUT');
    expect(new URL(log.requests[0]!.url).pathname).to.equal(`/${run}docs/`);
    expect(log.requests[0]!.headers.get('x-cos-meta-note')).to.equal('biz attr');

    const stat = await client.statFolder({ prefix: `${run}docs/` });
    expect(stat).to.include({ prefix: `${run}docs/`, exists: true, hasMarker: true });
    expect(stat.meta).to.deep.equal({ note: 'biz attr' });
    expect(stat.lastModified).to.be.instanceOf(Date);
  });

  it('stats a folder that exists only through keys under it, and one that does not exist', async () => {
    await client.putObject({ key: `${run}implicit/a/b.txt`, body: 'b' });
    const implicit = await client.statFolder({ prefix: `${run}implicit` });
    expect(implicit).to.deep.equal({ prefix: `${run}implicit/`, exists: true, hasMarker: false, lastModified: undefined, meta: {} });
    const missing = await client.statFolder({ prefix: `${run}nothing-here/` });
    expect(missing).to.include({ exists: false, hasMarker: false });
  });

  it('lists one level: sub-folders and files, without the folder own marker, page by page', async () => {
    const base = `${run}tree/`;
    await client.createFolder({ prefix: base });
    await Promise.all(
      ['a.txt', 'b.txt', 'c 文件.txt', 'sub1/x.txt', 'sub2/y/z.txt', 'sub3/'].map((f) => client.putObject({ key: base + f, body: f })),
    );
    const all = await client.listFolder({ prefix: base });
    expect(all.prefix).to.equal(base);
    expect(all.folders).to.deep.equal([`${base}sub1/`, `${base}sub2/`, `${base}sub3/`]);
    expect(all.files.map((f) => f.key)).to.deep.equal([`${base}a.txt`, `${base}b.txt`, `${base}c 文件.txt`]);
    expect(all.files[0]!.size).to.equal(5);
    expect(all).to.include({ isTruncated: false, nextMarker: undefined });

    const seen: string[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await client.listFolder({ prefix: base.slice(0, -1), maxKeys: 2, ...(marker ? { marker } : {}) });
      seen.push(...page.folders, ...page.files.map((f) => f.key));
      if (!page.isTruncated) break;
      marker = page.nextMarker;
    }
    expect(seen.sort()).to.deep.equal([...all.folders, ...all.files.map((f) => f.key)].sort());

    const root = await client.listFolder({ prefix: '', maxKeys: 1000 });
    expect(root.prefix).to.equal('');
    expect(root.folders).to.include('folder/');
  });
});

describe('statObject / updateObjectMeta', () => {
  it('statObject gives the object facts without raw headers; a missing key is NoSuchKey', async () => {
    const key = `${run}stat.txt`;
    const put = await client.putObject({ key, body: 'stat me', contentType: 'text/plain', meta: { note: 'n1' } });
    const stat = await client.statObject({ key });
    expect(stat).to.include({ key, size: 7, etag: put.etag, crc64: put.crc64, contentType: 'text/plain', objectType: 'normal', storageClass: 'STANDARD' });
    expect(stat.meta).to.deep.equal({ note: 'n1' });
    expect(stat.lastModified).to.be.instanceOf(Date);
    expect(stat).to.not.have.property('headers');
    await expectCosError(client.statObject({ key: `${run}missing.txt` }), 'NoSuchKey', 'CosServiceError');
  });

  it('replaces metadata by copying the object onto itself; content-related fields not given are cleared', async () => {
    const key = `${run}meta/文件 (1).txt`;
    await client.putObject({ key, body: 'same bytes', contentType: 'text/plain', cacheControl: 'max-age=60', meta: { old: 'o' } });
    const log = await recordRequests();
    const out = await client
      .updateObjectMeta({ key, contentType: 'application/json', contentDisposition: 'attachment; filename="a.json"', meta: { new: 'n' } })
      .finally(() => log.stop());
    expect(log.requests).to.have.length(1);
    const h = log.requests[0]!.headers;
    expect(log.requests[0]!.method).to.equal('PUT');
    expect(h.get('x-cos-metadata-directive')).to.equal('Replaced');
    expect(h.get('x-cos-copy-source')).to.equal(`${env.bucket}.cos.${env.region}.myqcloud.com/${run}meta/%E6%96%87%E4%BB%B6%20%281%29.txt`);
    expect(h.get('content-type')).to.equal('application/json');
    expect(h.get('x-cos-meta-new')).to.equal('n');
    expect(out.etag).to.match(/^"[0-9a-f]{32}"$/);
    expect(out.lastModified).to.be.instanceOf(Date);

    const stat = await client.statObject({ key });
    expect(stat.contentType).to.equal('application/json');
    expect(stat.contentDisposition).to.equal('attachment; filename="a.json"');
    expect(stat.cacheControl ?? '').to.equal('');
    expect(stat.meta).to.deep.equal({ new: 'n' });
    expect((await client.getObject({ key, as: 'text' })).body).to.equal('same bytes');
  });
});

describe('deleteFolder', () => {
  it('refuses a non-empty folder without recursive, deleting nothing', async () => {
    const base = `${run}keep/`;
    await client.createFolder({ prefix: base });
    await client.putObject({ key: `${base}child.txt`, body: 'c' });
    const log = await recordRequests();
    const error = await expectCosError(client.deleteFolder({ prefix: base }), 'FolderNotEmpty', 'CosClientError').finally(() => log.stop());
    expect(error.message).to.include('recursive');
    expect(log.requests.map((r) => r.method)).to.deep.equal(['GET']);
    expect((await client.statFolder({ prefix: base })).hasMarker).to.equal(true);
  });

  it('deletes an empty folder marker without recursive', async () => {
    const base = `${run}empty/`;
    await client.createFolder({ prefix: base });
    expect(await client.deleteFolder({ prefix: base })).to.deep.equal({ deleted: 1, errors: [], abortedUploads: 0 });
    expect((await client.statFolder({ prefix: base })).exists).to.equal(false);
    expect(await client.deleteFolder({ prefix: base })).to.deep.equal({ deleted: 0, errors: [], abortedUploads: 0 });
  });

  it('recursively aborts uploads and deletes every key in batches of at most 1000, quietly', async () => {
    const base = `${run}big/`;
    const keys = [`${base}`, ...Array.from({ length: 1204 }, (_, i) => `${base}${i % 3 ? `d${i % 7}/` : ''}k${String(i).padStart(4, '0')} ✓.txt`)];
    await pool(keys, 24, (key) => client.putObject({ key, body: '' }));
    const uploads = [await client.createMultipartUpload({ key: `${base}up/1.bin` }), await client.createMultipartUpload({ key: `${base}up/2.bin` })];
    const outsider = `${run}big-sibling.txt`;
    await client.putObject({ key: outsider, body: 'not in the folder' });

    const batches: number[] = [];
    (await mswWorker()).use(
      http.post(/\.localhost:\d+\/$/, async ({ request }) => {
        if (new URL(request.url).search === '?delete') {
          const body = await request.clone().text();
          expect(body).to.include('<Quiet>true</Quiet>');
          batches.push(body.split('<Object>').length - 1);
        }
        return passthrough();
      }),
    );
    const progress: Array<{ deleted: number; failed: number }> = [];
    const out = await client.deleteFolder({ prefix: base, recursive: true, onProgress: (p) => progress.push(p) });
    expect(out).to.deep.equal({ deleted: keys.length, errors: [], abortedUploads: 2 });
    expect(batches).to.deep.equal([1000, keys.length - 1000]);
    expect(progress).to.deep.equal([
      { deleted: 1000, failed: 0 },
      { deleted: keys.length, failed: 0 },
    ]);
    expect((await client.listObjects({ prefix: base })).contents).to.deep.equal([]);
    expect((await client.listMultipartUploads({ prefix: base })).uploads).to.deep.equal([]);
    await expectCosError(client.listParts({ key: uploads[0]!.key, uploadId: uploads[0]!.uploadId }), 'NoSuchUpload');
    expect((await client.statObject({ key: outsider })).size).to.equal(17);
  });

  it('returns the keys COS refused instead of throwing (scripted per-key error)', async () => {
    const base = `${run}partial/`;
    await Promise.all(['a', 'b', 'c'].map((f) => client.putObject({ key: base + f, body: f })));
    (await mswWorker()).use(
      http.post(/\.localhost:\d+\/$/, ({ request }) =>
        new URL(request.url).search === '?delete'
          ? HttpResponse.text(
              `<DeleteResult><Error><Key>${base}b</Key><Code>AccessDenied</Code><Message>Access Denied.</Message></Error></DeleteResult>`,
              { headers: { 'content-type': 'application/xml' } },
            )
          : passthrough(),
      ),
    );
    const out = await client.deleteFolder({ prefix: base, recursive: true });
    expect(out).to.deep.equal({ deleted: 2, errors: [{ key: `${base}b`, code: 'AccessDenied', message: 'Access Denied.' }], abortedUploads: 0 });
  });
});

describe('folder input checks', () => {
  it('rejects bad prefixes and options before any request', async () => {
    for (const prefix of ['', '/', '/abs/', 'a\u0001b/']) {
      await expectInvalidArgument(() => client.createFolder({ prefix }));
      await expectInvalidArgument(() => client.deleteFolder({ prefix, recursive: true }));
      await expectInvalidArgument(() => client.statFolder({ prefix }));
    }
    await expectInvalidArgument(() => client.createFolder({ prefix: 'x/', meta: { 'bad name': 'v' } }));
    await expectInvalidArgument(() => client.deleteFolder({ prefix: 'x/', recursive: 'yes' as never }));
    await expectInvalidArgument(() => client.deleteFolder({ prefix: 'x/', recurse: true } as never));
    await expectInvalidArgument(() => client.listFolder({ prefix: 'x/', maxKeys: 0 }));
    await expectInvalidArgument(() => client.listFolder({ prefix: '/x' }));
    await expectInvalidArgument(() => client.listFolder({} as never));
    await expectInvalidArgument(() => client.statObject({ key: '' }));
    await expectInvalidArgument(() => client.statObject({ key: 'k', range: 'bytes=0-1' } as never));
    await expectInvalidArgument(() => client.updateObjectMeta({ key: 'k', trafficLimit: 819200 } as never));
    await expectInvalidArgument(() => client.updateObjectMeta({ key: 'k', meta: { a_b: 'x' } }));
    await expectInvalidArgument(() => client.updateObjectMeta({ key: '/k' }));
  });
});
