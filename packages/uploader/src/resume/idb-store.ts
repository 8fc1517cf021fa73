/**
 * `IndexedDbResumeStore`: resume records (and Chromium file handles) in IndexedDB through idb-keyval, so an upload
 * survives a reload. Storage trouble never fails a transfer: the first IndexedDB error (quota, private mode, a
 * blocked database) logs one warning and the store turns into a no-op, which means "no resume", not "no upload".
 */
import { createStore, delMany, entries, get, set, type UseStore } from 'idb-keyval';
import { CosClientError, type ResumeStore, type TransferRecord } from '@coskit/core';
import { sanitizeRecord } from './record.ts';

/** Options of `IndexedDbResumeStore`; all optional. */
export interface IndexedDbResumeStoreOptions {
  /** @default 'coskit' */
  dbName?: string;
  /** @default 'transfers' */
  storeName?: string;
  /** Records (and file handles) untouched for longer are dropped when read or listed. @default 7 days */
  maxAgeMs?: number;
  /** Clock in ms since the epoch (tests inject one). @default Date.now */
  now?: () => number;
  /** An idb-keyval store to use instead of opening `dbName`/`storeName`. */
  customStore?: UseStore;
}

const DEFAULTS = Object.freeze({ dbName: 'coskit', storeName: 'transfers', maxAgeMs: 7 * 24 * 60 * 60 * 1000 });
const OPTION_KEYS: readonly string[] = ['dbName', 'storeName', 'maxAgeMs', 'now', 'customStore'];

/** Keys are arrays so records and file handles cannot collide whatever a fingerprint looks like. */
type EntryKey = ['record', string] | ['handle', string];
interface HandleEntry {
  handle: FileSystemFileHandle;
  savedAt: number;
}

/** A `ResumeStore` on IndexedDB; also keeps `FileSystemFileHandle`s so unfinished uploads continue without a picker. */
export class IndexedDbResumeStore implements ResumeStore {
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly options: IndexedDbResumeStoreOptions;
  private store: UseStore | undefined;
  private disabled = false;

  constructor(options: IndexedDbResumeStoreOptions = {}) {
    for (const name of Object.keys(options)) {
      if (!OPTION_KEYS.includes(name)) throw new CosClientError('InvalidArgument', `IndexedDbResumeStore: unknown option "${name}"`);
    }
    if (options.maxAgeMs !== undefined && !(options.maxAgeMs > 0)) throw new CosClientError('InvalidArgument', 'IndexedDbResumeStore maxAgeMs must be > 0');
    this.options = options;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULTS.maxAgeMs;
    this.now = options.now ?? Date.now;
  }

  /** `false` once IndexedDB failed and the store stopped remembering anything. */
  get available(): boolean {
    return !this.disabled;
  }

  /** The live record stored under `fingerprint`; an expired one is deleted and reads as `undefined`. */
  async get(fingerprint: string): Promise<TransferRecord | undefined> {
    return this.guard(undefined, async (store) => {
      const key: EntryKey = ['record', fingerprint];
      const record = sanitizeRecord(await get(key, store));
      if (record && !this.expired(record.updatedAt)) return record;
      if (record) await delMany([key], store);
      return undefined;
    });
  }

  /** Stores a copy holding only the record's known fields (never credentials). Resolves once the write committed. */
  async set(record: TransferRecord): Promise<void> {
    const clean = sanitizeRecord(record);
    if (!clean) throw new CosClientError('InvalidArgument', 'IndexedDbResumeStore.set: not a valid upload or download record');
    await this.guard(undefined, (store) => set(['record', clean.fingerprint] satisfies EntryKey, clean, store));
  }

  /** Forgets the record (done or canceled uploads). */
  async delete(fingerprint: string): Promise<void> {
    await this.guard(undefined, (store) => delMany([['record', fingerprint] satisfies EntryKey], store));
  }

  /** Every live record; expired ones (and their file handles' age-mates) are deleted on the way. */
  async list(): Promise<TransferRecord[]> {
    return this.guard([], async (store) => {
      const out: TransferRecord[] = [];
      const stale: IDBValidKey[] = [];
      for (const [key, value] of await entries<IDBValidKey, unknown>(store)) {
        if (!Array.isArray(key)) continue;
        if (key[0] === 'record') {
          const record = sanitizeRecord(value);
          if (record && !this.expired(record.updatedAt)) out.push(record);
          else stale.push(key);
        } else if (key[0] === 'handle' && this.expired((value as HandleEntry | undefined)?.savedAt ?? 0)) {
          stale.push(key);
        }
      }
      if (stale.length > 0) await delMany(stale, store);
      return out;
    });
  }

  /**
   * Keeps a file handle (Chromium's File System Access API; handles are structured-cloneable) under `id`, so the
   * file can be read again after a reload without the user picking it. See `handleIdFor` and `fileFromHandle`.
   */
  async saveFileHandle(id: string, handle: FileSystemFileHandle): Promise<void> {
    await this.guard(undefined, (store) => set(['handle', id] satisfies EntryKey, { handle, savedAt: this.now() } satisfies HandleEntry, store));
  }

  /** The handle saved under `id`, unless missing or older than `maxAgeMs`. */
  async getFileHandle(id: string): Promise<FileSystemFileHandle | undefined> {
    return this.guard(undefined, async (store) => {
      const key: EntryKey = ['handle', id];
      const entry = await get<HandleEntry>(key, store);
      if (!entry) return undefined;
      if (!this.expired(entry.savedAt)) return entry.handle;
      await delMany([key], store);
      return undefined;
    });
  }

  /** Forgets the handle saved under `id`. */
  async deleteFileHandle(id: string): Promise<void> {
    await this.guard(undefined, (store) => delMany([['handle', id] satisfies EntryKey], store));
  }

  private expired(at: number): boolean {
    return this.now() - at > this.maxAgeMs;
  }

  /** Runs `op`, or returns `fallback` when IndexedDB is unusable (warning once, then staying quiet). */
  private async guard<T>(fallback: T, op: (store: UseStore) => Promise<T>): Promise<T> {
    if (this.disabled) return fallback;
    try {
      if (typeof indexedDB === 'undefined' && !this.options.customStore) throw new DOMException('IndexedDB is not available', 'NotSupportedError');
      this.store ??= this.options.customStore ?? createStore(this.options.dbName ?? DEFAULTS.dbName, this.options.storeName ?? DEFAULTS.storeName);
      return await op(this.store);
    } catch (error) {
      this.disabled = true;
      console.warn('coskit: IndexedDB is unavailable, uploads will not resume after a reload:', error);
      return fallback;
    }
  }
}
