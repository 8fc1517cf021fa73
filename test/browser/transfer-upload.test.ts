/**
 * uploadFile against the emulator: the simple/multipart switch at the threshold, byte round trips, CRC-64 of parts
 * and whole, events and progress, input errors before any request.
 */
import { expect } from 'chai';
import { crc64, isCosClientError, SimplePartLimiter, type CosClient, type Hasher, type UploadState } from '@coskit/core';
import type { TestEnv } from '../support/env.ts';
import { effectivePartSize } from '../../packages/core/src/transfer/upload-plan.ts';
import { countRequests, emulatorClient, fileOf, MiB, runPrefix, sameBytes, setFaults } from './transfer-helpers.ts';

let env: TestEnv;
let client: CosClient;
const run = runPrefix('upload');

before(async () => {
  ({ env, client } = await emulatorClient());
});
afterEach(() => setFaults(env, []));

async function roundTrip(file: Blob, key: string): Promise<void> {
  const got = await client.getObject({ key, as: 'blob' });
  expect(await sameBytes(got.body, file), 'downloaded bytes equal the file').to.equal(true);
}

describe('uploadFile: sizes around the threshold', () => {
  const threshold = 1 * MiB;
  const cases: Array<[string, number, boolean]> = [
    ['0 B', 0, false],
    ['1 B', 1, false],
    ['exactly the threshold', threshold, false],
    ['threshold + 1', threshold + 1, true],
  ];
  for (const [name, size, multipart] of cases) {
    it(`${name}: ${multipart ? 'multipart' : 'one PUT'}, bytes and CRC-64 round-trip`, async () => {
      const file = fileOf(size, size + 7);
      const key = `${run}size-${size}`;
      const { value: result, count } = await countRequests(env, () =>
        client.uploadFile({ key, file, sliceThreshold: threshold, partSize: 1 * MiB }).done,
      );
      expect(result.multipart).to.equal(multipart);
      expect(result.crc64).to.equal(crc64(new Uint8Array(await file.arrayBuffer())));
      expect(result.key).to.equal(key);
      expect(result.bucket).to.equal(env.bucket);
      if (multipart) {
        expect(count('UploadPart')).to.equal(2);
        expect(count('CompleteMultipartUpload')).to.equal(1);
        expect(count('PutObject')).to.equal(0);
        expect(result.etag).to.match(/^"[0-9a-f]{32}-2"$/);
        expect(result.partsSent).to.equal(2);
      } else {
        expect(count('PutObject')).to.equal(1);
        expect(count('InitiateMultipartUpload')).to.equal(0);
        expect(result.partsSent).to.equal(1);
      }
      await roundTrip(file, key);
    });
  }

  it('a multipart file with an odd last part (3 MiB + 12345 B in 1 MiB parts)', async () => {
    const file = fileOf(3 * MiB + 12_345, 99);
    const key = `${run}odd`;
    const { value: result, count } = await countRequests(env, () =>
      client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 3 }).done,
    );
    expect(count('UploadPart')).to.equal(4);
    expect(result.etag).to.match(/-4"$/);
    expect(result.uploadId).to.be.a('string');
    expect(result.crc64).to.equal(crc64(new Uint8Array(await file.arrayBuffer())));
    await roundTrip(file, key);
  });
});

describe('uploadFile: events and progress', () => {
  it('fires statechange in order and progress up to 100 %, as events and callbacks', async () => {
    const file = fileOf(3 * MiB, 5);
    const states: UploadState[] = [];
    const eventStates: string[] = [];
    const progress: number[] = [];
    const handle = client.uploadFile({
      key: `${run}events`,
      file,
      sliceThreshold: 1 * MiB,
      partSize: 1 * MiB,
      onStateChange: (s) => states.push(s),
      onProgress: (p) => progress.push(p.percent),
    });
    handle.addEventListener('statechange', (e) => eventStates.push(e.detail.state));
    let lastEvent: { loaded: number; total: number } | undefined;
    handle.addEventListener('progress', (e) => (lastEvent = e.detail));
    await handle.done;
    expect(states).to.deep.equal(['uploading', 'completing', 'done']);
    expect(eventStates).to.deep.equal(states);
    expect(handle.state).to.equal('done');
    expect(progress.length).to.be.greaterThan(1);
    expect(progress.at(-1)).to.equal(100);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).to.be.at.least(progress[i - 1]!);
    expect(lastEvent).to.include({ loaded: 3 * MiB, total: 3 * MiB });
  });

  it('reports progress during a single simple PUT (XHR upload progress)', async () => {
    // 2 MiB at 1 MiB/s (the emulator honours x-cos-traffic-limit): long enough for several progress events.
    const file = fileOf(12 * MiB, 6);
    const loaded: number[] = [];
    await client.uploadFile({ key: `${run}simple-progress`, file, trafficLimit: 64 * MiB, onProgress: (p) => loaded.push(p.loaded) }).done;
    expect(loaded.at(-1)).to.equal(12 * MiB);
    expect(loaded.some((n) => n > 0 && n < 12 * MiB), 'intermediate progress').to.equal(true);
  });

  it('contentMd5 adds Content-MD5 to every part, and the upload still verifies', async () => {
    const file = fileOf(2 * MiB + 3, 8);
    const states: UploadState[] = [];
    const result = await client.uploadFile({ key: `${run}md5`, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, contentMd5: true, onStateChange: (s) => states.push(s) }).done;
    expect(result.partsSent).to.equal(3);
    await roundTrip(file, `${run}md5`);
    const simple = await client.uploadFile({ key: `${run}md5-simple`, file, contentMd5: true, onStateChange: (s) => states.push(s) }).done;
    expect(simple.multipart).to.equal(false);
    expect(states).to.include('hashing');
  });
});

describe('uploadFile: integrity', () => {
  it('catches a part corrupted on the way (CRC-64) and re-sends it once', async () => {
    const file = fileOf(3 * MiB, 11);
    const key = `${run}corrupt`;
    await setFaults(env, [{ kind: 'corrupt', op: 'UploadPart', count: 1 }]);
    const { value: result, count } = await countRequests(env, () =>
      client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1 }).done,
    );
    expect(count('UploadPart')).to.equal(4);
    expect(result.partsSent).to.equal(4);
    await roundTrip(file, key);
  });

  it('fails with ChecksumMismatch when the part keeps arriving corrupted, and leaves no upload behind', async () => {
    const file = fileOf(2 * MiB, 12);
    const key = `${run}corrupt-always`;
    await setFaults(env, [{ kind: 'corrupt', op: 'UploadPart', key }]);
    const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 1 });
    const error = await handle.done.then(() => undefined, (e: unknown) => e);
    expect(isCosClientError(error) && error.code).to.equal('ChecksumMismatch');
    expect(handle.state).to.equal('failed');
    await setFaults(env, []);
    // Without a resume store nobody can continue it, so it is aborted on the server.
    const { uploads } = await client.listMultipartUploads({ prefix: key });
    expect(uploads).to.have.length(0);
  });

  it('a hash that fails fails the upload with the hasher\'s error at once, and leaves no upload behind', async () => {
    const file = fileOf(2 * MiB, 15);
    const key = `${run}hash-fails`;
    const unreadable = new DOMException('the file could not be read', 'NotReadableError');
    const hasher: Hasher = {
      hash: () => new Promise((_, reject) => setTimeout(() => reject(unreadable), 30)),
    };
    // Slow parts: a failure must not wait for them.
    await setFaults(env, [{ kind: 'delay', op: 'UploadPart', delayMs: 3000 }]);
    const t0 = performance.now();
    const handle = client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 2, hasher });
    const error = await handle.done.then(() => undefined, (e: unknown) => e);
    expect(performance.now() - t0, 'failed without waiting for the slow parts').to.be.below(2500);
    expect(handle.state).to.equal('failed');
    expect(String(error)).to.contain('could not be read');
    await setFaults(env, []);
    const { uploads } = await client.listMultipartUploads({ prefix: key });
    expect(uploads).to.have.length(0);
  });

  it('catches a corrupted simple PUT and re-sends it', async () => {
    const file = fileOf(200_000, 13);
    const key = `${run}corrupt-put`;
    await setFaults(env, [{ kind: 'corrupt', op: 'PutObject', count: 1 }]);
    const { value: result, count } = await countRequests(env, () => client.uploadFile({ key, file }).done);
    expect(count('PutObject')).to.equal(2);
    expect(result.partsSent).to.equal(2);
    await roundTrip(file, key);
  });

  it('passes object headers through to the final object (multipart)', async () => {
    const file = fileOf(2 * MiB, 14);
    const key = `${run}headers`;
    await client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, contentType: 'image/png', cacheControl: 'max-age=60' }).done;
    const head = await client.headObject({ key });
    expect(head.contentType).to.equal('image/png');
    expect(head.size).to.equal(2 * MiB);
  });
});

describe('uploadFile: shared part budget and lost answers', () => {
  it('a shared limiter caps the parts in flight across uploads', async () => {
    await setFaults(env, [{ kind: 'delay', op: 'UploadPart', delayMs: 100 }]);
    const limiter = new SimplePartLimiter(2);
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, limiter.inFlight)), 5);
    const files = [fileOf(3 * MiB, 15), fileOf(3 * MiB, 16)];
    try {
      await Promise.all(
        files.map((file, i) => client.uploadFile({ key: `${run}limited-${i}`, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB, concurrency: 3, limiter }).done),
      );
    } finally {
      clearInterval(watch);
    }
    expect(peak).to.equal(2);
    expect(limiter.inFlight).to.equal(0);
  });

  it('a Complete whose answer was lost (retried into NoSuchUpload) is confirmed by the object CRC-64', async () => {
    const file = fileOf(2 * MiB + 1, 17);
    const key = `${run}lost-complete`;
    await setFaults(env, [{ kind: 'lostResponse', op: 'CompleteMultipartUpload', count: 1 }]);
    const { value: result, count } = await countRequests(env, () => client.uploadFile({ key, file, sliceThreshold: 1 * MiB, partSize: 1 * MiB }).done);
    expect(count('CompleteMultipartUpload')).to.equal(2);
    expect(result.location).to.equal(`http://${env.bucket}.cos.${env.region}.localhost:${env.port}/${key}`);
    expect(result.crc64).to.equal(crc64(new Uint8Array(await file.arrayBuffer())));
    await roundTrip(file, key);
  });
});

describe('uploadFile: input errors before any request', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['no key', { file: new Blob(['x']) }],
    ['a non-Blob file', { key: 'k', file: 'text' }],
    ['partSize below 1 MiB', { key: 'k', file: new Blob(['x']), partSize: 1000 }],
    ['an unknown option', { key: 'k', file: new Blob(['x']), partsize: 1 }],
    ['resume: true without a store', { key: 'k', file: new Blob(['x']), resume: true }],
    ['concurrency 0', { key: 'k', file: new Blob(['x']), concurrency: 0 }],
  ];
  for (const [name, input] of bad) {
    it(`${name} throws InvalidArgument synchronously`, async () => {
      const { count } = await countRequests(env, async () => {
        let thrown: unknown;
        try {
          client.uploadFile(input as never);
        } catch (e) {
          thrown = e;
        }
        expect(isCosClientError(thrown) && thrown.code).to.equal('InvalidArgument');
      });
      expect(count('PutObject') + count('InitiateMultipartUpload')).to.equal(0);
    });
  }

  it('a file needing more than 10,000 parts of 5 GiB is refused', () => {
    // A Blob whose size is all that is read: the check happens before any byte.
    const huge = { size: 10_001 * 5 * 1024 * MiB } as Blob;
    Object.setPrototypeOf(huge, Blob.prototype);
    expect(() => client.uploadFile({ key: 'k', file: huge })).to.throw(/10000 parts/);
  });

  it('grows the part size (whole MiB) so a file fits in 10,000 parts', () => {
    expect(effectivePartSize(100 * MiB, 8 * MiB)).to.equal(8 * MiB);
    expect(effectivePartSize(10_000 * 8 * MiB, 8 * MiB)).to.equal(8 * MiB);
    const grown = effectivePartSize(10_000 * 8 * MiB + 1, 8 * MiB);
    expect(grown).to.equal(9 * MiB);
    expect(Math.ceil((10_000 * 8 * MiB + 1) / grown)).to.be.at.most(10_000);
  });
});
