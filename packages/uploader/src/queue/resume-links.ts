/**
 * What ties queue items to the resume store: unfinished records (for `pending()` and `item.resumed`), stored file
 * handles (continue without a picker), and discarding a failed upload's server-side leftovers.
 */
import { isCosServiceError, type CosClient, type ResumeStore, type UploadRecord } from '@coskit/core';
import { IndexedDbResumeStore } from '../resume/idb-store.ts';
import { fileFromHandle, handleIdFor, handleIdForRecord } from '../resume/file-handle.ts';

/** Where the queue's uploads go: the bucket (and region) it passes to `uploadFile`, else the client's. */
export interface Destination {
  bucket: string | undefined;
  region: string | undefined;
}

/** The queue's view of its resume store. Every method tolerates a missing store (resume off). */
export class ResumeLinks {
  constructor(
    private readonly client: CosClient,
    private readonly store: ResumeStore | undefined,
    private readonly destination: Destination,
  ) {}

  private get bucket(): string {
    return this.destination.bucket ?? this.client.options.bucket ?? '';
  }

  private get handles(): IndexedDbResumeStore | undefined {
    return this.store instanceof IndexedDbResumeStore ? this.store : undefined;
  }

  /** Unfinished uploads in the store. */
  async pending(): Promise<UploadRecord[]> {
    const records = (await this.store?.list()) ?? [];
    return records.filter((r): r is UploadRecord => r.kind === 'upload');
  }

  /** Whether an unfinished upload of this very file to this key is recorded (so starting it continues that one). */
  async isRecorded(key: string, file: File): Promise<boolean> {
    const bucket = this.bucket;
    return (await this.pending()).some(
      (r) => r.bucket === bucket && r.key === key && r.size === file.size && r.file?.name === file.name && r.file.lastModified === file.lastModified,
    );
  }

  async rememberHandle(key: string, file: File, handle: FileSystemFileHandle): Promise<void> {
    await this.handles?.saveFileHandle(handleIdFor({ bucket: this.bucket, key, file }), handle);
  }

  async forgetHandle(key: string, file: File): Promise<void> {
    await this.handles?.deleteFileHandle(handleIdFor({ bucket: this.bucket, key, file }));
  }

  /** The still-unchanged file behind a record's stored handle, with the handle; `undefined` when unusable. */
  async fileFor(record: UploadRecord, options: { request?: boolean }): Promise<{ file: File; handle: FileSystemFileHandle } | undefined> {
    const id = handleIdForRecord(record);
    const handle = id === undefined ? undefined : await this.handles?.getFileHandle(id);
    const file = handle && (await fileFromHandle(handle, options));
    // Size and date as recorded: a file edited since would fail its parts' CRC checks anyway; do not even start.
    if (!handle || !file || file.size !== record.size || file.lastModified !== record.file?.lastModified) return undefined;
    return { file, handle };
  }

  /** Deletes the record and aborts the multipart upload a failed item left for resume (no orphaned parts). */
  async discard(key: string, uploadId: string): Promise<void> {
    for (const record of await this.pending()) if (record.uploadId === uploadId) await this.store?.delete(record.fingerprint);
    const { bucket, region } = this.destination;
    try {
      await this.client.abortMultipartUpload({ ...(bucket ? { bucket } : {}), ...(region ? { region } : {}), key, uploadId });
    } catch (error) {
      if (!(isCosServiceError(error) && error.code === 'NoSuchUpload')) throw error;
    }
  }
}
