/**
 * An in-memory `ResumeStore`: resume within one page session (pause, failure, a new `uploadFile` of the same
 * file). Records are copied in and out, so callers cannot mutate what is stored. For resume across reloads use the
 * IndexedDB store from @coskit/uploader.
 */
import type { ResumeStore, TransferRecord } from './types.ts';

/** Options of `MemoryResumeStore`. */
export interface MemoryResumeStoreOptions {
  /** Records older than this (by `updatedAt`) are dropped. @default 7 days */
  maxAgeMs?: number;
}

const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** `ResumeStore` backed by a `Map`. */
export class MemoryResumeStore implements ResumeStore {
  private readonly records = new Map<string, TransferRecord>();
  private readonly maxAgeMs: number;

  constructor(options: MemoryResumeStoreOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  }

  async get(fingerprint: string): Promise<TransferRecord | undefined> {
    const record = this.records.get(fingerprint);
    if (!record) return undefined;
    if (this.expired(record)) {
      this.records.delete(fingerprint);
      return undefined;
    }
    return structuredClone(record);
  }

  async set(record: TransferRecord): Promise<void> {
    this.records.set(record.fingerprint, structuredClone(record));
  }

  async delete(fingerprint: string): Promise<void> {
    this.records.delete(fingerprint);
  }

  async list(): Promise<TransferRecord[]> {
    const out: TransferRecord[] = [];
    for (const [fingerprint, record] of this.records) {
      if (this.expired(record)) this.records.delete(fingerprint);
      else out.push(structuredClone(record));
    }
    return out;
  }

  private expired(record: TransferRecord): boolean {
    return Date.now() - record.updatedAt > this.maxAgeMs;
  }
}
