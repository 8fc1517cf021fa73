/** Sizes and durations: parsing attribute values (`5GB`, `10 MB`, `1048576`) and formatting for people. */
import { CosClientError } from '@coskit/core';
import type { CosUploaderStrings } from './locales/en.ts';

const invalidArgument = (message: string): CosClientError => new CosClientError('InvalidArgument', message);

const UNITS: Readonly<Record<string, number>> = Object.freeze({
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
});
const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/**
 * Parses a size: a number of bytes, or a number with a unit (`B`, `KB`, `MB`, `GB`, `TB`, also `KiB`…), any case,
 * space optional. Units are 1024-based, as in the COS documentation, so `5GB` is exactly the 5 GiB PUT limit.
 * `null`/`undefined`/`''` mean "no limit" (undefined). Anything else throws `InvalidArgument`.
 */
export function parseSize(value: string | number | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return Math.floor(value);
    throw invalidArgument(`${name} must be a non-negative size; got ${String(value)}`);
  }
  const match = SIZE.exec(value);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw invalidArgument(`${name} must be bytes or a size like "10 MB" or "5GB" (B, KB, MB, GB, TB; 1024-based); got ${JSON.stringify(value)}`);
  }
  return Math.floor(Number(match[1]) * unit);
}

/** A count attribute (`max-files`, `concurrency`): a positive integer or nothing. */
export function parseCount(value: number | string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw invalidArgument(`${name} must be a positive integer; got ${JSON.stringify(value)}`);
  return n;
}

/** `1536` -> `1.5 KB` in the strings' units and the locale's digits. */
export function formatBytes(bytes: number, strings: CosUploaderStrings, locale: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < strings.units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${numberFormat(locale, digits).format(value)} ${strings.units[unit]}`;
}

/** Seconds -> `2 min 5 s` (via the strings); `''` while unknown (Infinity/NaN) so nothing misleading is shown. */
export function formatDuration(seconds: number, strings: CosUploaderStrings): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const total = Math.ceil(seconds);
  return strings.duration(Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60);
}

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const id = `${locale}|${digits}`;
  let format = formats.get(id);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale || undefined, { maximumFractionDigits: digits });
    } catch {
      // A malformed `lang` value must not break rendering.
      format = new Intl.NumberFormat(undefined, { maximumFractionDigits: digits });
    }
    formats.set(id, format);
  }
  return format;
}
