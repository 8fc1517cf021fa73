/** The upload queue and its adaptive part budget. */
export { UploadQueue } from './queue.ts';
export { AdaptivePartLimiter } from './limiter.ts';
export type { AdaptivePartLimiterOptions, LimiterChange } from './limiter.ts';
export type { QueueItem, QueueItemState, QueueProgress, QueueFileInput, QueueUploadOptions, UploadQueueOptions, UploadQueueEventMap } from './types.ts';
