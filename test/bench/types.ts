/** What the Node harness and the bench page (page.ts, in Chromium) say to each other. */

/** Facts the page needs to reach the emulator; the keys are temporary (minted by the emulator for this run). */
export interface PageConfig {
  port: number;
  region: string;
  bucket: string;
  tmpSecretId: string;
  tmpSecretKey: string;
  sessionToken: string;
  /** Unix seconds. */
  startTime: number;
  expiredTime: number;
}

/** One measured upload. */
export interface RunSpec {
  /** Row label, also used in the object key. */
  label: string;
  /**
   * `fetch`: one plain `fetch` PUT of the whole File to a presigned URL (the ceiling); `coskit`: `uploadFile` with
   * the WorkerHasher; `cosjs`: cos-js-sdk-v5 `uploadFile`.
   */
  sdk: 'fetch' | 'coskit' | 'cosjs';
  /** Which `<input type=file>` holds the file: the throughput file or the large heap-test file. */
  input: 'file' | 'heap';
  /** Part size in bytes; omitted = the SDK's default. */
  partSize?: number;
  /** Parts in flight; omitted = the SDK's default. */
  concurrency?: number;
  /** Send Content-MD5 with every part (coskit `contentMd5`, cos-js `UploadCheckContentMd5`). */
  contentMd5?: boolean;
  /**
   * coskit: hash in workers (default), on the main thread (core's default hasher), or not at all (`none`: a hasher
   * that returns at once and `verifyCrc64: false`; a profile row that shows coskit's pipeline without hashing).
   */
  hasher?: 'worker' | 'main-thread' | 'none';
}

/** What the page measured for one upload. */
export interface RunResult {
  label: string;
  bytes: number;
  /** Wall time of the upload call until its result, ms. */
  ms: number;
  /** Longest main-thread task during the upload (PerformanceObserver `longtask`, >= 50 ms only), ms; 0 = none. */
  longestTaskMs: number;
  /** Sum of (duration - 50 ms) over those tasks. */
  totalBlockingMs: number;
  longTasks: number;
  /** `performance.memory.usedJSHeapSize` after a forced GC just before the upload. */
  heapBaselineBytes: number;
  /** Largest value sampled every 100 ms during the upload. */
  heapPeakBytes: number;
  /** coskit only: summed time the hasher was busy with parts, ms (overlaps with sending). */
  hashBusyMs?: number;
  /** The stored object, read back with HEAD after the upload. */
  stored: { size: number; crc64: string | undefined };
  /**
   * coskit only: the CRC-64 in coskit's result (Complete's; coskit has already compared it with the one it combined
   * from its parts when verification is on).
   */
  localCrc64?: string;
}

/** The API page.ts installs on `window`. */
export interface BenchPageApi {
  ready: true;
  /** Makes the client, hasher (worker started), presigned URL or cos-js instance, then GCs and reads the heap baseline. */
  prepare(config: PageConfig, spec: RunSpec): Promise<void>;
  /** The measured upload of what `prepare` set up; then HEAD (the stored size and CRC-64) and DELETE. */
  run(): Promise<RunResult>;
  /** Long tasks seen while the page does nothing for `ms` (the machine's own noise floor). */
  idle(ms: number): Promise<{ longestTaskMs: number; totalBlockingMs: number; longTasks: number }>;
}
