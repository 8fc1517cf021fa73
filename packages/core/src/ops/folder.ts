/**
 * The old JSON API's file and folder conveniences (the seeds' create_folder / list_folder / stat_folder /
 * stat_file / update_file / del_folder) in today's terms. COS has no folders: a "folder" is a key prefix ending
 * in `/`, optionally with an empty marker object of that exact key (what the console creates).
 */
import type { CosClient } from '../client.ts';
import { CosClientError, invalidArgument, isCosServiceError } from '../errors.ts';
import { assertKey } from '../validate.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, type ObjectHeaderOptions } from './headers.ts';
import { assertPageSize, checkInput, targetOf, type TargetOptions } from './common.ts';
import type { DeleteObjectError } from './delete.ts';
import { listObjects, type ObjectSummary } from './list.ts';
import type { HeadObjectOutput } from './object.ts';

/** `photos` and `photos/` both name the folder `photos/`; the bucket root cannot be created or deleted. */
function folderKey(prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix === '' || prefix === '/') {
    throw invalidArgument('prefix must name a folder, e.g. "photos/2024/" (the bucket root is not a folder you can create or delete)');
  }
  const key = prefix.endsWith('/') ? prefix : `${prefix}/`;
  assertKey(key, 'prefix');
  return key;
}

// ---------------------------------------------------------------------------------------------------------------
// createFolder / listFolder / statFolder

export interface CreateFolderInput extends TargetOptions {
  /** The folder, e.g. `photos/2024` (a trailing `/` is added). */
  prefix: string;
  /** Metadata on the marker object (the JSON API's `biz_attr` becomes e.g. `{ note: '...' }`). */
  meta?: Record<string, string>;
}

export interface CreateFolderOutput {
  /** The marker object's key: the prefix ending in `/`. */
  key: string;
  etag: string;
}

/** Creates a folder: an empty object whose key ends in `/` (how the COS console shows folders). */
export async function createFolder(client: CosClient, input: CreateFolderInput): Promise<CreateFolderOutput> {
  checkInput(client, input, ['prefix', 'meta'], 'createFolder');
  const key = folderKey(input.prefix);
  const response = await client.request({
    action: 'PutObject',
    method: 'PUT',
    ...targetOf(input),
    key,
    headers: objectHeaders({ meta: input.meta }),
    body: '',
    responseType: 'none',
  });
  return { key, etag: response.headers.get('ETag') ?? '' };
}

export interface ListFolderInput extends TargetOptions {
  /** The folder to list; `''` is the bucket root. */
  prefix: string;
  /** Continue after this key: the previous page's `nextMarker`. */
  marker?: string;
  /** Page size 1..1000 (folders and files together). @default 1000 */
  maxKeys?: number;
}

export interface ListFolderOutput {
  /** The folder listed, ending in `/` (or `''` for the root). */
  prefix: string;
  /** Sub-folders, as full prefixes ending in `/`. */
  folders: string[];
  /** Objects directly in the folder (its own marker object is left out). */
  files: ObjectSummary[];
  isTruncated: boolean;
  nextMarker: string | undefined;
}

/** Lists one level of a folder, one page at a time (delimiter `/`). */
export async function listFolder(client: CosClient, input: ListFolderInput): Promise<ListFolderOutput> {
  checkInput(client, input, ['prefix', 'marker', 'maxKeys'], 'listFolder');
  if (typeof input.prefix !== 'string') throw invalidArgument('prefix must be a string ("" for the bucket root)');
  const prefix = input.prefix === '' ? '' : folderKey(input.prefix);
  assertPageSize(input.maxKeys, 'maxKeys');
  const page = await listObjects(client, { ...targetOf(input), prefix, delimiter: '/', marker: input.marker, maxKeys: input.maxKeys });
  return {
    prefix,
    folders: page.commonPrefixes,
    files: page.contents.filter((o) => o.key !== prefix),
    isTruncated: page.isTruncated,
    nextMarker: page.nextMarker,
  };
}

export interface StatFolderInput extends TargetOptions {
  prefix: string;
}

export interface StatFolderOutput {
  /** The folder, ending in `/`. */
  prefix: string;
  /** It has a marker object or at least one key under it. */
  exists: boolean;
  /** The marker object `prefix/` exists (then `lastModified`/`meta` are its). */
  hasMarker: boolean;
  lastModified: Date | undefined;
  meta: Record<string, string>;
}

/** Says whether a folder exists: its marker object (HEAD), else any key under the prefix (a one-key listing). */
export async function statFolder(client: CosClient, input: StatFolderInput): Promise<StatFolderOutput> {
  checkInput(client, input, ['prefix'], 'statFolder');
  const prefix = folderKey(input.prefix);
  try {
    const head = await client.headObject({ ...targetOf(input), key: prefix });
    return { prefix, exists: true, hasMarker: true, lastModified: head.lastModified, meta: head.meta };
  } catch (error) {
    if (!(isCosServiceError(error) && error.status === 404 && error.code === 'NoSuchKey')) throw error;
  }
  const page = await listObjects(client, { ...targetOf(input), prefix, maxKeys: 1 });
  return { prefix, exists: page.contents.length > 0, hasMarker: false, lastModified: undefined, meta: {} };
}

// ---------------------------------------------------------------------------------------------------------------
// statObject / updateObjectMeta

export interface StatObjectInput extends TargetOptions {
  key: string;
  versionId?: string;
}

/** What `statObject` tells about an object: `headObject`'s facts without the raw `Headers`. */
export type StatObjectOutput = Omit<HeadObjectOutput, 'headers'> & { key: string };

/** An object's size, type, dates, checksums and metadata (HEAD Object); a missing key rejects with `NoSuchKey`. */
export async function statObject(client: CosClient, input: StatObjectInput): Promise<StatObjectOutput> {
  checkInput(client, input, ['key', 'versionId'], 'statObject');
  assertKey(input.key);
  const { headers: _headers, ...facts } = await client.headObject({ ...targetOf(input), key: input.key, versionId: input.versionId });
  return { key: input.key, ...facts };
}

/**
 * New metadata for an existing object. `meta`, `contentType`, `cacheControl`, `contentDisposition`,
 * `contentEncoding`, `contentLanguage` and `expires` are replaced as a group: any of them not given is cleared
 * (COS's "Replaced" directive, and the JSON API's update_file behaved the same).
 */
export interface UpdateObjectMetaInput extends TargetOptions, Omit<ObjectHeaderOptions, 'trafficLimit'> {
  key: string;
}

export interface UpdateObjectMetaOutput {
  etag: string;
  crc64: string | undefined;
  lastModified: Date | undefined;
  versionId: string | undefined;
}

const UPDATE_KEYS = ['key', ...OBJECT_HEADER_KEYS.filter((k) => k !== 'trafficLimit')];

/** Replaces an object's metadata by copying it onto itself with `metadataDirective: 'Replaced'` (no bytes move). */
export async function updateObjectMeta(client: CosClient, input: UpdateObjectMetaInput): Promise<UpdateObjectMetaOutput> {
  checkInput(client, input, UPDATE_KEYS, 'updateObjectMeta');
  assertKey(input.key);
  const { bucket, region, signal, key, ...headerOptions } = input;
  const out = await client.copyObject({
    ...headerOptions,
    ...targetOf({ bucket, region, signal }),
    key,
    source: { bucket, region, key },
    metadataDirective: 'Replaced',
  });
  return { etag: out.etag, crc64: out.crc64, lastModified: out.lastModified, versionId: out.versionId };
}

// ---------------------------------------------------------------------------------------------------------------
// deleteFolder

export interface DeleteFolderProgress {
  /** Objects deleted so far. */
  deleted: number;
  /** Objects COS refused to delete so far. */
  failed: number;
}

export interface DeleteFolderInput extends TargetOptions {
  prefix: string;
  /**
   * `false`: delete only an empty folder's marker object and refuse (`FolderNotEmpty`) otherwise. `true`: abort
   * the uploads in progress under the prefix, then delete every key under it in batches of up to 1000.
   * @default false
   */
  recursive?: boolean;
  /** After each batch. */
  onProgress?: (progress: DeleteFolderProgress) => void;
}

export interface DeleteFolderOutput {
  deleted: number;
  /** Keys COS refused to delete (returned, not thrown, so one bad key does not hide the rest). */
  errors: DeleteObjectError[];
  /** Multipart uploads in progress under the prefix that were aborted. */
  abortedUploads: number;
}

/** Deletes a folder: its marker object, and with `recursive` everything under it (see `DeleteFolderInput`). */
export async function deleteFolder(client: CosClient, input: DeleteFolderInput): Promise<DeleteFolderOutput> {
  checkInput(client, input, ['prefix', 'recursive', 'onProgress'], 'deleteFolder');
  const prefix = folderKey(input.prefix);
  if (input.recursive !== undefined && typeof input.recursive !== 'boolean') throw invalidArgument('recursive must be a boolean');
  if (input.onProgress !== undefined && typeof input.onProgress !== 'function') throw invalidArgument('onProgress must be a function');
  const target = targetOf(input);

  if (!(input.recursive ?? false)) {
    const page = await listObjects(client, { ...target, prefix, maxKeys: 2 });
    const others = page.contents.filter((o) => o.key !== prefix);
    if (others.length > 0) {
      throw new CosClientError(
        'FolderNotEmpty',
        `folder ${JSON.stringify(prefix)} is not empty (e.g. ${JSON.stringify(others[0]!.key)}); pass recursive: true to delete everything under it`,
      );
    }
    const hasMarker = page.contents.length > 0;
    if (hasMarker) await client.deleteObject({ ...target, key: prefix });
    input.onProgress?.({ deleted: hasMarker ? 1 : 0, failed: 0 });
    return { deleted: hasMarker ? 1 : 0, errors: [], abortedUploads: 0 };
  }

  // Uploads first: one completing mid-delete would bring an object back.
  let abortedUploads = 0;
  const { uploads } = await client.listMultipartUploads({ ...target, prefix });
  for (const upload of uploads) {
    try {
      await client.abortMultipartUpload({ ...target, key: upload.key, uploadId: upload.uploadId });
      abortedUploads++;
    } catch (error) {
      // Completed or aborted by someone else since the listing: nothing left to abort.
      if (!(isCosServiceError(error) && error.code === 'NoSuchUpload')) throw error;
    }
  }

  let deleted = 0;
  const errors: DeleteObjectError[] = [];
  const deleteBatch = async (keys: string[]): Promise<void> => {
    const out = await client.deleteObjects({ ...target, keys, quiet: true });
    errors.push(...out.errors);
    deleted += keys.length - out.errors.length;
    input.onProgress?.({ deleted, failed: errors.length });
  };
  // List the next page while the current one is being deleted: the marker already lies past the deleted keys.
  let page = await listObjects(client, { ...target, prefix, maxKeys: 1000 });
  for (;;) {
    const keys = page.contents.map((o) => o.key);
    const pending = keys.length ? deleteBatch(keys) : Promise.resolve();
    if (!page.isTruncated) {
      await pending;
      break;
    }
    if (page.nextMarker === undefined) {
      await pending;
      throw new CosClientError('MalformedResponse', `GetBucket answered a truncated page of ${JSON.stringify(prefix)} without a marker to continue from`);
    }
    const [, next] = await Promise.all([pending, listObjects(client, { ...target, prefix, maxKeys: 1000, marker: page.nextMarker })]);
    page = next;
  }
  return { deleted, errors, abortedUploads };
}
