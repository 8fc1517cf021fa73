import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { CosClientError, type CosClient, type CredentialsProvider, type Hasher, type ResumeStore, type UploadRecord } from '@coskit/core';
import { UploadQueue, type QueueItem, type QueueUploadOptions } from '../queue/index.ts';
import { IndexedDbResumeStore } from '../resume/idb-store.ts';
import { WorkerHasher } from '../workers/pool.ts';
import { styles } from './cos-uploader.styles.ts';
import { clientFor, discardUpload } from './connection.ts';
import { DropController, relativePathOf } from './drop.ts';
import type { CosUploaderEventMap } from './events.ts';
import { formatBytes, parseCount, parseSize } from './format.ts';
import { DEFAULT_KEY_TEMPLATE, expandKeyTemplate } from './keys.ts';
import { resolveStrings, type CosUploaderStringOverrides, type CosUploaderStrings } from './locales/index.ts';
import { checkFiles, type FileCandidate, type FileRules } from './rules.ts';
import { itemList, pendingList, rejectionList, toolbar, type ItemAction, type Rejection, type RowContext, type ToolbarActions } from './templates.ts';
import { Thumbnails } from './thumbnail.ts';
import { wireQueue } from './wiring.ts';

/** What `addFiles` takes: files, or files with the folder-relative path they came from. */
export type AddFilesInput = Iterable<File | FileCandidate> | FileList;

// One worker pool and one IndexedDB store for every uploader on the page, made on first use.
let sharedHasher: Hasher | undefined;
let sharedStore: ResumeStore | undefined;

/**
 * Dispatches a `cos-*` event (bubbles, composed); false when a cancelable one was canceled. Outside the class so
 * the manifest analyzer does not list a bogus event named after the parameter.
 */
function dispatch<K extends keyof CosUploaderEventMap>(target: HTMLElement, type: K, detail: CosUploaderEventMap[K]['detail'], cancelable: boolean): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
}

/** Properties the queue (and its client) are built from. */
const QUEUE_SETTINGS = ['client', 'credentials', 'credentialsUrl', 'credentialsMethod', 'bucket', 'region', 'endpoint', 'resumeStore', 'hasher', 'uploadOptions', 'partSize', 'concurrency'];

/** `auto-start` is on unless the attribute says `"false"` (a plain boolean attribute could never be turned off). */
const defaultOn = { fromAttribute: (value: string | null) => value === null || value !== 'false', toAttribute: (v: boolean) => String(v) };

/**
 * @summary Drop-in file uploader for Tencent Cloud COS: pick, drop (whole folders) or paste files; verified,
 * resumable, parallel uploads with per-file and total progress, pause/resume/cancel/retry, and resume after reload.
 *
 * @event {CustomEvent<CosFileAddedDetail>} cos-file-added - A file passed the checks and was queued. `detail: { item }`
 * @event {CustomEvent<CosFileRejectedDetail>} cos-file-rejected - A file was not added. `detail: { file, relativePath, reason, message }`
 * @event {CustomEvent<CosBeforeUploadDetail>} cos-before-upload - Cancelable; an upload is about to start. Assign `detail.key` / `detail.meta` to change them. `detail: { item, file, key, meta }`
 * @event {CustomEvent<CosProgressDetail>} cos-progress - Bytes moved. `detail: { item, total }`
 * @event {CustomEvent<CosUploadSuccessDetail>} cos-upload-success - An object is stored and verified. `detail: { item, key, etag, crc64, location }`
 * @event {CustomEvent<CosUploadErrorDetail>} cos-upload-error - An upload failed after its retries. `detail: { item, error }`
 * @event {CustomEvent<CosQueueCompleteDetail>} cos-queue-complete - Nothing is queued or running any more. `detail: { items, done, failed }`
 *
 * @slot drop-zone - Text of the drop zone (default: "Drag files here, paste them, or").
 * @slot empty - What the list shows with no files.
 *
 * @csspart base - The outer box; also the drop target.
 * @csspart dropzone - The area with the drop-zone text and the picker button; `data-dragging` while files are dragged over.
 * @csspart drop-label - The drop-zone text around the `drop-zone` slot.
 * @csspart browse-button - The "Choose files" (or "Choose a folder") button.
 * @csspart input - The hidden `<input type=file>`.
 * @csspart error - A configuration or cleanup error (`role=alert`).
 * @csspart rejections - The "Not added" section.
 * @csspart rejections-heading - Its heading.
 * @csspart rejection-list - Its list.
 * @csspart rejection - One rejected file.
 * @csspart rejection-name - The rejected file's name.
 * @csspart rejection-reason - Why it was rejected.
 * @csspart dismiss-button - Removes a rejection from the list.
 * @csspart pending - Unfinished uploads from an earlier visit.
 * @csspart pending-heading - Its heading.
 * @csspart pending-hint - Its explanation.
 * @csspart pending-list - Its list.
 * @csspart pending-item - One unfinished upload (also has the row parts: thumbnail, item-body, item-name, item-progress…).
 * @csspart reselect-button - Picks the file again (or reads its stored handle) to continue.
 * @csspart discard-button - Aborts the unfinished upload on the server and forgets it.
 * @csspart toolbar - Total progress and the queue buttons.
 * @csspart summary - Total progress bar and text.
 * @csspart total-progress - The total progress bar's track (`role=progressbar`).
 * @csspart total-progress-bar - The total progress bar's fill.
 * @csspart total-text - The line under the total bar.
 * @csspart total-size - Percent and bytes of all files.
 * @csspart total-speed - Upload speed of all files.
 * @csspart total-eta - Time left for all files.
 * @csspart start-button - Starts uploading (shown with `auto-start="false"` while files are queued).
 * @csspart pause-all-button - Pauses every upload.
 * @csspart resume-all-button - Resumes every paused upload.
 * @csspart cancel-all-button - Cancels every unfinished upload.
 * @csspart clear-button - Removes done and canceled rows.
 * @csspart list - The file list.
 * @csspart item - One file's row.
 * @csspart item-queued - A row whose file waits to start (likewise item-hashing, item-uploading, item-paused, item-done, item-failed, item-canceled).
 * @csspart item-hashing - A row whose file is being checked (resume lookup, checksums).
 * @csspart item-uploading - A row whose file is uploading.
 * @csspart item-paused - A paused row.
 * @csspart item-done - A finished row.
 * @csspart item-failed - A failed row.
 * @csspart item-canceled - A canceled row.
 * @csspart thumbnail - The thumbnail box (image preview, or the file extension).
 * @csspart thumbnail-image - The preview image.
 * @csspart item-body - Name, state, progress and details of a row.
 * @csspart item-header - The name and state line.
 * @csspart item-name - The file name (its relative path for folder uploads).
 * @csspart item-state - The state label.
 * @csspart item-progress - A row's progress bar track (`role=progressbar`).
 * @csspart item-progress-bar - A row's progress bar fill.
 * @csspart item-meta - The size, speed, time-left and error line.
 * @csspart item-size - Percent and bytes, or the size once done.
 * @csspart item-speed - Upload speed.
 * @csspart item-eta - Time left.
 * @csspart item-error - Why the upload failed (the server's or client's message, as text).
 * @csspart item-actions - The row's buttons.
 * @csspart item-button - Every row button (with one of the names below).
 * @csspart pause-button - Pauses the file.
 * @csspart resume-button - Resumes the file.
 * @csspart retry-button - Uploads a failed or canceled file again.
 * @csspart cancel-button - Cancels the file (its multipart upload is aborted).
 * @csspart remove-button - Removes a finished row.
 * @csspart empty - The empty state around the `empty` slot.
 * @csspart announcer - The visually hidden `aria-live=polite` region.
 *
 * @cssproperty --cos-font-family - Font stack.
 * @cssproperty --cos-font-size - Base font size. @default 0.875rem
 * @cssproperty --cos-radius - Corner radius. @default 8px
 * @cssproperty --cos-spacing - Padding and gaps. @default 0.75rem
 * @cssproperty --cos-thumbnail-size - Thumbnail edge. @default 40px
 * @cssproperty --cos-progress-height - Progress bar height. @default 6px
 * @cssproperty --cos-focus-ring - Box shadow of focused buttons.
 * @cssproperty --cos-color-text - Text colour.
 * @cssproperty --cos-color-muted - Secondary text colour.
 * @cssproperty --cos-color-background - Background.
 * @cssproperty --cos-color-surface - Rows and drop zone background.
 * @cssproperty --cos-color-border - Borders.
 * @cssproperty --cos-color-accent - Buttons, focus and progress fill.
 * @cssproperty --cos-color-accent-text - Text on accent buttons.
 * @cssproperty --cos-color-success - Done state.
 * @cssproperty --cos-color-danger - Failures and rejections.
 * @cssproperty --cos-color-track - Progress track and thumbnail box.
 * @cssproperty --cos-color-drop - Drop zone while dragging over it.
 */
export class CosUploader extends LitElement {
  static override styles = styles;

  /** Bucket, `name-appid`. */
  @property() bucket = '';
  /** Region, e.g. `ap-guangzhou`. */
  @property() region = '';
  /** URL answering temporary keys (qcloud-cos-sts or cos-js-sdk-v5 shape); fetched when keys are needed. */
  @property({ attribute: 'credentials-url' }) credentialsUrl = '';
  /** HTTP method for `credentials-url`. POST sends `{ bucket, region, prefix }` as JSON. @default 'GET' */
  @property({ attribute: 'credentials-method' }) credentialsMethod: 'GET' | 'POST' = 'GET';
  /** Endpoint template or custom domain (`http://{Bucket}.cos.{Region}.localhost:9000` for the emulator). */
  @property() endpoint = '';
  /**
   * Key prefix, e.g. `uploads/` (the `{prefix}` token); attribute `prefix`. Not named `prefix` as a property because
   * that is Element's read-only namespace prefix.
   */
  @property({ attribute: 'prefix' }) keyPrefix = '';
  /** How keys are made; tokens in `keys.ts`: `{prefix}{path}`, `{date}`, `{uuid}`, `{ext}`… @default '{prefix}{path}' */
  @property({ attribute: 'key-template' }) keyTemplate = DEFAULT_KEY_TEMPLATE;
  /** Allow several files per pick or drop. */
  @property({ type: Boolean }) multiple = false;
  /** Accepted types, as for `<input type=file>`: `image/*,.pdf`. */
  @property() accept = '';
  /** Largest file: bytes or `5GB`, `10 MB` (1024-based). */
  @property({ attribute: 'max-file-size' }) maxFileSize: string | number | undefined;
  /** Smallest file: bytes or `1 KB`. */
  @property({ attribute: 'min-file-size' }) minFileSize: string | number | undefined;
  /** Largest total of the files in the list. */
  @property({ attribute: 'max-total-size' }) maxTotalSize: string | number | undefined;
  /** Most files in the list. */
  @property({ attribute: 'max-files' }) maxFiles: string | number | undefined;
  /** The picker chooses a folder (its files keep their relative paths). */
  @property({ type: Boolean }) directory = false;
  /** Start uploading as soon as files are added; `auto-start="false"` shows a start button. @default true */
  @property({ attribute: 'auto-start', converter: defaultOn }) autoStart = true;
  /** Files uploading at once. @default the queue's */
  @property() concurrency: string | number | undefined;
  /** Multipart part size: bytes or `8MB`. @default the transfer engine's */
  @property({ attribute: 'part-size' }) partSize: string | number | undefined;
  /** Disables picking, dropping, pasting and the buttons. */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Colour scheme: follow the system (`auto`), or force `light` / `dark`. @default 'auto' */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';

  /** A ready `CosClient`; wins over bucket/region/endpoint/credentials attributes. */
  @property({ attribute: false }) client: CosClient | undefined;
  /** Provider of temporary keys; wins over `credentials-url`. */
  @property({ attribute: false }) credentials: CredentialsProvider | undefined;
  /** Names objects; wins over `key-template`. Return a key (no leading `/`). */
  @property({ attribute: false }) keyFor: ((file: File, relativePath: string | undefined) => string) | undefined;
  /** Partial string overrides over the built-in language. */
  @property({ attribute: false }) strings: CosUploaderStringOverrides | undefined;
  /** Resume store. @default one IndexedDbResumeStore shared by the page */
  @property({ attribute: false }) resumeStore: ResumeStore | undefined;
  /** Hasher. @default one WorkerHasher pool shared by the page */
  @property({ attribute: false }) hasher: Hasher | undefined;
  /**
   * Options for every upload (`uploadFile`'s: `sliceThreshold`, `storageClass`, `acl`, `contentMd5`, headers…);
   * `part-size` wins over `partSize` here. Read when the queue is made (first file or first use of `queue`).
   */
  @property({ attribute: false }) uploadOptions: QueueUploadOptions | undefined;

  @state() private _rejections: Rejection[] = [];
  @state() private _pending: UploadRecord[] = [];
  @state() private _error = '';
  @state() private _announcement = '';

  @query('input[type=file]') private _input!: HTMLInputElement;

  #queue: UploadQueue | undefined;
  #store: ResumeStore | undefined;
  #unwire: (() => void) | undefined;
  #thumbnails = new Thumbnails(this);
  #drop = new DropController(this, { enabled: () => !this.disabled, onFiles: (files) => this.#addFromUi(files) });
  #langObserver: MutationObserver | undefined;
  #rejectionId = 0;
  #announceBuffer: string[] = [];

  /** The files in the list (read-only snapshot of the queue's items). */
  get items(): readonly QueueItem[] {
    return this.#queue?.items ?? [];
  }

  /** The `UploadQueue` behind the element, made on first use (for advanced control and its events). */
  get queue(): UploadQueue {
    return this.#ensureQueue();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // `lang` may change on this element or any ancestor; re-render so strings follow.
    this.#langObserver = new MutationObserver(() => this.requestUpdate());
    this.#langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#langObserver?.disconnect();
  }

  protected override firstUpdated(): void {
    void this.#loadPending();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Connection settings are read when the queue is made; while it holds no files it can simply be made again.
    // Settings that arrive after the first render (say, `client` set later) also get unfinished uploads listed.
    const settingsChanged = QUEUE_SETTINGS.some((name) => changed.has(name as keyof CosUploader));
    if (this.hasUpdated && settingsChanged && (this.#queue?.items.length ?? 0) === 0) {
      this.#unwire?.();
      this.#queue?.dispose();
      this.#queue = undefined;
      void this.#loadPending();
    }
    if (changed.has('autoStart') && this.autoStart && this.#queue?.items.some((i) => i.state === 'queued')) this.#queue.start();
  }

  protected override updated(): void {
    this.#thumbnails.prune(new Set(this.items.map((item) => item.id)));
    this.#thumbnails.scan(this.renderRoot, (id) => this.items.find((item) => item.id === id)?.file);
  }

  /**
   * Checks and queues files (the same path as picking or dropping them): rejected ones are listed and emitted as
   * `cos-file-rejected`. Works while `disabled`. Throws `InvalidArgument` when the element has no way to upload or
   * an attribute value is malformed.
   */
  addFiles(input: AddFilesInput): QueueItem[] {
    const queue = this.#ensureQueue();
    const strings = this.#strings();
    const candidates: FileCandidate[] = Array.from(input as Iterable<File | FileCandidate>, (f) =>
      f instanceof File ? { file: f, relativePath: relativePathOf(f) } : f,
    );
    const live = queue.items.filter((item) => item.state !== 'canceled' && item.state !== 'failed');
    const verdict = checkFiles(candidates, live, this.#rules(), (n) => formatBytes(n, strings, this.#locale()));
    for (const r of verdict.rejected) this.#reject(r, strings.rejected[r.reason](r.reason === 'type' ? this.accept : r.limit));
    const entries = [];
    for (const candidate of verdict.accepted) {
      try {
        const { file, relativePath, handle } = candidate;
        entries.push({ file, relativePath, key: this.#keyOf(candidate), ...(handle ? { handle } : {}) });
      } catch (error) {
        this.#reject({ ...candidate, reason: 'key' }, strings.rejected.key((error as Error).message));
      }
    }
    const items = entries.length > 0 ? queue.add(entries) : [];
    // A microtask later, like the queue's own autoStart: listeners added right after addFiles() see the start.
    if (items.length > 0 && this.autoStart) queueMicrotask(() => queue.start());
    if (items.length > 0) this.#announce(strings.announce.added(items.length));
    this.requestUpdate();
    return items;
  }

  /** Starts queued uploads (needed with `auto-start="false"`). */
  start(): void {
    this.#ensureQueue().start();
  }

  /** Pauses every running or queued upload; parts already sent are kept. */
  pauseAll(): void {
    this.#queue?.pauseAll();
    this.#announce(this.#strings().announce.paused);
  }

  /** Resumes every paused upload. */
  resumeAll(): void {
    this.#queue?.resumeAll();
    this.#announce(this.#strings().announce.resumed);
  }

  /** Cancels every unfinished upload; resolves once their multipart uploads are aborted on the server. */
  async cancelAll(): Promise<void> {
    this.#announce(this.#strings().announce.canceled);
    await this.#queue?.cancelAll();
  }

  /** Removes finished rows (done and canceled; failed ones stay for Retry) and the rejection list. */
  clear(): void {
    this.#queue?.clear();
    this._rejections = [];
    this.requestUpdate();
  }

  protected override render(): unknown {
    const strings = this.#strings();
    const locale = this.#locale();
    const items = this.items;
    const drop = this.#drop;
    const ctx: RowContext = {
      strings,
      locale,
      disabled: this.disabled,
      thumbnail: (id) => this.#thumbnails.url(id),
      thumbnailLoaded: (id) => this.#thumbnails.loaded(id),
      thumbnailFailed: (id) => this.#thumbnails.failed(id),
      act: (action, item, event) => this.#act(action, item, event),
    };
    return html`<div
      part="base"
      class="base"
      lang=${locale}
      @dragenter=${drop.onDragEnter}
      @dragover=${drop.onDragOver}
      @dragleave=${drop.onDragLeave}
      @drop=${drop.onDrop}
    >
      <div part="dropzone" class="dropzone" ?data-dragging=${drop.dragging}>
        <p part="drop-label" class="drop-label">
          <slot name="drop-zone">${drop.dragging ? strings.dropActive : strings.dropHint}</slot>
        </p>
        <button part="browse-button" class="primary" type="button" ?disabled=${this.disabled} @click=${this.#browse}>
          ${this.directory ? strings.browseFolder : strings.browse}
        </button>
        <input
          part="input"
          type="file"
          hidden
          tabindex="-1"
          ?multiple=${this.multiple || this.directory}
          ?webkitdirectory=${this.directory}
          accept=${this.accept || nothing}
          @change=${this.#onInputChange}
        />
      </div>
      ${this._error ? html`<p part="error" class="alert" role="alert">${this._error}</p>` : nothing}
      ${this._rejections.length > 0 ? rejectionList(this._rejections, ctx, (id) => this.#dismiss(id)) : nothing}
      ${this._pending.length > 0 ? pendingList(this._pending, ctx, (r) => void this.#reselect(r), (r) => void this.#discard(r)) : nothing}
      ${items.length > 0 ? toolbar(items, this.#queue!.progress, !this.autoStart, ctx, this.#toolbarActions) : nothing}
      ${items.length > 0 ? itemList(items, ctx) : html`<p part="empty" class="hint"><slot name="empty">${strings.empty}</slot></p>`}
      <div part="announcer" class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announcement}</div>
    </div>`;
  }

  #toolbarActions: ToolbarActions = {
    start: () => this.start(),
    pauseAll: () => this.pauseAll(),
    resumeAll: () => this.resumeAll(),
    cancelAll: () => void this.cancelAll().catch((error: Error) => this.#showError(error)),
    clear: () => this.clear(),
  };

  /** The language: this element's `lang`, else the closest ancestor's (across shadow roots), else English. */
  #locale(): string {
    let node: Element | null = this;
    while (node) {
      const found: Element | null = node.closest('[lang]');
      if (found) return found.getAttribute('lang') ?? '';
      const root = node.getRootNode();
      node = root instanceof ShadowRoot ? root.host : null;
    }
    return 'en';
  }

  #strings(): CosUploaderStrings {
    return resolveStrings(this.#locale(), this.strings);
  }

  #rules(): FileRules {
    return {
      accept: this.accept,
      multiple: this.multiple || this.directory,
      maxFileSize: parseSize(this.maxFileSize, 'max-file-size'),
      minFileSize: parseSize(this.minFileSize, 'min-file-size'),
      maxTotalSize: parseSize(this.maxTotalSize, 'max-total-size'),
      maxFiles: parseCount(this.maxFiles, 'max-files'),
    };
  }

  /** The key for a file: an unfinished upload of the same file keeps its key (so it resumes), else keyFor/template. */
  #keyOf(candidate: FileCandidate): string {
    const { file, relativePath } = candidate;
    const record = this._pending.find(
      (r) => r.file && r.file.name === file.name && r.file.size === file.size && r.file.lastModified === file.lastModified,
    );
    if (record) {
      this._pending = this._pending.filter((r) => r !== record);
      return record.key;
    }
    const key = this.keyFor
      ? this.keyFor(file, relativePath)
      : expandKeyTemplate(this.keyTemplate, { prefix: this.keyPrefix, name: file.name, relativePath, size: file.size });
    if (typeof key !== 'string' || key === '') throw new CosClientError('InvalidArgument', 'the key must be a non-empty string');
    return key;
  }

  #ensureQueue(): UploadQueue {
    if (this.#queue) return this.#queue;
    const partSize = parseSize(this.partSize, 'part-size');
    const { client: given, credentials, credentialsUrl, credentialsMethod, bucket, region, endpoint } = this;
    const client = clientFor({ client: given, credentials, credentialsUrl, credentialsMethod, bucket, region, endpoint, prefix: this.keyPrefix });
    const store = this.resumeStore ?? (sharedStore ??= new IndexedDbResumeStore());
    this.#queue = new UploadQueue({
      client,
      concurrency: parseCount(this.concurrency, 'concurrency'),
      hasher: this.hasher ?? (sharedHasher ??= new WorkerHasher()),
      resumeStore: store,
      // The element decides when to start (see addFiles), so `auto-start` can change at any time.
      autoStart: false,
      uploadOptions: partSize === undefined ? this.uploadOptions : { ...this.uploadOptions, partSize },
    });
    this.#store = store;
    this._error = '';
    this.#unwire = wireQueue(this.#queue, {
      emit: (type, detail, cancelable) => this.#emit(type, detail, cancelable),
      announce: (message) => this.#announce(message),
      strings: () => this.#strings(),
      requestUpdate: () => this.requestUpdate(),
    });
    return this.#queue;
  }

  /**
   * Lists unfinished uploads of this bucket from the resume store. Those whose file handle is still readable
   * (Chromium, permission kept) continue at once; the others wait for their file to be picked again.
   */
  async #loadPending(): Promise<void> {
    let queue: UploadQueue;
    try {
      queue = this.#ensureQueue();
    } catch {
      return; // Not configured yet: nothing to show; adding files will say what is missing.
    }
    const { bucket, region } = queue.client.options;
    const taken = new Set(queue.items.map((i) => i.key));
    const records = (await queue.pending()).filter((r) => r.bucket === bucket && r.region === region && !taken.has(r.key));
    const waiting: UploadRecord[] = [];
    for (const record of records) {
      const item = await queue.resumeFromHandle(record).catch(() => undefined);
      if (!item) waiting.push(record);
    }
    if (this.autoStart && waiting.length < records.length) queue.start();
    if (queue === this.#queue) this._pending = waiting;
  }

  /** "Choose file to continue": a stored file handle may do without the picker (asking permission on this click). */
  async #reselect(record: UploadRecord): Promise<void> {
    if (this.disabled) return;
    const queue = this.#ensureQueue();
    // Only Chromium stores file handles. Its user activation outlasts the IndexedDB lookup; if the user refuses the
    // permission prompt the picker may not open on this click, and the next click opens it.
    if (!('showOpenFilePicker' in window)) return this.#browse();
    const item = await queue.resumeFromHandle(record, { request: true }).catch(() => undefined);
    if (!item) return this.#browse();
    this._pending = this._pending.filter((r) => r !== record);
    if (this.autoStart) queue.start();
  }

  async #discard(record: UploadRecord): Promise<void> {
    this._pending = this._pending.filter((r) => r !== record);
    const queue = this.#ensureQueue();
    const store = this.#store!;
    await discardUpload(queue.client, (fingerprint) => store.delete(fingerprint), record).catch((error: Error) => this.#showError(error));
  }

  #act(action: ItemAction, item: QueueItem, event: Event): void {
    const queue = this.#ensureQueue();
    if (action === 'remove') {
      // Keep keyboard focus in the list: move it to the next row's first button (or the picker).
      const row = (event.currentTarget as HTMLElement).closest('li');
      const next = (row?.nextElementSibling ?? row?.previousElementSibling)?.querySelector<HTMLButtonElement>('button:not([hidden])');
      void this.updateComplete.then(() => (next?.isConnected ? next : this.renderRoot.querySelector<HTMLButtonElement>('[part~=browse-button]'))?.focus());
    }
    // cancel/remove resolve after the server-side cleanup; a failed cleanup is shown, not left unhandled.
    void Promise.resolve(queue[action](item.id)).catch((error: Error) => this.#showError(error));
  }

  #showError(error: Error): void {
    this._error = error.message;
  }

  #dismiss(id: number): void {
    this._rejections = this._rejections.filter((r) => r.id !== id);
  }

  /** Adds a rejection row, emits `cos-file-rejected` and announces it. */
  #reject(candidate: FileCandidate & { reason: Rejection['reason'] }, message: string): void {
    const name = candidate.relativePath || candidate.file.name;
    this._rejections = [...this._rejections, { id: ++this.#rejectionId, name, message, reason: candidate.reason }];
    this.#emit('cos-file-rejected', { file: candidate.file, relativePath: candidate.relativePath, reason: candidate.reason, message });
    this.#announce(this.#strings().announce.rejected(name, message));
  }

  #emit<K extends keyof CosUploaderEventMap>(type: K, detail: CosUploaderEventMap[K]['detail'], cancelable = false): boolean {
    return dispatch(this, type, detail, cancelable);
  }

  /** Messages from one task are joined, so a burst of results is read once instead of each cutting off the last. */
  #announce(message: string): void {
    if (this.#announceBuffer.push(message) > 1) return;
    queueMicrotask(() => {
      this._announcement = this.#announceBuffer.join('. ');
      this.#announceBuffer = [];
    });
  }

  #browse = (): void => {
    if (!this.disabled) this._input.click();
  };

  #addFromUi(candidates: Array<File | FileCandidate>): void {
    if (this.disabled || candidates.length === 0) return;
    try {
      this.addFiles(candidates);
    } catch (error) {
      this._error = this.#strings().configError((error as Error).message);
    }
  }

  #onInputChange = (): void => {
    const files = Array.from(this._input.files ?? []);
    // Cleared so picking the same file again fires `change` again (e.g. after removing it).
    this._input.value = '';
    this.#addFromUi(files);
  };
}
