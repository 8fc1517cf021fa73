/** The `cos-*` events of `<cos-uploader>`: detail types and the map the define file merges into the DOM's typings. */
import type { CosError } from '@coskit/core';
import type { QueueItem, QueueProgress } from '../queue/index.ts';
import type { RejectionReason } from './locales/en.ts';

/** `cos-file-added`: a file passed the checks and is in the queue. */
export interface CosFileAddedDetail {
  item: QueueItem;
}

/** `cos-file-rejected`: a file was not added; `reason` says which rule, `message` is the text shown. */
export interface CosFileRejectedDetail {
  file: File;
  relativePath: string | undefined;
  reason: RejectionReason;
  message: string;
}

/**
 * `cos-before-upload` (cancelable): the upload of `item` is about to start. Assign `key` or `meta` to change where
 * and with which metadata it is stored; `preventDefault()` to keep it from uploading (it ends `canceled`).
 */
export interface CosBeforeUploadDetail {
  readonly item: QueueItem;
  readonly file: File;
  key: string;
  meta: Record<string, string>;
}

/** `cos-progress`: bytes moved, for one item (when it is an item's progress) and for the whole queue. */
export interface CosProgressDetail {
  item: QueueItem | undefined;
  total: QueueProgress;
}

/** `cos-upload-success`: the object is stored and its CRC-64 matched the server's. */
export interface CosUploadSuccessDetail {
  item: QueueItem;
  key: string;
  /** ETag as COS returned it (with quotes). */
  etag: string;
  /** Unsigned decimal CRC-64 of the whole object (`x-cos-hash-crc64ecma`). */
  crc64: string;
  /** URL of the object (no signature). */
  location: string;
}

/** `cos-upload-error`: an upload failed for good (retries spent); `error` is typed (`CosServiceError`/`CosClientError`). */
export interface CosUploadErrorDetail {
  item: QueueItem;
  error: CosError | Error;
}

/** `cos-queue-complete`: nothing is queued or running any more. */
export interface CosQueueCompleteDetail {
  items: QueueItem[];
  done: number;
  failed: number;
}

/** Every event `<cos-uploader>` dispatches (all bubble and are composed). */
export interface CosUploaderEventMap {
  'cos-file-added': CustomEvent<CosFileAddedDetail>;
  'cos-file-rejected': CustomEvent<CosFileRejectedDetail>;
  'cos-before-upload': CustomEvent<CosBeforeUploadDetail>;
  'cos-progress': CustomEvent<CosProgressDetail>;
  'cos-upload-success': CustomEvent<CosUploadSuccessDetail>;
  'cos-upload-error': CustomEvent<CosUploadErrorDetail>;
  'cos-queue-complete': CustomEvent<CosQueueCompleteDetail>;
}
