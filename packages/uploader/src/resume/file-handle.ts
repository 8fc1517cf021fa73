/**
 * Reading a stored `FileSystemFileHandle` again (Chromium). Permission does not survive a reload: it must be
 * queried and, when the browser says `prompt`, requested during a user gesture (a click).
 */
import type { UploadRecord } from '@coskit/core';

/** The permission methods Chromium implements on handles (not yet in TypeScript's DOM lib). */
interface PermissionedHandle {
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

/** Options of `fileFromHandle`. */
export interface FileFromHandleOptions {
  /** Ask the user when permission is `prompt` (needs a user gesture). @default false */
  request?: boolean;
}

/** The handle's current `File`, or `undefined` when read permission is not granted (or the file is gone). */
export async function fileFromHandle(handle: FileSystemFileHandle, options: FileFromHandleOptions = {}): Promise<File | undefined> {
  const h = handle as FileSystemFileHandle & PermissionedHandle;
  let state: PermissionState = (await h.queryPermission?.({ mode: 'read' })) ?? 'granted';
  if (state === 'prompt' && options.request) state = (await h.requestPermission?.({ mode: 'read' })) ?? 'denied';
  if (state !== 'granted') return undefined;
  try {
    return await handle.getFile();
  } catch {
    // NotFoundError: moved or deleted since; the caller falls back to asking for the file again.
    return undefined;
  }
}

/**
 * The id a file handle is saved under for an upload: destination plus the file's facts, which the resume record
 * keeps too, so `pending()` records lead back to their handle.
 */
export function handleIdFor(target: { bucket: string; key: string; file: { name: string; size: number; lastModified: number } }): string {
  return JSON.stringify([target.bucket, target.key, target.file.name, target.file.size, target.file.lastModified]);
}

/** `handleIdFor` for a stored upload record (`undefined` when the record has no file facts). */
export function handleIdForRecord(record: UploadRecord): string | undefined {
  return record.file ? handleIdFor({ bucket: record.bucket, key: record.key, file: record.file }) : undefined;
}
