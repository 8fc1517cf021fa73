/**
 * The bench page's script (bundled by harness.ts with esbuild, run in headless Chromium). Uploads the File in an
 * `<input type=file>` (disk-backed, filled by the harness) with one of: a plain presigned `fetch` PUT, coskit
 * `uploadFile` + `WorkerHasher`, or cos-js-sdk-v5 (its UMD build, loaded by a script tag before this module).
 * Around each upload: long tasks (PerformanceObserver `longtask`) and the JS heap sampled every 100 ms.
 */
import { CosClient, MainThreadHasher, type Hasher, type HashOptions, type HashResult } from '@coskit/core';
import { WorkerHasher } from '../../packages/uploader/src/workers/pool.ts';
import type { BenchPageApi, PageConfig, RunResult, RunSpec } from './types.ts';

/** The slice of cos-js-sdk-v5's API the bench uses (it ships no types for the UMD global). */
interface CosJs {
  uploadFile(params: Record<string, unknown>, callback: (err: unknown, data: unknown) => void): void;
}
declare const COS: new (options: Record<string, unknown>) => CosJs;

declare global {
  interface Window {
    bench: BenchPageApi;
    /** Present with `--js-flags=--expose-gc`. */
    gc?: () => void;
  }
  interface Performance {
    memory?: { usedJSHeapSize: number };
  }
}

const LONG_TASK_MS = 50;

function endpoint(config: PageConfig): string {
  return `http://{Bucket}.cos.{Region}.localhost:${config.port}`;
}

function inputFile(which: RunSpec['input']): File {
  const file = document.querySelector<HTMLInputElement>(`#${which}`)?.files?.[0];
  if (!file) throw new Error(`no file in <input id=${which}>: the harness fills it before running`);
  return file;
}

/** Wraps a hasher to add up the time it is busy (jobs overlap with each other, so this is job-time, not wall time). */
class TimedHasher implements Hasher {
  busyMs = 0;
  constructor(private readonly inner: Hasher) {}
  async hash(blob: Blob, options?: HashOptions): Promise<HashResult> {
    const t0 = performance.now();
    try {
      return await this.inner.hash(blob, options);
    } finally {
      this.busyMs += performance.now() - t0;
    }
  }
}

/** Starts watching long tasks and the heap; `stop()` returns what was seen. */
function watch(): { stop(): Promise<Omit<RunResult, 'label' | 'bytes' | 'ms' | 'stored' | 'heapBaselineBytes'>> } {
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  let peak = performance.memory?.usedJSHeapSize ?? 0;
  const sample = () => {
    peak = Math.max(peak, performance.memory?.usedJSHeapSize ?? 0);
  };
  const timer = setInterval(sample, 100);
  return {
    async stop() {
      sample();
      clearInterval(timer);
      // Long-task entries are delivered after the task ends; one more frame lets the last ones arrive.
      await new Promise((resolve) => setTimeout(resolve, 120));
      for (const entry of observer.takeRecords()) tasks.push(entry.duration);
      observer.disconnect();
      return {
        longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
        totalBlockingMs: tasks.reduce((sum, d) => sum + Math.max(0, d - LONG_TASK_MS), 0),
        longTasks: tasks.length,
        heapPeakBytes: peak,
      };
    },
  };
}

async function settledHeap(): Promise<number> {
  window.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return performance.memory?.usedJSHeapSize ?? 0;
}

function cosJs(config: PageConfig, spec: RunSpec): CosJs {
  return new COS({
    SecretId: config.tmpSecretId,
    SecretKey: config.tmpSecretKey,
    SecurityToken: config.sessionToken,
    Domain: `{Bucket}.cos.{Region}.localhost:${config.port}`,
    Protocol: 'http:',
    // Its UploadId cache lives in localStorage; each run uses a fresh key, so nothing is resumed by accident.
    ...(spec.partSize !== undefined ? { ChunkSize: spec.partSize } : {}),
    ...(spec.concurrency !== undefined ? { ChunkParallelLimit: spec.concurrency } : {}),
    // Its only integrity option: MD5 of every part (on the main thread) sent as Content-MD5.
    ...(spec.contentMd5 ? { UploadCheckContentMd5: true } : {}),
  });
}

/** Everything an upload needs, made before the measured window (a page makes these once, not per upload). */
interface Prepared {
  config: PageConfig;
  spec: RunSpec;
  file: File;
  key: string;
  client: CosClient;
  hasher: TimedHasher | undefined;
  workers: WorkerHasher | undefined;
  url: string;
  cos: CosJs | undefined;
  heapBaselineBytes: number;
}

let prepared: Prepared | undefined;

async function prepare(config: PageConfig, spec: RunSpec): Promise<void> {
  const file = inputFile(spec.input);
  const key = `bench/${spec.label.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.bin`;
  const client = new CosClient({
    bucket: config.bucket,
    region: config.region,
    endpoint: endpoint(config),
    protocol: 'http:',
    // The qcloud-cos-sts shape, as a page's STS route would return it.
    credentials: async () => ({
      credentials: { tmpSecretId: config.tmpSecretId, tmpSecretKey: config.tmpSecretKey, sessionToken: config.sessionToken },
      startTime: config.startTime,
      expiredTime: config.expiredTime,
    }),
  });
  let hasher: TimedHasher | undefined;
  let workers: WorkerHasher | undefined;
  if (spec.sdk === 'coskit') {
    // A classic worker, bundled, as the script-tag build starts it (a Blob URL there; same script either way).
    if (spec.hasher === undefined || spec.hasher === 'worker') workers = new WorkerHasher({ createWorker: () => new Worker('/hash-worker.js', { name: 'coskit-hash' }) });
    const inner: Hasher = workers ?? (spec.hasher === 'none' ? { hash: async () => ({ crc64: '0' }) } : new MainThreadHasher());
    // Started now: a page keeps one hasher (and its worker) for every upload.
    await inner.hash(new Blob([new Uint8Array(16)]));
    hasher = new TimedHasher(inner);
  }
  const url = spec.sdk === 'fetch' ? await client.getObjectUrl({ key, method: 'PUT', expires: 3600 }) : '';
  const cos = spec.sdk === 'cosjs' ? cosJs(config, spec) : undefined;
  prepared = { config, spec, file, key, client, hasher, workers, url, cos, heapBaselineBytes: await settledHeap() };
}

async function run(): Promise<RunResult> {
  if (!prepared) throw new Error('run() needs prepare() first');
  const { config, spec, file, key, client, hasher, workers, url, cos, heapBaselineBytes } = prepared;
  prepared = undefined;
  const watcher = watch();
  const t0 = performance.now();
  let localCrc64: string | undefined;
  if (spec.sdk === 'fetch') {
    const response = await fetch(url, { method: 'PUT', body: file });
    if (!response.ok) throw new Error(`presigned PUT failed: ${response.status} ${await response.text()}`);
  } else if (spec.sdk === 'coskit') {
    const handle = client.uploadFile({
      key,
      file,
      hasher: hasher!,
      ...(spec.partSize !== undefined ? { partSize: spec.partSize } : {}),
      ...(spec.concurrency !== undefined ? { concurrency: spec.concurrency } : {}),
      ...(spec.contentMd5 ? { contentMd5: true } : {}),
      ...(spec.hasher === 'none' ? { verifyCrc64: false } : {}),
    });
    localCrc64 = (await handle.done).crc64;
  } else {
    await new Promise<unknown>((resolve, reject) =>
      cos!.uploadFile({ Bucket: config.bucket, Region: config.region, Key: key, Body: file }, (err, data) => (err ? reject(new Error(JSON.stringify(err))) : resolve(data))),
    );
  }
  const ms = performance.now() - t0;
  const seen = await watcher.stop();
  workers?.dispose();

  const head = await client.headObject({ key });
  // The emulator keeps objects in RAM: free this one before the next run.
  await client.deleteObject({ key });
  return {
    label: spec.label,
    bytes: file.size,
    ms,
    ...seen,
    heapBaselineBytes,
    ...(hasher ? { hashBusyMs: hasher.busyMs } : {}),
    stored: { size: head.size, crc64: head.crc64 },
    ...(localCrc64 !== undefined ? { localCrc64 } : {}),
  };
}

async function idle(ms: number): Promise<{ longestTaskMs: number; totalBlockingMs: number; longTasks: number }> {
  const watcher = watch();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const { longestTaskMs, totalBlockingMs, longTasks } = await watcher.stop();
  return { longestTaskMs, totalBlockingMs, longTasks };
}

window.bench = { ready: true, prepare, run, idle };
