/**
 * Listing multipart state (Docs 7747, 7736): the parts of one upload, and the uploads in progress in a bucket.
 * Both merge every page by default and return one page when a paging option is given.
 */
import type { CosClient } from '../client.ts';
import { CosClientError, invalidArgument } from '../errors.ts';
import type { XmlNode, XmlValue } from '../http/types.ts';
import { decodeUrlEncoded } from '../http/xml.ts';
import { assertKey, assertNonNegativeInteger, assertPrefix, assertUploadId } from '../validate.ts';
import { assertPageSize, bool, checkInput, nodes, nonEmpty, num, ownerOf, targetOf, text, type CosOwner, type TargetOptions } from './common.ts';

// ---------------------------------------------------------------------------------------------------------------
// List Parts

/** Input of `listParts`. */
export interface ListPartsInput extends TargetOptions {
  key: string;
  uploadId: string;
  /** Page size 1..1000. Passing it (or `partNumberMarker`) returns that one page instead of every part. */
  maxParts?: number;
  /** List parts after this part number. Passing it returns one page. */
  partNumberMarker?: number;
}

/** A stored part. */
export interface PartSummary {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: Date;
}

/** What `listParts` answers: the upload's parts (every page merged unless paging options were given). */
export interface ListPartsOutput {
  bucket: string;
  key: string;
  uploadId: string;
  parts: PartSummary[];
  initiator: CosOwner | undefined;
  owner: CosOwner | undefined;
  storageClass: string;
  /** `false` when every page was merged. */
  isTruncated: boolean;
  /** Where the next page starts, when `isTruncated`. */
  nextPartNumberMarker: number | undefined;
}

/** Lists the parts of an upload: every page merged by default, or one page when paging options are given. */
export async function listParts(client: CosClient, input: ListPartsInput): Promise<ListPartsOutput> {
  checkInput(client, input, ['key', 'uploadId', 'maxParts', 'partNumberMarker'], 'listParts');
  assertKey(input.key);
  assertUploadId(input.uploadId);
  assertPageSize(input.maxParts, 'maxParts');
  if (input.partNumberMarker !== undefined) assertNonNegativeInteger(input.partNumberMarker, 'partNumberMarker');
  const onePage = input.maxParts !== undefined || input.partNumberMarker !== undefined;
  let marker = input.partNumberMarker;
  let result: ListPartsOutput | undefined;
  for (;;) {
    const { data } = await client.request({
      action: 'ListParts',
      method: 'GET',
      ...targetOf(input),
      key: input.key,
      query: { uploadId: input.uploadId, 'max-parts': input.maxParts, 'part-number-marker': marker },
    });
    const parts = nodes(data.Part).map(
      (p): PartSummary => ({
        partNumber: num(p.PartNumber) ?? 0,
        etag: text(p.ETag),
        size: num(p.Size) ?? 0,
        lastModified: new Date(text(p.LastModified)),
      }),
    );
    const isTruncated = bool(data.IsTruncated);
    const next = num(data.NextPartNumberMarker);
    if (result) result.parts.push(...parts);
    else {
      result = {
        bucket: text(data.Bucket),
        key: input.key,
        uploadId: text(data.UploadId) || input.uploadId,
        parts,
        initiator: ownerOf(data.Initiator),
        owner: ownerOf(data.Owner),
        storageClass: text(data.StorageClass) || 'STANDARD',
        isTruncated: false,
        nextPartNumberMarker: undefined,
      };
    }
    if (onePage) return { ...result, isTruncated, nextPartNumberMarker: isTruncated ? next : undefined };
    if (!isTruncated) return result;
    if (next === undefined || next <= (marker ?? 0)) {
      throw new CosClientError('MalformedResponse', `ListParts answered a truncated page without a new NextPartNumberMarker (after ${marker ?? 0})`);
    }
    marker = next;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// List Multipart Uploads

/** Input of `listMultipartUploads`. */
export interface ListMultipartUploadsInput extends TargetOptions {
  prefix?: string;
  delimiter?: string;
  /** With `uploadIdMarker`: start after this key (and upload). Passing any paging option returns one page. */
  keyMarker?: string;
  uploadIdMarker?: string;
  /** Page size 1..1000; passing it returns one page. */
  maxUploads?: number;
}

/** An upload in progress. */
export interface MultipartUploadSummary {
  key: string;
  uploadId: string;
  initiated: Date;
  storageClass: string;
  initiator: CosOwner | undefined;
  owner: CosOwner | undefined;
}

/** What `listMultipartUploads` answers (every page merged unless paging options were given). */
export interface ListMultipartUploadsOutput {
  uploads: MultipartUploadSummary[];
  commonPrefixes: string[];
  /** `false` when every page was merged. */
  isTruncated: boolean;
  nextKeyMarker: string | undefined;
  nextUploadIdMarker: string | undefined;
}

/** Lists uploads in progress (GET `?uploads`): every page merged by default, or one page with paging options. */
export async function listMultipartUploads(client: CosClient, input: ListMultipartUploadsInput = {}): Promise<ListMultipartUploadsOutput> {
  checkInput(client, input, ['prefix', 'delimiter', 'keyMarker', 'uploadIdMarker', 'maxUploads'], 'listMultipartUploads');
  if (input.prefix !== undefined) assertPrefix(input.prefix);
  if (input.delimiter !== undefined && (typeof input.delimiter !== 'string' || [...input.delimiter].length !== 1)) {
    throw invalidArgument(`delimiter must be a single character; got ${JSON.stringify(input.delimiter)}`);
  }
  for (const name of ['keyMarker', 'uploadIdMarker'] as const) {
    if (input[name] !== undefined && typeof input[name] !== 'string') throw invalidArgument(`${name} must be a string`);
  }
  assertPageSize(input.maxUploads, 'maxUploads');
  const onePage = input.maxUploads !== undefined || input.keyMarker !== undefined || input.uploadIdMarker !== undefined;
  const out: ListMultipartUploadsOutput = { uploads: [], commonPrefixes: [], isTruncated: false, nextKeyMarker: undefined, nextUploadIdMarker: undefined };
  let keyMarker = nonEmpty(input.keyMarker);
  let uploadIdMarker = nonEmpty(input.uploadIdMarker);
  for (;;) {
    const { data } = await client.request({
      action: 'ListMultipartUploads',
      method: 'GET',
      ...targetOf(input),
      query: {
        uploads: '',
        prefix: nonEmpty(input.prefix),
        delimiter: input.delimiter,
        'key-marker': keyMarker,
        'upload-id-marker': uploadIdMarker,
        'max-uploads': input.maxUploads,
        'encoding-type': 'url',
      },
    });
    const encoding = text(data['Encoding-Type'] ?? data.EncodingType) || 'url';
    const decode = (value: XmlValue | undefined): string => decodeUrlEncoded(text(value), encoding);
    for (const u of nodes(data.Upload)) {
      out.uploads.push({
        key: decode(u.Key),
        uploadId: text(u.UploadId),
        initiated: new Date(text(u.Initiated)),
        storageClass: text(u.StorageClass) || 'STANDARD',
        initiator: ownerOf(u.Initiator),
        owner: ownerOf(u.Owner),
      });
    }
    out.commonPrefixes.push(...nodes(data.CommonPrefixes).map((p: XmlNode) => decode(p.Prefix)));
    const isTruncated = bool(data.IsTruncated);
    const nextKey = decode(data.NextKeyMarker) || undefined;
    const nextId = text(data.NextUploadIdMarker) || undefined;
    if (onePage) return { ...out, isTruncated, nextKeyMarker: isTruncated ? nextKey : undefined, nextUploadIdMarker: isTruncated ? nextId : undefined };
    if (!isTruncated) return out;
    if (nextKey === undefined || (nextKey === keyMarker && nextId === uploadIdMarker)) {
      throw new CosClientError('MalformedResponse', 'ListMultipartUploads answered a truncated page without new markers');
    }
    keyMarker = nextKey;
    uploadIdMarker = nextId;
  }
}
