/**
 * Security of keys and URLs (issue 6), from the browser against the emulator's policy checks: temporary keys scoped
 * to `uploads/` cannot write, read, copy, list or delete outside it (including look-alike prefixes and `..` in a
 * key), and a presigned URL stops at its expiry and cannot be reused for another key or method.
 */
import { expect } from 'chai';
import { type CosClient, type CosClientOptions } from '@coskit/core';
import { expectCosError } from '../support/assert.ts';
import { testEnv, type TestEnv, clientFor } from '../support/env.ts';
import { testAdmin, type EmulatorAdmin } from '../support/faults.ts';
import { seededBytes } from '../soak/batch.ts';

const MiB = 1024 * 1024;
// A bucket of its own, so `uploads/` means exactly that and no other test file writes there.
const bucket = `coskit-sec${Date.now().toString(36).slice(-6)}-1250000000`;
let env: TestEnv;
let admin: EmulatorAdmin;
let owner: CosClient;
let scoped: CosClient;

function clientWith(options: Partial<CosClientOptions>): CosClient {
  return clientFor(env, { bucket, retry: { limit: 1, baseDelay: 10, maxDelay: 20 }, ...options });
}

async function text(client: CosClient, key: string): Promise<string> {
  return (await client.getObject({ key, as: 'text' })).body;
}

before(async () => {
  env = await testEnv();
  admin = await testAdmin();
  owner = clientWith({});
  await owner.createBucket({ bucket });
  await owner.putObject({ key: 'private/secret.txt', body: 'owner only' });
  await owner.putObject({ key: 'uploads-evil/look-alike.txt', body: 'not under uploads/' });
  await owner.putObject({ key: 'uploads/shared.txt', body: 'readable by the scoped key' });
  scoped = clientWith({ credentials: () => admin.mintKeys({ bucket, prefix: 'uploads/', durationSeconds: 900 }) });
});

describe('security: temporary keys scoped to uploads/', function () {
  this.timeout(30_000);

  it('can write, read and delete inside uploads/ (simple and multipart)', async () => {
    await scoped.putObject({ key: 'uploads/mine.txt', body: 'hello' });
    expect(await text(scoped, 'uploads/mine.txt')).to.equal('hello');
    expect(await text(scoped, 'uploads/shared.txt')).to.equal('readable by the scoped key');
    const big = seededBytes(2 * MiB + 1, 1);
    await scoped.uploadFile({ key: 'uploads/big.bin', file: new Blob([big]), sliceThreshold: MiB, partSize: MiB }).done;
    await scoped.deleteObject({ key: 'uploads/mine.txt' });
    await expectCosError(owner.headObject({ key: 'uploads/mine.txt' }), 'NoSuchKey');
  });

  it('cannot write outside uploads/: another folder, the bucket root, a look-alike prefix, or a multipart upload there', async () => {
    for (const key of ['private/new.txt', 'root.txt', 'uploads-evil/x.txt', 'Uploads/case.txt']) {
      await expectCosError(scoped.putObject({ key, body: 'x' }), 'AccessDenied', 'CosServiceError');
      await expectCosError(owner.headObject({ key }), 'NoSuchKey');
    }
    await expectCosError(scoped.putObject({ key: 'private/secret.txt', body: 'overwritten' }), 'AccessDenied');
    const handle = scoped.uploadFile({ key: 'private/big.bin', file: new Blob([seededBytes(2 * MiB, 2)]), sliceThreshold: MiB, partSize: MiB });
    await expectCosError(handle.done, 'AccessDenied');
    expect((await owner.listMultipartUploads({ prefix: 'private/' })).uploads).to.deep.equal([]);
    expect(await text(owner, 'private/secret.txt')).to.equal('owner only');
  });

  it('a key with `..` is a literal name inside uploads/, never a path to another folder', async () => {
    await scoped.putObject({ key: 'uploads/../private/secret.txt', body: 'escaped?' });
    expect(await text(owner, 'private/secret.txt'), 'the real object is untouched').to.equal('owner only');
    expect(await text(owner, 'uploads/../private/secret.txt')).to.equal('escaped?');
  });

  it('cannot read, copy, list or delete outside uploads/', async () => {
    await expectCosError(scoped.getObject({ key: 'private/secret.txt' }), 'AccessDenied', 'CosServiceError');
    await expectCosError(scoped.headObject({ key: 'uploads-evil/look-alike.txt' }), 'AccessDenied');
    await expectCosError(scoped.copyObject({ key: 'uploads/stolen.txt', source: { bucket, region: env.region, key: 'private/secret.txt' } }), 'AccessDenied');
    await expectCosError(owner.headObject({ key: 'uploads/stolen.txt' }), 'NoSuchKey');
    await expectCosError(scoped.listObjects({ prefix: 'private/' }), 'AccessDenied');
    await expectCosError(scoped.deleteObject({ key: 'private/secret.txt' }), 'AccessDenied');
    // A prefix-scoped key has no bucket-level rights, so the multi-delete request itself is refused (a key that may
    // call it gets per-key AccessDenied instead: object-errors.test.ts). Either way nothing is deleted.
    await expectCosError(scoped.deleteObjects({ keys: ['private/secret.txt', 'uploads-evil/look-alike.txt'] }), 'AccessDenied');
    expect(await text(owner, 'private/secret.txt')).to.equal('owner only');
    expect(await text(owner, 'uploads-evil/look-alike.txt')).to.equal('not under uploads/');
    const url = await scoped.getObjectUrl({ key: 'private/secret.txt' });
    expect((await fetch(url)).status, 'a presigned URL of the scoped key outside its prefix').to.equal(403);
  });
});

describe('security: presigned URLs', function () {
  this.timeout(30_000);

  it('works until its expiry, then answers 403 "Request has expired"', async () => {
    await owner.putObject({ key: 'uploads/presigned.txt', body: 'presigned body' });
    const url = await owner.getObjectUrl({ key: 'uploads/presigned.txt', expires: 2 });
    const ok = await fetch(url);
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.equal('presigned body');
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const late = await fetch(url);
    expect(late.status).to.equal(403);
    expect(await late.text()).to.match(/<Code>AccessDenied<\/Code>[\s\S]*expired/i);
  });

  it('cannot be reused for another key or another method', async () => {
    await owner.putObject({ key: 'uploads/a.txt', body: 'a' });
    await owner.putObject({ key: 'uploads/b.txt', body: 'b' });
    const url = new URL(await owner.getObjectUrl({ key: 'uploads/a.txt', expires: 300 }));
    expect((await fetch(url)).status).to.equal(200);
    const other = new URL(url);
    other.pathname = other.pathname.replace(/a\.txt$/, 'b.txt');
    const swapped = await fetch(other);
    expect(swapped.status, 'another key').to.equal(403);
    expect(await swapped.text()).to.include('SignatureDoesNotMatch');
    for (const method of ['PUT', 'DELETE'] as const) {
      const response = await fetch(url, { method, ...(method === 'PUT' ? { body: 'overwrite' } : {}) });
      expect(response.status, method).to.equal(403);
    }
    expect(await text(owner, 'uploads/a.txt')).to.equal('a');
    // A presigned PUT writes its own key only, and only with PUT.
    const put = new URL(await owner.getObjectUrl({ key: 'uploads/put.txt', method: 'PUT', expires: 300 }));
    expect((await fetch(put, { method: 'PUT', body: 'via url' })).status).to.equal(200);
    const elsewhere = new URL(put);
    elsewhere.pathname = elsewhere.pathname.replace(/put\.txt$/, 'a.txt');
    expect((await fetch(elsewhere, { method: 'PUT', body: 'overwrite' })).status).to.equal(403);
    expect((await fetch(put)).status, 'GET with a PUT signature').to.equal(403);
    expect(await text(owner, 'uploads/put.txt')).to.equal('via url');
    expect(await text(owner, 'uploads/a.txt')).to.equal('a');
  });
});
