import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { err } from './errors.ts';

/** Request bodies are small XML documents; anything larger is refused before parsing. */
export const MAX_XML_BYTES = 2 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  // Keys may legitimately start or end with spaces; values that must not are trimmed by `text()`.
  trimValues: false,
  // Entity expansion is the classic XML bomb; COS bodies never need DTD entities.
  processEntities: false,
  htmlEntities: false,
});

/** Parses a request body; DOCTYPE (and so any entity definition) is refused outright. */
export function parseXml(text: string): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw err.malformedXml();
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch {
    throw err.malformedXml();
  }
  if (!doc || typeof doc !== 'object') throw err.malformedXml();
  return doc as Record<string, unknown>;
}

/** Standard XML entities only, since processEntities is off. */
export function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Element text, trimmed (numbers, enums, ETags). */
export function text(v: unknown): string {
  return rawText(v).trim();
}

/** Element text exactly as sent (object keys). */
export function rawText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return '';
  return unescapeXml(String(v));
}

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false, processEntities: true });

/** Renders `{ Root: {...} }`; ETags come out as `&quot;…&quot;` because quotes are escaped. */
export function buildXml(doc: Record<string, unknown>): string {
  return `<?xml version='1.0' encoding='utf-8' ?>\n${builder.build(doc) as string}`;
}
