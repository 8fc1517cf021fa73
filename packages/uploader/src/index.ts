/**
 * @coskit/uploader: the browser layer on top of @coskit/core. Hash workers (`WorkerHasher`), the IndexedDB resume
 * store (`IndexedDbResumeStore`), the multi-file `UploadQueue`, and the `<cos-uploader>` element (registered by
 * `@coskit/uploader/define`, never by this entry: importing it has no side effects).
 */
// <exports:workers>
export { WorkerHasher, setDefaultWorkerFactory, workerFromSource } from './workers/pool.ts';
export type { WorkerHasherOptions, HasherMode } from './workers/pool.ts';
export type {
  ToWorkerMessage,
  FromWorkerMessage,
  HashJobMessage,
  CancelJobMessage,
  ReadyMessage,
  HashDoneMessage,
  HashFailedMessage,
  HashCanceledMessage,
} from './workers/protocol.ts';
// </exports:workers>
// <exports:resume>
export { IndexedDbResumeStore } from './resume/idb-store.ts';
export type { IndexedDbResumeStoreOptions } from './resume/idb-store.ts';
export { fileFromHandle, handleIdFor, handleIdForRecord } from './resume/file-handle.ts';
export type { FileFromHandleOptions } from './resume/file-handle.ts';
// </exports:resume>
// <exports:queue>
export { UploadQueue, AdaptivePartLimiter } from './queue/index.ts';
export type {
  AdaptivePartLimiterOptions,
  LimiterChange,
  QueueItem,
  QueueItemState,
  QueueProgress,
  QueueFileInput,
  QueueUploadOptions,
  UploadQueueOptions,
  UploadQueueEventMap,
} from './queue/index.ts';
// </exports:queue>
// <exports:element>
export { CosUploader } from './element/cos-uploader.component.ts';
export type { AddFilesInput } from './element/cos-uploader.component.ts';
export type {
  CosUploaderEventMap,
  CosFileAddedDetail,
  CosFileRejectedDetail,
  CosBeforeUploadDetail,
  CosProgressDetail,
  CosUploadSuccessDetail,
  CosUploadErrorDetail,
  CosQueueCompleteDetail,
} from './element/events.ts';
export { en, zhCN } from './element/locales/index.ts';
export type { CosUploaderStrings, CosUploaderStringOverrides, RejectionReason } from './element/locales/index.ts';
export { parseSize } from './element/format.ts';
export { expandKeyTemplate, safePath, DEFAULT_KEY_TEMPLATE } from './element/keys.ts';
export type { KeyContext } from './element/keys.ts';
export { matchesAccept } from './element/rules.ts';
export { filesFromSource, collectEntries } from './element/drop.ts';
export type { FileCandidate } from './element/rules.ts';
export type { EntryLike, DropSource } from './element/drop.ts';
// </exports:element>
