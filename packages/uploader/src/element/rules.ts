/** Which picked files the element accepts: `accept`, size limits, count limits, duplicates. */
import type { RejectionReason } from './locales/en.ts';

/** Limits as parsed from the attributes; `undefined` means no limit. */
export interface FileRules {
  accept: string;
  multiple: boolean;
  maxFileSize: number | undefined;
  minFileSize: number | undefined;
  maxTotalSize: number | undefined;
  maxFiles: number | undefined;
}

/** A file the element is asked to add, with its folder-relative path when it came from a folder. */
export interface FileCandidate {
  file: File;
  relativePath?: string | undefined;
  /** Chromium file handle (from a drop), kept with the resume record so a reload can continue without a picker. */
  handle?: FileSystemFileHandle | undefined;
}

/** What the list already holds, for the count/total/duplicate checks. */
export interface ExistingFile {
  file: File;
  relativePath?: string | undefined;
}

export interface RuleVerdict {
  accepted: FileCandidate[];
  rejected: Array<FileCandidate & { reason: RejectionReason; limit: string }>;
}

/** Whether a file matches an `accept` list (`.pdf`, `image/*`, `application/pdf`), as `<input type=file>` means it. */
export function matchesAccept(file: File, accept: string): boolean {
  const tokens = accept
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tokens.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return tokens.some((token) => {
    if (token.startsWith('.')) return name.endsWith(token);
    if (token.endsWith('/*')) return type.startsWith(token.slice(0, -1));
    return type === token;
  });
}

function sameFile(a: ExistingFile, b: FileCandidate): boolean {
  return (
    a.file.name === b.file.name &&
    a.file.size === b.file.size &&
    a.file.lastModified === b.file.lastModified &&
    (a.relativePath ?? '') === (b.relativePath ?? '')
  );
}

/**
 * Splits candidates into accepted and rejected, in order: type, minimum, maximum, duplicate, then the count and
 * total limits (counted over what the list holds plus what this call accepted so far). `formatSize` renders limits.
 */
export function checkFiles(
  candidates: readonly FileCandidate[],
  existing: readonly ExistingFile[],
  rules: FileRules,
  formatSize: (bytes: number) => string,
): RuleVerdict {
  const verdict: RuleVerdict = { accepted: [], rejected: [] };
  let count = existing.length;
  let total = existing.reduce((sum, e) => sum + e.file.size, 0);
  // Without `multiple` one pick or drop adds one file, as a single-file <input> would.
  const maxFiles = rules.multiple ? rules.maxFiles : Math.min(rules.maxFiles ?? 1, count + 1);
  for (const candidate of candidates) {
    const { file } = candidate;
    const reject = (reason: RejectionReason, limit: string): void => {
      verdict.rejected.push({ ...candidate, reason, limit });
    };
    if (!matchesAccept(file, rules.accept)) reject('type', rules.accept);
    else if (rules.minFileSize !== undefined && file.size < rules.minFileSize) reject('too-small', formatSize(rules.minFileSize));
    else if (rules.maxFileSize !== undefined && file.size > rules.maxFileSize) reject('too-large', formatSize(rules.maxFileSize));
    else if (existing.some((e) => sameFile(e, candidate)) || verdict.accepted.some((a) => sameFile(a, candidate))) reject('duplicate', '');
    else if (maxFiles !== undefined && count >= maxFiles) reject('too-many', String(maxFiles));
    else if (rules.maxTotalSize !== undefined && total + file.size > rules.maxTotalSize) reject('total-too-large', formatSize(rules.maxTotalSize));
    else {
      verdict.accepted.push(candidate);
      count++;
      total += file.size;
    }
  }
  return verdict;
}
