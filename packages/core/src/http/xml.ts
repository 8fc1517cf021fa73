/**
 * XML in and out with fast-xml-parser, normalized so callers never guess a shape: list tags are always arrays
 * (one `<Contents>` is still a list), numeric and boolean tags are typed, everything else is a string.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { CosClientError } from '../errors.ts';
import type { XmlNode } from './types.ts';

/** Tags that are lists wherever they appear. */
const LIST_TAGS = new Set([
  'Contents',
  'CommonPrefixes',
  'Part',
  'Upload',
  'Deleted',
  'Grant',
  'CORSRule',
  'AllowedOrigin',
  'AllowedMethod',
  'AllowedHeader',
  'ExposeHeader',
  'Rule',
  'Object',
  'Transition',
  'Tag',
]);
/** Tags that are lists only under a given parent (they are scalars elsewhere, e.g. `<Bucket>` in ListParts). */
const LIST_PATHS = ['Buckets.Bucket', 'DeleteResult.Error'];
const NUMBER_TAGS = new Set([
  'Size',
  'MaxKeys',
  'PartNumber',
  'MaxParts',
  'PartNumberMarker',
  'NextPartNumberMarker',
  'MaxUploads',
  'MaxAgeSeconds',
  'Days',
  'DaysAfterInitiation',
  'NoncurrentDays',
]);
const BOOLEAN_TAGS = new Set(['IsTruncated', 'Quiet', 'DeleteMarker']);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name, jpath) => {
    const path = String(jpath);
    if (!path.includes('.')) return false;
    return LIST_TAGS.has(name) || LIST_PATHS.some((suffix) => path.endsWith(suffix));
  },
  tagValueProcessor: (name, value) => {
    if (NUMBER_TAGS.has(name) && /^\d+$/.test(value)) return Number(value);
    if (BOOLEAN_TAGS.has(name) && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  },
});

/** Parses a COS XML document. Leading whitespace (COS streams it before Complete's result) is tolerated. */
export function parseXml(text: string): { root: string; data: XmlNode } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('<')) throw new CosClientError('MalformedResponse', `expected XML, got ${JSON.stringify(trimmed.slice(0, 80))}`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(trimmed, true) as Record<string, unknown>;
  } catch (cause) {
    throw new CosClientError('MalformedResponse', `malformed XML in the response: ${(cause as Error).message}`, { cause });
  }
  const root = Object.keys(doc).find((name) => !name.startsWith('?'));
  if (root === undefined) throw new CosClientError('MalformedResponse', 'the response XML has no root element');
  const value = doc[root];
  // `<Root/>` and `<Root>text</Root>` both parse to a string; callers want an object either way.
  return { root, data: typeof value === 'object' && value !== null ? (value as XmlNode) : {} };
}

const builder = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: false, processEntities: true });

/** Builds `<root>…</root>`; arrays repeat their tag, `undefined` members are left out. */
export function buildXml(root: string, data: XmlNode): string {
  return builder.build({ [root]: prune(data) }) as string;
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = prune(v);
    return out;
  }
  return value;
}

/** Undoes `encoding-type=url` on a listed value (COS percent-encodes; `+` is literal). */
export function decodeUrlEncoded(value: string, encodingType: string | undefined): string {
  if (encodingType !== 'url') return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Reads a child as a string ('' when absent), for mapping parsed nodes to typed outputs. */
export function text(node: XmlNode | undefined, name: string): string {
  const value = node?.[name];
  if (value === undefined || value === null || typeof value === 'object') return '';
  return String(value);
}

/** Reads a child list (absent -> empty array). */
export function list(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}
