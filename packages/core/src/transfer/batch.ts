/**
 * Many files at once: `uploadFiles` / `uploadFolder` and `downloadFolder`. A file-level pool (default 3 files at
 * once, each with its own part concurrency), total progress over all files, and a result per file: one failure
 * never throws away the others (an abort of `signal` does reject, with `signal.reason`, like fetch).
 */
import type { CosClient } from '../client.ts';
import { invalidArgument, isCosServiceError } from '../errors.ts';
import { assertKnownKeys, assertPrefix } from '../validate.ts';
import { defaultHasher } from './hasher.ts';
import { checkDownloadInput, DOWNLOAD_INPUT_KEYS, downloadFile, type DownloadFileInput, type DownloadOutput } from './download.ts';
import { drain } from './pool.ts';
import { ProgressMeter } from './progress.ts';
import type { TransferProgressEvent } from './types.ts';
import { checkUploadInput, UPLOAD_INPUT_KEYS, uploadFile, type UploadFileInput, type UploadFileResult } from './upload.ts';

const DEFAULT_FILE_CONCURRENCY = 3;

/** Options every file of a batch upload shares (everything `uploadFile` takes except the per-file ones). */
export type SharedUploadOptions = Omit<UploadFileInput, 'key' | 'file' | 'signal' | 'onProgress' | 'onStateChange' | 'concurrency'>;

/** Input of `uploadFiles`: the files with their keys, plus options every file shares. */
export interface UploadFilesInput extends SharedUploadOptions {
  files: Array<{ file: Blob; key: string }>;
  /** Files uploading at once. @default 3 */
  concurrency?: number;
  /** Parts in flight per file (`uploadFile`'s `concurrency`). @default 5 */
  partConcurrency?: number;
  /** HEAD each key first and skip files whose object has the same size and CRC-64. @default false */
  skipExisting?: boolean;
  /** Stops every file (resumable ones keep their records) and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Progress over all files together. */
  onProgress?: (progress: TransferProgressEvent) => void;
  /** Called as each file settles, in completion order. */
  onFileComplete?: (entry: UploadFileEntry) => void;
}

/** The outcome for one file of a batch upload. */
export interface UploadFileEntry {
  key: string;
  status: 'uploaded' | 'skipped' | 'failed';
  result?: UploadFileResult;
  error?: unknown;
}

/** What `uploadFiles` / `uploadFolder` resolve with. */
export interface UploadFilesResult {
  /** One entry per input file, in input order. */
  results: UploadFileEntry[];
}

const BATCH_KEYS = ['files', 'concurrency', 'partConcurrency', 'skipExisting', 'onFileComplete'];
/** Options that name one file: not batch options. */
const PER_FILE_KEYS = ['key', 'file', 'output', 'onStateChange'];

function fileConcurrency(value: unknown): number {
  const n = value ?? DEFAULT_FILE_CONCURRENCY;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100) throw invalidArgument(`concurrency must be an integer from 1 to 100; got ${String(n)}`);
  return n;
}

/** Uploads many files; see `UploadFilesInput`. Input errors throw before any request. */
export async function uploadFiles(client: CosClient, input: UploadFilesInput): Promise<UploadFilesResult> {
  if (typeof input !== 'object' || input === null) throw invalidArgument('uploadFiles takes an options object');
  assertKnownKeys(input, [...UPLOAD_INPUT_KEYS.filter((k) => !PER_FILE_KEYS.includes(k)), ...BATCH_KEYS], 'uploadFiles');
  const { files, concurrency, partConcurrency, skipExisting, signal, onProgress, onFileComplete, ...shared } = input;
  if (!Array.isArray(files)) throw invalidArgument('files must be an array of { file, key }');
  const limit = fileConcurrency(concurrency);
  // Validate every file's options now, so a bad key fails the call instead of becoming one failed entry.
  for (const entry of files) {
    if (typeof entry !== 'object' || entry === null) throw invalidArgument('each file must be { file, key }');
    assertKnownKeys(entry, ['file', 'key'], 'uploadFiles file');
    checkUploadInput(client, { ...shared, key: entry.key, file: entry.file, concurrency: partConcurrency });
  }
  const total = files.reduce((sum, f) => sum + f.file.size, 0);
  const loaded = new Map<number, number>();
  const meter = new ProgressMeter(total, (p) => onProgress?.(p));
  const report = (i: number, bytes: number): void => {
    loaded.set(i, bytes);
    let sum = 0;
    for (const b of loaded.values()) sum += b;
    meter.update(sum);
  };
  const results: UploadFileEntry[] = files.map((f) => ({ key: f.key, status: 'failed' }));
  const hasher = shared.hasher ?? client.options.hasher ?? defaultHasher();
  await drain(files.keys(), limit, signal ?? new AbortController().signal, async (i, fileSignal) => {
    const { file, key } = files[i]!;
    const settle = (entry: UploadFileEntry): void => {
      results[i] = entry;
      report(i, file.size);
      onFileComplete?.(entry);
    };
    try {
      if (skipExisting && (await sameObjectExists(client, shared, key, file, hasher, fileSignal))) return settle({ key, status: 'skipped' });
      const handle = uploadFile(client, {
        ...shared,
        key,
        file,
        concurrency: partConcurrency,
        signal: fileSignal,
        onProgress: (p) => report(i, p.loaded),
      });
      settle({ key, status: 'uploaded', result: await handle.done });
    } catch (error) {
      // The batch's own abort ends the batch; anything else is this file's failure only.
      if (fileSignal.aborted) throw fileSignal.reason;
      settle({ key, status: 'failed', error });
    }
  });
  meter.finish();
  return { results };
}

async function sameObjectExists(
  client: CosClient,
  shared: SharedUploadOptions,
  key: string,
  file: Blob,
  hasher: NonNullable<UploadFileInput['hasher']>,
  signal: AbortSignal,
): Promise<boolean> {
  let head: { size: number; crc64: string | undefined };
  try {
    head = await client.headObject({ bucket: shared.bucket, region: shared.region, key, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    // As the seeds' batch upload: a missing object, or one we may not HEAD (a PutObject-only policy), is uploaded.
    if (isCosServiceError(error)) return false;
    throw error;
  }
  if (head.size !== file.size || head.crc64 === undefined) return false;
  return (await hasher.hash(file, { signal })).crc64 === head.crc64;
}

/** Input of `uploadFolder`: picked or dropped files and the key prefix they go under. */
export interface UploadFolderInput extends Omit<UploadFilesInput, 'files'> {
  /** Files from `<input type=file webkitdirectory>` (or a drop): each key is `prefix` + `webkitRelativePath` (or name). */
  files: File[] | FileList;
  /** Key prefix; a `/` is added between it and the relative path when missing. '' = bucket root. */
  prefix: string;
}

/** The key a folder file is uploaded to. */
export function folderKey(prefix: string, file: File): string {
  const relative = (file.webkitRelativePath || file.name).replace(/^\/+/, '');
  if (prefix === '') return relative;
  return prefix.endsWith('/') ? prefix + relative : `${prefix}/${relative}`;
}

/** Uploads a folder's files under `prefix`, keeping their relative paths. */
export function uploadFolder(client: CosClient, input: UploadFolderInput): Promise<UploadFilesResult> {
  if (typeof input !== 'object' || input === null) throw invalidArgument('uploadFolder takes an options object');
  const { files, prefix, ...rest } = input;
  assertPrefix(prefix);
  if (files === null || typeof files !== 'object' || typeof (files as ArrayLike<File>).length !== 'number') {
    throw invalidArgument('files must be an array of File or a FileList');
  }
  const list = Array.from(files as ArrayLike<File>);
  for (const file of list) if (typeof File === 'undefined' || !(file instanceof File)) throw invalidArgument('every entry of files must be a File');
  return uploadFiles(client, { ...rest, files: list.map((file) => ({ file, key: folderKey(prefix, file) })) });
}

/** One object of a folder download. */
export interface FolderEntry {
  key: string;
  /** The key without the prefix (and a leading `/`). */
  relativePath: string;
  size: number;
}

/** Input of `downloadFolder`: a prefix, where each object goes, and options every download shares. */
export interface DownloadFolderInput extends Omit<DownloadFileInput, 'key' | 'output' | 'signal' | 'onProgress' | 'onStateChange' | 'concurrency'> {
  /** Every object under this prefix (all pages); directory markers (keys ending in `/`) are skipped. */
  prefix: string;
  /** Called with each downloaded object; `blob` is set when no `output` is used. May be async (the pool waits). */
  onFile?: (entry: FolderEntry & { blob?: Blob }) => void | Promise<void>;
  /** Where each object goes (e.g. a file in a picked directory); default a Blob handed to `onFile`. */
  output?: (entry: FolderEntry) => DownloadOutput | Promise<DownloadOutput>;
  /** Files downloading at once. @default 3 */
  concurrency?: number;
  /** Ranges in flight per file (`downloadFile`'s `concurrency`). @default 5 */
  partConcurrency?: number;
  signal?: AbortSignal;
  /** Progress over all files together (the total is known once the listing is done). */
  onProgress?: (progress: TransferProgressEvent) => void;
}

/** The outcome for one object of a folder download. */
export interface DownloadFolderEntry extends FolderEntry {
  status: 'downloaded' | 'failed';
  etag?: string;
  error?: unknown;
}

/** What `downloadFolder` resolves with. */
export interface DownloadFolderResult {
  /** One entry per object, in listing (key) order. */
  results: DownloadFolderEntry[];
}

/** Downloads every object under a prefix; see `DownloadFolderInput`. */
export async function downloadFolder(client: CosClient, input: DownloadFolderInput): Promise<DownloadFolderResult> {
  if (typeof input !== 'object' || input === null) throw invalidArgument('downloadFolder takes an options object');
  assertKnownKeys(input, [...DOWNLOAD_INPUT_KEYS.filter((k) => k !== 'key' && k !== 'onStateChange'), 'prefix', 'onFile', 'partConcurrency'], 'downloadFolder');
  const { prefix, onFile, output, concurrency, partConcurrency, signal, onProgress, ...shared } = input;
  assertPrefix(prefix);
  if (output !== undefined && typeof output !== 'function') throw invalidArgument('output must be a function returning a WritableStream');
  const limit = fileConcurrency(concurrency);
  // The shared options are checked once here, so a typo fails the call instead of every file.
  checkDownloadInput(client, { ...shared, key: prefix === '' ? 'k' : prefix, concurrency: partConcurrency });
  const entries: FolderEntry[] = [];
  for await (const object of client.listAllObjects({ bucket: shared.bucket, region: shared.region, prefix, signal })) {
    if (object.key.endsWith('/')) continue;
    entries.push({ key: object.key, relativePath: object.key.slice(prefix.length).replace(/^\/+/, ''), size: object.size });
  }
  const meter = new ProgressMeter(entries.reduce((sum, e) => sum + e.size, 0), (p) => onProgress?.(p));
  const loaded = new Map<number, number>();
  const report = (i: number, bytes: number): void => {
    loaded.set(i, bytes);
    let sum = 0;
    for (const b of loaded.values()) sum += b;
    meter.update(sum);
  };
  const results: DownloadFolderEntry[] = entries.map((e) => ({ ...e, status: 'failed' }));
  await drain(entries.keys(), limit, signal ?? new AbortController().signal, async (i, fileSignal) => {
    const entry = entries[i]!;
    try {
      const handle = downloadFile(client, {
        ...shared,
        key: entry.key,
        ...(output ? { output: await output(entry) } : {}),
        concurrency: partConcurrency,
        signal: fileSignal,
        onProgress: (p) => report(i, p.loaded),
      });
      const out = await handle.done;
      await onFile?.({ ...entry, ...(out.blob ? { blob: out.blob } : {}) });
      results[i] = { ...entry, status: 'downloaded', etag: out.etag };
    } catch (error) {
      if (fileSignal.aborted) throw fileSignal.reason;
      results[i] = { ...entry, status: 'failed', error };
    }
    report(i, entry.size);
  });
  meter.finish();
  return { results };
}
