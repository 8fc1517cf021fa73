/**
 * Lazy image thumbnails. Nothing is read or decoded until a row scrolls into view (IntersectionObserver); then an
 * object URL goes into an `<img decoding="async">`, so the browser decodes off the main thread, and the URL is
 * revoked once the image has loaded (the decoded picture stays) or the row goes away.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

// Formats every current browser decodes in <img>; others (HEIC, TIFF, RAW) just get the generic icon.
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/svg+xml']);
/** Above this size a thumbnail costs more memory and decode time than it is worth. */
const MAX_PREVIEW_BYTES = 25 * 1024 * 1024;

/** Whether a file gets a thumbnail at all. */
export function canPreview(file: Blob): boolean {
  return PREVIEWABLE.has(file.type) && file.size <= MAX_PREVIEW_BYTES;
}

/** Host-side bookkeeping of thumbnails, keyed by queue item id. */
export class Thumbnails implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #files = new Map<string, Blob>();
  readonly #urls = new Map<string, string>();
  readonly #visible = new Set<string>();
  /** Ids whose image loaded once (its URL is revoked) and ids the browser could not decode. */
  readonly #loaded = new Set<string>();
  readonly #broken = new Set<string>();
  #observer: IntersectionObserver | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Starts watching placeholders (`[data-thumb]`) in `root` for files that can be previewed. */
  scan(root: ParentNode, fileOf: (id: string) => Blob | undefined): void {
    if (typeof IntersectionObserver === 'undefined') return;
    this.#observer ??= new IntersectionObserver((entries) => this.#onIntersect(entries), { rootMargin: '200px' });
    for (const el of root.querySelectorAll<HTMLElement>('[data-thumb]')) {
      const id = el.dataset.thumb!;
      if (this.#visible.has(id) || this.#broken.has(id)) continue;
      const file = fileOf(id);
      if (!file || !canPreview(file)) continue;
      this.#files.set(id, file);
      this.#observer.observe(el);
    }
  }

  /** The object URL to show for `id`, once its row has been seen. */
  url(id: string): string | undefined {
    return this.#urls.get(id);
  }

  /** The `<img>` loaded: the URL is no longer needed. */
  loaded(id: string): void {
    const url = this.#urls.get(id);
    if (url) URL.revokeObjectURL(url);
    this.#loaded.add(id);
  }

  /**
   * The `<img>` failed. After an earlier load that means the element was re-created with the revoked URL: make a
   * fresh one on the next scan. Otherwise the file does not decode: stop trying.
   */
  failed(id: string): void {
    const reloadable = this.#loaded.has(id);
    this.forget(id);
    if (!reloadable) this.#broken.add(id);
    this.#host.requestUpdate();
  }

  /** The row is gone: drop everything held for it. */
  forget(id: string): void {
    this.loaded(id);
    this.#urls.delete(id);
    this.#files.delete(id);
    this.#visible.delete(id);
    this.#loaded.delete(id);
  }

  /** Drops what is held for rows that no longer exist. */
  prune(live: ReadonlySet<string>): void {
    for (const id of new Set([...this.#files.keys(), ...this.#urls.keys()])) if (!live.has(id)) this.forget(id);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    for (const id of [...this.#urls.keys()]) this.forget(id);
    this.#files.clear();
  }

  #onIntersect(entries: IntersectionObserverEntry[]): void {
    let changed = false;
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const el = entry.target as HTMLElement;
      this.#observer?.unobserve(el);
      const id = el.dataset.thumb!;
      const file = this.#files.get(id);
      if (!file || this.#visible.has(id)) continue;
      this.#visible.add(id);
      this.#urls.set(id, URL.createObjectURL(file));
      changed = true;
    }
    if (changed) this.#host.requestUpdate();
  }
}
