/**
 * Files out of a drop or paste, whole folders included, with their paths relative to what was dropped.
 *
 * Uses `DataTransferItem.webkitGetAsEntry()` (Chromium, Firefox, Safari). The entries must be taken synchronously
 * inside the event: the DataTransfer is emptied when the event's task ends, so `collectEntries` runs first and the
 * asynchronous walk happens afterwards on the entries it kept.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FileCandidate } from './rules.ts';

/** The parts of the File and Directory Entries API the walk uses (so tests can pass plain objects). */
export interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  /** `/photos/2024/a.jpg` for a dropped `photos` folder. */
  fullPath: string;
  file?(success: (file: File) => void, failure?: (error: unknown) => void): void;
  createReader?(): { readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void };
}

/** What a drop hands over: entries to walk, plus loose files when the browser offers no entries. */
export interface DropSource {
  entries: EntryLike[];
  files: File[];
  /**
   * File handles of top-level dropped files, by entry (Chromium's `getAsFileSystemHandle`): stored with the resume
   * record, they let an upload continue after a reload without the file being picked again.
   */
  handles?: Map<EntryLike, Promise<FileSystemHandle | null>>;
}

/** Chromium's DataTransferItem method, not yet in TypeScript's DOM lib. */
type WithHandle = DataTransferItem & { getAsFileSystemHandle?(): Promise<FileSystemHandle | null> };

/** Takes what the DataTransfer holds, synchronously (call this inside the `drop`/`paste` handler). */
export function collectEntries(data: DataTransfer | null): DropSource {
  const source: DropSource = { entries: [], files: [], handles: new Map() };
  if (!data) return source;
  const items = Array.from(data.items ?? []).filter((item) => item.kind === 'file');
  for (const item of items) {
    const entry = typeof item.webkitGetAsEntry === 'function' ? (item.webkitGetAsEntry() as EntryLike | null) : null;
    if (entry) {
      source.entries.push(entry);
      // Like the entry, the handle must be asked for during the event; it resolves later.
      const handle = entry.isFile ? (item as WithHandle).getAsFileSystemHandle?.() : undefined;
      if (handle) source.handles!.set(entry, handle.catch(() => null));
    } else {
      const file = item.getAsFile();
      if (file) source.files.push(file);
    }
  }
  // Pasted images in some browsers come only through `files`.
  if (items.length === 0) source.files.push(...Array.from(data.files ?? []));
  return source;
}

/** Walks the collected entries depth-first; folder contents keep their relative paths (`photos/2024/a.jpg`). */
export async function filesFromSource(source: DropSource): Promise<FileCandidate[]> {
  const out: FileCandidate[] = source.files.map((file) => ({ file, relativePath: relativePathOf(file) }));
  for (const entry of source.entries) {
    const at = out.length;
    await walk(entry, out);
    const handle = await source.handles?.get(entry);
    if (handle?.kind === 'file' && out[at]) out[at].handle = handle as FileSystemFileHandle;
  }
  return out;
}

async function walk(entry: EntryLike, out: FileCandidate[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((resolve, reject) => entry.file!(resolve, reject));
    const path = entry.fullPath.replace(/^\/+/, '');
    // A file dropped on its own has fullPath "/name": it has no folder, so no relative path.
    out.push({ file, relativePath: path.includes('/') ? path : relativePathOf(file) });
    return;
  }
  if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns at most 100 entries per call in Chromium; an empty batch means the end.
    for (;;) {
      const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, out);
    }
  }
}

/** `webkitRelativePath` of a file picked with a directory `<input>`, or undefined. */
export function relativePathOf(file: File): string | undefined {
  return file.webkitRelativePath || undefined;
}

/**
 * Drag and drop onto the element and paste into it: highlights while files are dragged over, collects what is
 * dropped or pasted (folders walked) and hands it to `onFiles`. Bind the `on*` handlers on the drop target.
 */
export class DropController implements ReactiveController {
  /** Files are being dragged over the target. */
  dragging = false;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #enabled: () => boolean;
  readonly #onFiles: (files: FileCandidate[]) => void;
  #depth = 0;

  constructor(host: ReactiveControllerHost & HTMLElement, options: { enabled: () => boolean; onFiles: (files: FileCandidate[]) => void }) {
    this.#host = host;
    this.#enabled = options.enabled;
    this.#onFiles = options.onFiles;
    host.addController(this);
  }

  hostConnected(): void {
    // Paste reaches the host from anything focused inside it (the event is retargeted out of the shadow root).
    this.#host.addEventListener('paste', this.onPaste);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('paste', this.onPaste);
  }

  readonly onDragEnter = (event: DragEvent): void => {
    if (!this.#accepts(event)) return;
    event.preventDefault();
    this.#depth++;
    this.#setDragging(true);
  };

  readonly onDragOver = (event: DragEvent): void => {
    if (!this.#accepts(event)) return;
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
  };

  readonly onDragLeave = (): void => {
    // dragenter/dragleave fire for every child crossed; only the last leave means the pointer left the target.
    this.#depth = Math.max(0, this.#depth - 1);
    if (this.#depth === 0) this.#setDragging(false);
  };

  readonly onDrop = (event: DragEvent): void => {
    this.#depth = 0;
    this.#setDragging(false);
    if (!this.#accepts(event)) return;
    event.preventDefault(); // else the browser navigates to the dropped file
    this.#collect(event.dataTransfer);
  };

  readonly onPaste = (event: ClipboardEvent): void => {
    if (!this.#enabled() || !event.clipboardData?.files.length) return;
    event.preventDefault();
    this.#collect(event.clipboardData);
  };

  #accepts(event: DragEvent): boolean {
    return this.#enabled() && (event.dataTransfer?.types.includes('Files') ?? false);
  }

  #setDragging(value: boolean): void {
    if (this.dragging === value) return;
    this.dragging = value;
    this.#host.requestUpdate();
  }

  #collect(data: DataTransfer | null): void {
    // Synchronously, inside the event: the DataTransfer is emptied when the event's task ends.
    const source = collectEntries(data);
    void filesFromSource(source).then((files) => files.length > 0 && this.#onFiles(files));
  }
}
