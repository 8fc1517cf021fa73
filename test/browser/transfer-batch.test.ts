/**
 * Batch transfers against the emulator: a folder upload with one failure in the middle (a per-file result list,
 * never all-or-nothing), skipping unchanged objects by size + CRC-64, total progress, and downloadFolder (directory
 * markers skipped, failures reported per file, Blobs or per-file streams).
 */
import { expect } from 'chai';
import { isCosServiceError, type CosClient } from '@coskit/core';
import type { TestEnv } from '../support/env.ts';
import { countRequests, emulatorClient, fileOf, MiB, runPrefix, sameBytes, setFaults, sleep } from './transfer-helpers.ts';

let env: TestEnv;
let client: CosClient;
const run = runPrefix('batch');

before(async () => {
  ({ env, client } = await emulatorClient({ retry: { limit: 1, baseDelay: 10, maxDelay: 50 } }));
});
afterEach(() => setFaults(env, []));

/** A File as `<input webkitdirectory>` gives it: its path inside the picked folder in `webkitRelativePath`. */
function folderFile(path: string, size: number, seed: number): File {
  const file = fileOf(size, seed, path.split('/').pop());
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

const folder = (): File[] => [
  folderFile('album/a.jpg', 100_000, 61),
  folderFile('album/b.jpg', 120_000, 62),
  folderFile('album/big.bin', 2 * MiB + 17, 63),
  folderFile('album/nested/c.txt', 1, 64),
  folderFile('album/d.jpg', 0, 65),
];

describe('uploadFolder / uploadFiles', () => {
  it('uploads every file under the prefix; one failing file is reported, the others succeed', async () => {
    const prefix = `${run}up1`;
    const files = folder();
    await setFaults(env, [{ kind: 'error500', op: 'PutObject', key: `${prefix}/album/b.jpg` }]);
    const progress: number[] = [];
    const done: string[] = [];
    const { results } = await client.uploadFolder({
      files,
      prefix,
      sliceThreshold: 1 * MiB,
      partSize: 1 * MiB,
      onProgress: (p) => progress.push(p.percent),
      onFileComplete: (entry) => done.push(entry.key),
    });
    expect(results.map((r) => [r.key, r.status])).to.deep.equal([
      [`${prefix}/album/a.jpg`, 'uploaded'],
      [`${prefix}/album/b.jpg`, 'failed'],
      [`${prefix}/album/big.bin`, 'uploaded'],
      [`${prefix}/album/nested/c.txt`, 'uploaded'],
      [`${prefix}/album/d.jpg`, 'uploaded'],
    ]);
    const failed = results[1]!;
    expect(isCosServiceError(failed.error) && failed.error.status).to.equal(500);
    expect(results[2]!.result!.multipart).to.equal(true);
    expect(done).to.have.length(5);
    expect(progress.at(-1)).to.equal(100);
    await setFaults(env, []);
    for (const [i, file] of files.entries()) {
      if (i === 1) continue;
      const got = await client.getObject({ key: results[i]!.key, as: 'blob' });
      expect(await sameBytes(got.body, file), results[i]!.key).to.equal(true);
    }
    const missing = await client.headObject({ key: `${prefix}/album/b.jpg` }).then(() => 'exists', (e: { code?: string }) => e.code);
    expect(missing).to.equal('NoSuchKey');
  });

  it('skipExisting skips objects with the same size and CRC-64 and uploads changed ones', async () => {
    const prefix = `${run}skip/`;
    const a = fileOf(50_000, 71);
    const b = fileOf(60_000, 72);
    await client.uploadFiles({ files: [{ file: a, key: `${prefix}a` }, { file: b, key: `${prefix}b` }] });
    const changed = fileOf(60_000, 73); // same size as b, other bytes
    const { value, count } = await countRequests(env, () =>
      client.uploadFiles({ files: [{ file: a, key: `${prefix}a` }, { file: changed, key: `${prefix}b` }, { file: b, key: `${prefix}c` }], skipExisting: true }),
    );
    expect(value.results.map((r) => r.status)).to.deep.equal(['skipped', 'uploaded', 'uploaded']);
    expect(count('HeadObject')).to.equal(3);
    expect(count('PutObject')).to.equal(2);
  });

  it('uploads at most `concurrency` files at once', async () => {
    const prefix = `${run}conc/`;
    await setFaults(env, [{ kind: 'delay', op: 'PutObject', delayMs: 300 }]);
    const files = Array.from({ length: 6 }, (_, i) => ({ file: fileOf(1000, 80 + i), key: `${prefix}${i}` }));
    const started = performance.now();
    const { results } = await client.uploadFiles({ files, concurrency: 2 });
    const elapsed = performance.now() - started;
    expect(results.every((r) => r.status === 'uploaded')).to.equal(true);
    // 6 files, 2 at a time, 300 ms each: three rounds.
    expect(elapsed).to.be.at.least(850);
  });

  it('an aborted batch rejects with the signal reason', async () => {
    const prefix = `${run}abort/`;
    await setFaults(env, [{ kind: 'delay', op: 'PutObject', delayMs: 400 }]);
    const stop = new AbortController();
    const files = Array.from({ length: 4 }, (_, i) => ({ file: fileOf(1000, 90 + i), key: `${prefix}${i}` }));
    const pending = client.uploadFiles({ files, concurrency: 1, signal: stop.signal });
    await sleep(100);
    stop.abort(new Error('stop'));
    const error = await pending.then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).to.equal('stop');
  });

  it('bad input throws InvalidArgument before any request', async () => {
    const { count } = await countRequests(env, async () => {
      for (const input of [
        { files: [{ file: new Blob(['x']), key: '/abs' }] },
        { files: [{ file: new Blob(['x']), key: 'k' }], concurrency: 0 },
        { files: [{ file: new Blob(['x']), key: 'k' }], key: 'k' },
      ]) {
        const error = await client.uploadFiles(input as never).then(() => undefined, (e: { code?: string }) => e.code);
        expect(error, JSON.stringify(input)).to.equal('InvalidArgument');
      }
    });
    expect(count('PutObject')).to.equal(0);
  });
});

describe('downloadFolder', () => {
  it('downloads every object under the prefix, skips directory markers, reports a failing one', async () => {
    const prefix = `${run}down/`;
    const files = folder();
    const { results: uploaded } = await client.uploadFolder({ files, prefix, sliceThreshold: 1 * MiB, partSize: 1 * MiB });
    expect(uploaded.every((r) => r.status === 'uploaded')).to.equal(true);
    await client.putObject({ key: `${prefix}album/empty-dir/`, body: '' });
    await setFaults(env, [{ kind: 'error500', op: 'GetObject', key: `${prefix}album/b.jpg` }]);
    const got = new Map<string, Blob>();
    const progress: number[] = [];
    const { results } = await client.downloadFolder({
      prefix,
      sliceThreshold: 1 * MiB,
      partSize: 1 * MiB,
      onFile: ({ relativePath, blob }) => void got.set(relativePath, blob!),
      onProgress: (p) => progress.push(p.percent),
    });
    expect(results.map((r) => [r.relativePath, r.status])).to.deep.equal([
      ['album/a.jpg', 'downloaded'],
      ['album/b.jpg', 'failed'],
      ['album/big.bin', 'downloaded'],
      ['album/d.jpg', 'downloaded'],
      ['album/nested/c.txt', 'downloaded'],
    ]);
    expect(isCosServiceError(results[1]!.error) && results[1]!.error.status).to.equal(500);
    for (const file of files) {
      if (file.webkitRelativePath === 'album/b.jpg') continue;
      expect(await sameBytes(got.get(file.webkitRelativePath)!, file), file.webkitRelativePath).to.equal(true);
    }
    expect(progress.at(-1)).to.equal(100);
  });

  it('bad shared options throw InvalidArgument before the listing', async () => {
    const { count } = await countRequests(env, async () => {
      for (const input of [{ prefix: run, trafficLimit: 5 }, { prefix: run, partConcurrency: 0 }, { prefix: run, key: 'k' }, { prefix: '/x' }]) {
        const error = await client.downloadFolder(input as never).then(() => undefined, (e: { code?: string }) => e.code);
        expect(error, JSON.stringify(input)).to.equal('InvalidArgument');
      }
    });
    expect(count('GetBucket')).to.equal(0);
  });

  it('writes each object to the stream `output` returns', async () => {
    const prefix = `${run}down-streams/`;
    const files = [folderFile('x/1.bin', 70_000, 66), folderFile('x/2.bin', 1 * MiB + 5, 67)];
    await client.uploadFolder({ files, prefix });
    const written = new Map<string, Uint8Array<ArrayBuffer>[]>();
    const { results } = await client.downloadFolder({
      prefix,
      sliceThreshold: 512 * 1024,
      partSize: 256 * 1024,
      output: ({ relativePath }) => {
        const chunks: Uint8Array<ArrayBuffer>[] = [];
        written.set(relativePath, chunks);
        return new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk.slice()) });
      },
    });
    expect(results.map((r) => r.status)).to.deep.equal(['downloaded', 'downloaded']);
    for (const file of files) expect(await sameBytes(new Blob(written.get(file.webkitRelativePath)), file)).to.equal(true);
  });
});
