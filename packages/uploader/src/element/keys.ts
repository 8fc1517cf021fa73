/**
 * Object keys for picked files: the `key-template` tokens and the "made safe" relative path.
 *
 * Tokens (each replaced once per file):
 * - `{prefix}`    the `prefix` attribute, as given (`uploads/`)
 * - `{path}`      the relative path inside a dropped/picked folder plus the file name, made safe (the default)
 * - `{dir}`       that folder part only, with a trailing `/`, or `''`
 * - `{filename}`  the file name with its extension, made safe
 * - `{name}`      the file name without its extension
 * - `{ext}`       the extension with its dot, lower-cased (`.jpg`), or `''`
 * - `{date}`      the upload day `YYYY-MM-DD` (UTC); also `{yyyy}`, `{mm}`, `{dd}`
 * - `{timestamp}` milliseconds since the epoch
 * - `{uuid}`      a random UUID (crypto.randomUUID)
 * - `{random}`    8 random hex digits
 * - `{size}`      the size in bytes
 * Unknown tokens are left as written, so a typo shows up in the key instead of vanishing.
 */

/** The default `key-template`: prefix plus the safe relative path, which keeps folder structure. */
export const DEFAULT_KEY_TEMPLATE = '{prefix}{path}';

// ASCII control characters are refused by COS in keys (Doc 13324); `\` is a Windows path separator.
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * A relative path as a key: NFC-normalized (macOS hands out NFD names), `\` -> `/`, control characters dropped,
 * empty/`.`/`..` segments removed so a crafted name cannot climb out of the prefix or make `a//b` keys.
 */
export function safePath(path: string): string {
  return path
    .normalize('NFC')
    .replace(CONTROL, '')
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .join('/');
}

/** What a template is expanded with. */
export interface KeyContext {
  prefix: string;
  /** Name of the file (`File.name`). */
  name: string;
  /** Folder-relative path including the file name, when the file came from a folder. */
  relativePath?: string | undefined;
  size: number;
  /** @default new Date() */
  now?: Date;
}

/** Expands `template` for one file (see the token list at the top of this module). */
export function expandKeyTemplate(template: string, context: KeyContext): string {
  const path = safePath(context.relativePath || context.name) || 'file';
  const slash = path.lastIndexOf('/');
  const filename = path.slice(slash + 1);
  const dot = filename.lastIndexOf('.');
  const ext = dot > 0 ? filename.slice(dot).toLowerCase() : '';
  const now = context.now ?? new Date();
  const iso = now.toISOString();
  const tokens: Record<string, () => string> = {
    prefix: () => context.prefix,
    path: () => path,
    dir: () => (slash >= 0 ? path.slice(0, slash + 1) : ''),
    filename: () => filename,
    name: () => (dot > 0 ? filename.slice(0, dot) : filename),
    ext: () => ext,
    date: () => iso.slice(0, 10),
    yyyy: () => iso.slice(0, 4),
    mm: () => iso.slice(5, 7),
    dd: () => iso.slice(8, 10),
    timestamp: () => String(now.getTime()),
    uuid: () => crypto.randomUUID(),
    random: () => Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join(''),
    size: () => String(context.size),
  };
  const key = template.replace(/\{([a-z]+)\}/g, (whole, token: string) => tokens[token]?.() ?? whole);
  // A prefix like "/uploads/" would make an absolute key, which COS keys never are.
  return key.replace(/^\/+/, '');
}
