/** Progress arithmetic for the queue: one item's starting point, and the total over items. */
import type { TransferProgressEvent } from '@coskit/core';
import type { QueueItem, QueueProgress } from './types.ts';

/** Progress of an item that has not moved yet. */
export function idleProgress(size: number): TransferProgressEvent {
  return { loaded: 0, total: size, percent: 0, speed: 0, eta: Infinity };
}

/** Progress of a finished item. */
export function doneProgress(size: number): TransferProgressEvent {
  return { loaded: size, total: size, percent: 100, speed: 0, eta: 0 };
}

/** Sum over the items that still count (canceled ones do not); speed only from items moving now. */
export function totalProgress(items: readonly QueueItem[]): QueueProgress {
  let loaded = 0;
  let total = 0;
  let speed = 0;
  for (const item of items) {
    if (item.state === 'canceled') continue;
    loaded += item.progress.loaded;
    total += item.file.size;
    if (item.state === 'uploading' || item.state === 'hashing') speed += item.progress.speed;
  }
  const left = Math.max(0, total - loaded);
  const settled = items.length > 0 && items.every((i) => i.state === 'done' || i.state === 'canceled' || i.state === 'failed');
  return {
    loaded,
    total,
    percent: total === 0 ? (settled ? 100 : 0) : Math.min(100, (loaded / total) * 100),
    speed,
    eta: left === 0 ? 0 : speed > 0 ? left / speed : Infinity,
  };
}
