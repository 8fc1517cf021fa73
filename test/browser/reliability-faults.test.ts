/**
 * Reliability under server faults (issue 6, "Faults survived"): a seeded batch of uploads through 500s, SlowDowns,
 * connection resets, latency and lost responses, every object compared byte for byte; and the "stored but the
 * answer was lost" cases on their own, where a wrong recovery would leave a duplicate, a missing object or an upload.
 */
import { expect } from 'chai';
import { type CosClient, crc64 } from '@coskit/core';
import { WorkerHasher } from '@coskit/uploader';
import { testEnv, clientFor } from '../support/env.ts';
import { diffStats, testAdmin, type EmulatorAdmin } from '../support/faults.ts';
import { runFaultBatch, seededBytes } from '../soak/batch.ts';

const MiB = 1024 * 1024;
const run = `reliability/faults-${Date.now().toString(36)}/`;
let admin: EmulatorAdmin;
let client: CosClient;

before(async () => {
  const env = await testEnv();
  admin = await testAdmin();
  client = clientFor(env, {
    // More attempts than the default: with ~25 % of writes faulted, 4 failures in a row would be a matter of time.
    retry: { limit: 6, baseDelay: 30, maxDelay: 500 },
    timeout: 30_000,
  });
});
afterEach(() => admin.clearFaults());

describe('reliability: faults survived', function () {
  this.timeout(180_000);

  it('50 uploads (0 B to 12 MiB, unicode keys) through 500 / SlowDown / reset / delay / lost answers all complete byte-identical, leaving no upload', async () => {
    const hasher = new WorkerHasher();
    try {
      const figures = await runFaultBatch({ client, admin, prefix: `${run}batch/`, uploads: 50, seed: 20261121, hasher, faultRate: 0.05 });
      console.log(`fault batch: ${JSON.stringify({ ...figures, requests: undefined })}`);
      expect(figures.failed, 'failed uploads').to.deep.equal([]);
      expect(figures.attempted).to.equal(50);
      expect(figures.completed).to.equal(50);
      expect(figures.byteIdentical).to.equal(50);
      expect(figures.corrupted).to.deep.equal([]);
      expect(figures.lost).to.deep.equal([]);
      expect(figures.unexpected).to.deep.equal([]);
      expect(figures.orphanedUploads).to.equal(0);
      for (const kind of ['error500', 'slowDown', 'reset', 'delay', 'lostResponse'] as const) {
        expect(figures.faults[kind], `faults of kind ${kind} injected`).to.be.greaterThan(0);
      }
      expect(figures.retries).to.be.greaterThan(0);
    } finally {
      hasher.dispose();
    }
  });

  it('a part and a Complete whose answers are lost (stored, then the connection drops) leave exactly one correct object and no upload', async () => {
    const prefix = `${run}lost/`;
    const key = `${prefix}one object ✓.bin`;
    const source = seededBytes(3 * MiB + 17, 99);
    await admin.setFaults([
      { op: 'UploadPart', key: prefix, kind: 'lostResponse', count: 2 },
      { op: 'CompleteMultipartUpload', key: prefix, kind: 'lostResponse', count: 1 },
    ]);
    const before = await admin.stats();
    const result = await client.uploadFile({ key, file: new Blob([source]), sliceThreshold: MiB, partSize: MiB, concurrency: 2 }).done;
    const delta = diffStats(before, await admin.stats());
    expect(delta.faults.lostResponse).to.equal(3);
    // Each lost answer costs one more request of that kind (the pipeline's retry, or Chromium's own re-send).
    expect(delta.requests.UploadPart).to.equal(4 + 2);
    expect(delta.requests.CompleteMultipartUpload).to.equal(2);
    expect(delta.requests.InitiateMultipartUpload).to.equal(1);
    expect(result.crc64).to.equal(crc64(source));
    const listed = [];
    for await (const o of client.listAllObjects({ prefix })) listed.push(o.key);
    expect(listed).to.deep.equal([key]);
    const got = new Uint8Array((await client.getObject({ key, as: 'arrayBuffer' })).body);
    expect(got.length).to.equal(source.length);
    expect(crc64(got)).to.equal(crc64(source));
    expect((await client.listMultipartUploads({ prefix })).uploads).to.deep.equal([]);
  });

  it('a simple PUT whose answer is lost is sent again and stores the bytes once', async () => {
    const prefix = `${run}lost-put/`;
    const key = `${prefix}small #1?.txt`;
    const source = seededBytes(200_000, 7);
    await admin.setFaults([{ op: 'PutObject', key: prefix, kind: 'lostResponse', count: 1 }]);
    const before = await admin.stats();
    const result = await client.uploadFile({ key, file: new Blob([source]) }).done;
    const delta = diffStats(before, await admin.stats());
    expect(delta.faults.lostResponse).to.equal(1);
    expect(delta.requests.PutObject).to.equal(2);
    expect(result.crc64).to.equal(crc64(source));
    const got = new Uint8Array((await client.getObject({ key, as: 'arrayBuffer' })).body);
    expect(crc64(got)).to.equal(crc64(source));
  });
});
