/**
 * Reliability of signing (issue 6): temporary keys that run out mid-upload, a credentials route that fails before it
 * works, and a server clock an hour off. In each case the upload must finish with the right bytes and no user action.
 */
import { expect } from 'chai';
import { http, HttpResponse } from 'msw';
import { type CosClient, crc64, type CosClientOptions } from '@coskit/core';
import { testEnv, type TestEnv, clientFor } from '../support/env.ts';
import { diffStats, testAdmin, type EmulatorAdmin } from '../support/faults.ts';
import { mswWorker } from '../support/msw.ts';
import { seededBytes } from '../soak/batch.ts';

const MiB = 1024 * 1024;
const run = `reliability/credentials-${Date.now().toString(36)}/`;
let env: TestEnv;
let admin: EmulatorAdmin;

function clientWith(options: Partial<CosClientOptions>): CosClient {
  return clientFor(env, { retry: { limit: 3, baseDelay: 30, maxDelay: 300 }, ...options });
}

async function expectStored(client: CosClient, key: string, source: Uint8Array): Promise<void> {
  const got = new Uint8Array((await client.getObject({ key, as: 'arrayBuffer' })).body);
  expect(got.length).to.equal(source.length);
  expect(crc64(got)).to.equal(crc64(source));
}

before(async () => {
  env = await testEnv();
  admin = await testAdmin();
});
afterEach(async () => {
  await admin.clearFaults();
  await admin.setClock(0);
});

describe('reliability: credentials and clocks', function () {
  this.timeout(60_000);

  it('temporary keys with a short life (STS durationSeconds) are renewed during the upload, which finishes by itself', async () => {
    const prefix = `${run}short-keys/`;
    const key = `${prefix}file.bin`;
    const source = seededBytes(6 * MiB, 1);
    const minted: number[] = [];
    // 92 s of life: inside the client's 90 s refresh margin after 2 s, so the upload outlives every key it starts with.
    const client = clientWith({
      credentials: async () => {
        const keys = await admin.mintKeys({ bucket: env.bucket, prefix, durationSeconds: 92 });
        minted.push(keys.expiredTime);
        return keys;
      },
    });
    await admin.setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 800 }]);
    const result = await client.uploadFile({ key, file: new Blob([source]), sliceThreshold: MiB, partSize: MiB, concurrency: 2 }).done;
    expect(minted.length, 'keys minted').to.be.at.least(2);
    expect(new Set(minted).size).to.be.at.least(2);
    expect(result.partsSent).to.equal(6);
    await admin.clearFaults();
    await expectStored(client, key, source);
  });

  it('keys the server already considers expired (ExpiredToken mid-upload) are fetched again and the upload finishes', async () => {
    const prefix = `${run}expired/`;
    const key = `${prefix}file.bin`;
    const source = seededBytes(4 * MiB + 5, 2);
    let minted = 0;
    const client = clientWith({
      credentials: async () => {
        minted++;
        // 1 s on the server, an hour claimed: the cache keeps them until the server refuses them.
        const keys = await admin.mintKeys({ bucket: env.bucket, prefix, durationSeconds: 1 });
        return { ...keys, expiredTime: keys.expiredTime + 3600 };
      },
    });
    await admin.setFaults([{ op: 'UploadPart', key: prefix, kind: 'delay', delayMs: 1200 }]);
    await client.uploadFile({ key, file: new Blob([source]), sliceThreshold: MiB, partSize: MiB, concurrency: 1 }).done;
    expect(minted).to.be.at.least(3);
    await admin.clearFaults();
    await expectStored(client, key, source);
  });

  it('a credentials route that fails twice, then answers, does not fail the upload', async () => {
    const prefix = `${run}flaky-route/`;
    const key = `${prefix}file.bin`;
    const source = seededBytes(3 * MiB, 3);
    const keys = await admin.mintKeys({ bucket: env.bucket, prefix, durationSeconds: 1800 });
    const worker = await mswWorker();
    let calls = 0;
    worker.use(
      http.post('*/api/sts', () => {
        calls++;
        return calls <= 2 ? new HttpResponse('upstream STS timeout', { status: 502 }) : HttpResponse.json(keys);
      }),
    );
    try {
      // What an app's provider looks like: POST to its own route, throw on a non-2xx answer.
      const client = clientWith({
        credentials: async ({ signal }) => {
          const response = await fetch('/api/sts', { method: 'POST', signal: signal ?? null });
          if (!response.ok) throw new Error(`credentials route answered ${response.status}`);
          return response.json();
        },
      });
      const result = await client.uploadFile({ key, file: new Blob([source]), sliceThreshold: MiB, partSize: MiB }).done;
      expect(calls).to.equal(3);
      expect(result.crc64).to.equal(crc64(source));
      await expectStored(client, key, source);
    } finally {
      worker.resetHandlers();
    }
  });

  for (const offset of [3600, -3600]) {
    it(`a server clock one hour ${offset > 0 ? 'ahead' : 'behind'} is learned from the first refusal; the upload finishes`, async () => {
      const prefix = `${run}clock${offset}/`;
      const key = `${prefix}file.bin`;
      const source = seededBytes(3 * MiB + 1, 4);
      await admin.setClock(offset);
      const client = clientWith({});
      const before = await admin.stats();
      const result = await client.uploadFile({ key, file: new Blob([source]), sliceThreshold: MiB, partSize: MiB, concurrency: 2 }).done;
      const delta = diffStats(before, await admin.stats());
      expect(Math.abs(client.clockOffset - offset)).to.be.at.most(5);
      expect(result.crc64).to.equal(crc64(source));
      // Only the first request was refused and re-signed; every later one used the learned clock.
      expect(delta.requests.InitiateMultipartUpload).to.equal(2);
      expect(delta.requests.UploadPart).to.equal(4);
      await expectStored(client, key, source);
    });
  }
});
