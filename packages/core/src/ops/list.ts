/** GET Bucket (List Objects, Doc 7734): one page, every page, every object. */
import type { CosClient } from '../client.ts';
import { CosClientError, invalidArgument } from '../errors.ts';
import { decodeUrlEncoded } from '../http/xml.ts';
import type { XmlValue } from '../http/types.ts';
import { assertPrefix } from '../validate.ts';
import { assertPageSize, bool, checkInput, nodes, nonEmpty, num, ownerOf, targetOf, text, type CosOwner, type TargetOptions } from './common.ts';

/** Input of `listObjects`, `listObjectsPages` and `listAllObjects`. */
export interface ListObjectsInput extends TargetOptions {
  /** Only keys that start with this. */
  prefix?: string;
  /** Group keys that share the text up to this character into `commonPrefixes` (e.g. `/` for folders). */
  delimiter?: string;
  /** Start after this key (exclusive), e.g. the previous page's `nextMarker`. */
  marker?: string;
  /** Page size, 1..1000 (objects and common prefixes together). @default 1000 */
  maxKeys?: number;
  /**
   * Accepted for parity with the other SDKs; only `'url'` is allowed and it changes nothing: coskit always asks
   * for `encoding-type=url` and decodes, so keys with control-like or non-ASCII characters come back exact.
   */
  encodingType?: 'url';
}

/** One object in a listing. */
export interface ObjectSummary {
  key: string;
  size: number;
  /** With quotes, as COS sends it. */
  etag: string;
  lastModified: Date;
  storageClass: string;
  owner: CosOwner | undefined;
}

/** One page of GET Bucket. */
export interface ListObjectsOutput {
  /** The bucket, `name-appid`. */
  name: string;
  prefix: string;
  delimiter: string | undefined;
  marker: string;
  maxKeys: number;
  isTruncated: boolean;
  /** Where the next page starts; set whenever `isTruncated`. */
  nextMarker: string | undefined;
  contents: ObjectSummary[];
  /** With a delimiter: the "folders" at this level, each ending with the delimiter. */
  commonPrefixes: string[];
}

const LIST_KEYS = ['prefix', 'delimiter', 'marker', 'maxKeys', 'encodingType'] as const;

function checkListInput(client: CosClient, input: ListObjectsInput, what: string): void {
  checkInput(client, input, LIST_KEYS, what);
  if (input.prefix !== undefined) assertPrefix(input.prefix);
  if (input.delimiter !== undefined && (typeof input.delimiter !== 'string' || [...input.delimiter].length !== 1)) {
    throw invalidArgument(`delimiter must be a single character, e.g. "/"; got ${JSON.stringify(input.delimiter)}`);
  }
  if (input.marker !== undefined && typeof input.marker !== 'string') throw invalidArgument('marker must be a string');
  assertPageSize(input.maxKeys, 'maxKeys');
  if (input.encodingType !== undefined && input.encodingType !== 'url') {
    throw invalidArgument(`encodingType can only be "url" (keys are always returned decoded); got ${JSON.stringify(input.encodingType)}`);
  }
}

/** Lists one page of objects (GET Bucket). Keys are exact: the request uses `encoding-type=url` and decodes. */
export async function listObjects(client: CosClient, input: ListObjectsInput = {}): Promise<ListObjectsOutput> {
  checkListInput(client, input, 'listObjects');
  return listPage(client, input);
}

async function listPage(client: CosClient, input: ListObjectsInput): Promise<ListObjectsOutput> {
  const { data } = await client.request({
    action: 'GetBucket',
    method: 'GET',
    ...targetOf(input),
    query: {
      prefix: nonEmpty(input.prefix),
      delimiter: input.delimiter,
      marker: nonEmpty(input.marker),
      'max-keys': input.maxKeys,
      'encoding-type': 'url',
    },
  });
  // We always ask for url encoding; a server that says otherwise in <EncodingType> is believed.
  const encoding = text(data.EncodingType) || 'url';
  const decode = (value: XmlValue | undefined): string => decodeUrlEncoded(text(value), encoding);
  const contents = nodes(data.Contents).map(
    (c): ObjectSummary => ({
      key: decode(c.Key),
      size: num(c.Size) ?? 0,
      etag: text(c.ETag),
      lastModified: new Date(text(c.LastModified)),
      storageClass: text(c.StorageClass) || 'STANDARD',
      owner: ownerOf(c.Owner),
    }),
  );
  const commonPrefixes = nodes(data.CommonPrefixes).map((p) => decode(p.Prefix));
  const isTruncated = bool(data.IsTruncated);
  let nextMarker = isTruncated ? decode(data.NextMarker) || undefined : undefined;
  if (isTruncated && nextMarker === undefined) {
    // S3-style servers omit NextMarker without a delimiter: the last entry of the page is where to resume.
    const last = [contents.at(-1)?.key ?? '', commonPrefixes.at(-1) ?? ''].sort().at(-1);
    nextMarker = last || undefined;
  }
  const delimiter = decode(data.Delimiter);
  return {
    name: text(data.Name),
    prefix: decode(data.Prefix),
    delimiter: delimiter === '' ? input.delimiter : delimiter,
    marker: decode(data.Marker),
    maxKeys: num(data.MaxKeys) ?? input.maxKeys ?? 1000,
    isTruncated,
    nextMarker,
    contents,
    commonPrefixes,
  };
}

/**
 * Every page of a listing, following `nextMarker` until the last one; `maxKeys` is the page size.
 * Stops early when the loop is broken out of.
 */
export function listObjectsPages(client: CosClient, input: ListObjectsInput = {}): AsyncGenerator<ListObjectsOutput, void, undefined> {
  // Checked here, not inside the generator, so bad input throws at the call rather than at the first `next()`.
  checkListInput(client, input, 'listObjectsPages');
  return pages(client, input);
}

async function* pages(client: CosClient, input: ListObjectsInput): AsyncGenerator<ListObjectsOutput, void, undefined> {
  let marker = input.marker;
  for (;;) {
    const page = await listPage(client, { ...input, marker });
    yield page;
    if (!page.isTruncated) return;
    if (page.nextMarker === undefined || page.nextMarker === marker) {
      // A truncated page that does not move the marker forward would loop forever.
      throw new CosClientError('MalformedResponse', `GetBucket answered a truncated page without a new marker (after ${JSON.stringify(marker ?? '')})`);
    }
    marker = page.nextMarker;
  }
}

/**
 * Every object under the input's prefix, page after page. Yields objects only: with a `delimiter` that means
 * the objects directly at that level, and the common prefixes ("folders") are not yielded; use
 * `listObjectsPages` to see them.
 */
export function listAllObjects(client: CosClient, input: ListObjectsInput = {}): AsyncGenerator<ObjectSummary, void, undefined> {
  checkListInput(client, input, 'listAllObjects');
  return objects(client, input);
}

async function* objects(client: CosClient, input: ListObjectsInput): AsyncGenerator<ObjectSummary, void, undefined> {
  for await (const page of pages(client, input)) yield* page.contents;
}
