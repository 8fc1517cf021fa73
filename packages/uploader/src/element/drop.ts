/**
 * Files out of a drop or paste, whole folders included, with their paths relative to what was dropped.
 *
 * Uses `DataTransferItem.webkitGetAsEntry()` (Chromium, Firefox, Safari). The entries must be taken synchronously
 * inside the event: the DataTransfer is emptied when the event's task ends, so `collectEntries` runs first and the
 * asynchronous walk happens afterwards on the entries it kept.
 */
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
}

/** Takes what the DataTransfer holds, synchronously (call this inside the `drop`/`paste` handler). */
export function collectEntries(data: DataTransfer | null): DropSource {
  const source: DropSource = { entries: [], files: [] };
  if (!data) return source;
  const items = Array.from(data.items ?? []).filter((item) => item.kind === 'file');
  for (const item of items) {
    const entry = typeof item.webkitGetAsEntry === 'function' ? (item.webkitGetAsEntry() as EntryLike | null) : null;
    if (entry) {
      source.entries.push(entry);
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
  for (const entry of source.entries) await walk(entry, out);
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
