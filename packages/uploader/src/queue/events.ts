/** The event side of `UploadQueue`: typed `addEventListener`, dispatch helpers and the progress throttle. */
import type { QueueItem, QueueProgress, UploadQueueEventMap } from './types.ts';

/** Queue-wide `progress` events at most this often (item handles already throttle to 500 ms / 1 MiB each). */
const PROGRESS_MS = 100;

/** Base of `UploadQueue`: an `EventTarget` dispatching the `CustomEvent`s of `UploadQueueEventMap`. */
export abstract class QueueEvents extends EventTarget {
  private lastProgressAt = -Infinity;

  /** Total progress, sent with every `progress` event. */
  abstract get progress(): QueueProgress;

  /** Dispatches `type` with `detail`; returns the event so a cancelable one can be checked. */
  protected emit<K extends keyof UploadQueueEventMap>(type: K, detail: UploadQueueEventMap[K]['detail'], cancelable = false): Event {
    const event = new CustomEvent(type, { detail, cancelable });
    this.dispatchEvent(event);
    return event;
  }

  /** A `progress` event unless one went out less than 100 ms ago (`force`: always, e.g. an item finished). */
  protected emitProgress(item: QueueItem | undefined, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastProgressAt < PROGRESS_MS) return;
    this.lastProgressAt = now;
    this.emit('progress', { ...(item ? { item } : {}), total: this.progress });
  }
}

// Typed listeners (declaration merging with the class).
export interface QueueEvents {
  addEventListener<K extends keyof UploadQueueEventMap>(
    type: K,
    listener: (this: QueueEvents, event: UploadQueueEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof UploadQueueEventMap>(
    type: K,
    listener: (this: QueueEvents, event: UploadQueueEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
