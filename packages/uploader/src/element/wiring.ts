/**
 * Queue -> element: re-dispatches the `UploadQueue`'s events as the element's `cos-*` events (bubbling, composed),
 * lets the page rename/cancel in `cos-before-upload`, and feeds the live region with results, not percentages.
 */
import type { CosError } from '@coskit/core';
import type { QueueItem, UploadQueue, UploadQueueEventMap } from '../queue/index.ts';
import type { CosUploaderEventMap } from './events.ts';
import type { CosUploaderStrings } from './locales/en.ts';

/** What the wiring needs from the element (closures over its private methods, so none of them become public). */
export interface WiringHost {
  emit<K extends keyof CosUploaderEventMap>(type: K, detail: CosUploaderEventMap[K]['detail'], cancelable?: boolean): boolean;
  announce(message: string): void;
  strings(): CosUploaderStrings;
  requestUpdate(): void;
}

/** Subscribes `host` to `queue`; returns the unsubscribe function. */
export function wireQueue(queue: UploadQueue, host: WiringHost): () => void {
  const offs: Array<() => void> = [];
  const on = <D>(type: string, listener: (event: CustomEvent<D>) => void): void => {
    const l = listener as EventListener;
    queue.addEventListener(type, l);
    offs.push(() => queue.removeEventListener(type, l));
  };
  const nameOf = (item: QueueItem): string => item.relativePath || item.file.name;

  on('item-added', (e: UploadQueueEventMap['item-added']) => {
    host.emit('cos-file-added', { item: e.detail.item });
    host.requestUpdate();
  });
  on('before-upload', (e: UploadQueueEventMap['before-upload']) => {
    const { item } = e.detail;
    const detail = { item, file: item.file, key: item.key, meta: { ...item.meta } };
    if (!host.emit('cos-before-upload', detail, true)) {
      e.preventDefault();
      return;
    }
    // The page may have assigned a new key or metadata; the queue reads them off the item after this event.
    item.key = detail.key;
    item.meta = detail.meta;
  });
  on('item-state', () => host.requestUpdate());
  on('item-removed', () => host.requestUpdate());
  on('progress', (e: UploadQueueEventMap['progress']) => {
    host.emit('cos-progress', { item: e.detail.item, total: e.detail.total });
    host.requestUpdate();
  });
  on('item-success', (e: UploadQueueEventMap['item-success']) => {
    const { item, result } = e.detail;
    host.emit('cos-upload-success', { item, key: result.key, etag: result.etag, crc64: result.crc64 ?? '', location: result.location });
    host.announce(host.strings().announce.done(nameOf(item)));
    host.requestUpdate();
  });
  on('item-error', (e: UploadQueueEventMap['item-error']) => {
    const { item } = e.detail;
    const error = e.detail.error as CosError | Error;
    host.emit('cos-upload-error', { item, error });
    host.announce(host.strings().announce.failed(nameOf(item), error.message));
    host.requestUpdate();
  });
  on('complete', (e: UploadQueueEventMap['complete']) => {
    const items = e.detail.items;
    const done = items.filter((i) => i.state === 'done').length;
    const failed = items.filter((i) => i.state === 'failed').length;
    host.emit('cos-queue-complete', { items, done, failed });
    host.announce(host.strings().announce.complete(done, failed));
    host.requestUpdate();
  });
  return () => offs.forEach((off) => off());
}
