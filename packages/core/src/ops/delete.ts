/**
 * DELETE Object and DELETE Multiple Objects (Docs 7743, 8289). Input is checked whole before the first network
 * call, so a bad key fails with `InvalidArgument` and nothing is deleted.
 */
import type { CosClient } from '../client.ts';
import { md5Base64 } from '../checksum/index.ts';
import { invalidArgument } from '../errors.ts';
import type { XmlNode } from '../http/types.ts';
import { buildXml, list, text } from '../http/xml.ts';
import { assertKey, assertKnownKeys } from '../validate.ts';
import { checkInput, targetOf, type TargetOptions } from './common.ts';

/** Input of `deleteObject`. */
export interface DeleteObjectInput extends TargetOptions {
  key: string;
  versionId?: string;
}

/** What `deleteObject` answers. */
export interface DeleteObjectOutput {
  /** On versioned buckets: the version deleted, or the delete marker's version. */
  versionId: string | undefined;
  /** On versioned buckets: whether a delete marker was created. */
  deleteMarker: boolean;
  requestId: string | undefined;
}

/** Deletes one object. Deleting a missing key succeeds (204), as in COS. */
export async function deleteObject(client: CosClient, input: DeleteObjectInput): Promise<DeleteObjectOutput> {
  checkInput(client, input, ['key', 'versionId'], 'deleteObject');
  assertKey(input.key);
  const response = await client.request({
    action: 'DeleteObject',
    method: 'DELETE',
    ...targetOf(input),
    key: input.key,
    query: { versionId: input.versionId },
    responseType: 'none',
  });
  return {
    versionId: response.headers.get('x-cos-version-id') ?? undefined,
    deleteMarker: response.headers.get('x-cos-delete-marker') === 'true',
    requestId: response.requestId,
  };
}

/** Input of `deleteObjects`. */
export interface DeleteObjectsInput extends TargetOptions {
  /** 1 to 1000 keys (or `{ key, versionId }`). */
  keys: Array<string | { key: string; versionId?: string }>;
  /** Ask COS to list only failures. @default false */
  quiet?: boolean;
}

/** A key `deleteObjects` deleted (non-quiet mode). */
export interface DeletedObject {
  key: string;
  versionId?: string;
  deleteMarker?: boolean;
  deleteMarkerVersionId?: string;
}

/** A key COS refused to delete, with COS's error code and message. */
export interface DeleteObjectError {
  key: string;
  code: string;
  message: string;
  versionId?: string;
}

/** What `deleteObjects` answers. */
export interface DeleteObjectsOutput {
  deleted: DeletedObject[];
  /** Keys COS could not delete; they are returned, not thrown, so one bad key does not hide the rest. */
  errors: DeleteObjectError[];
  requestId: string | undefined;
}

/** COS caps DELETE Multiple at 1000 objects (Doc 8289). */
export const MAX_DELETE_KEYS = 1000;

/** Deletes up to 1000 objects in one request; per-key failures come back in `errors`. */
export async function deleteObjects(client: CosClient, input: DeleteObjectsInput): Promise<DeleteObjectsOutput> {
  checkInput(client, input, ['keys', 'quiet'], 'deleteObjects');
  if (!Array.isArray(input.keys) || input.keys.length === 0) throw invalidArgument('deleteObjects: keys must be a non-empty array');
  if (input.keys.length > MAX_DELETE_KEYS) {
    throw invalidArgument(`deleteObjects: COS deletes at most ${MAX_DELETE_KEYS} keys a call; got ${input.keys.length} (split them, or use deleteFolder)`);
  }
  if (input.quiet !== undefined && typeof input.quiet !== 'boolean') throw invalidArgument('deleteObjects: quiet must be a boolean');
  const objects = input.keys.map((entry, i) => {
    const item = typeof entry === 'string' ? { key: entry } : entry;
    if (typeof item !== 'object' || item === null) throw invalidArgument(`keys[${i}] must be a key or { key, versionId? }`);
    assertKnownKeys(item, ['key', 'versionId'], `keys[${i}]`);
    assertKey(item.key, `keys[${i}]`);
    return { Key: item.key, VersionId: item.versionId };
  });
  const body = buildXml('Delete', { Quiet: input.quiet ?? false, Object: objects });
  const response = await client.request({
    action: 'DeleteMultipleObjects',
    method: 'POST',
    ...targetOf(input),
    query: { delete: '' },
    // COS requires Content-MD5 on this request (Doc 8289), as the official SDKs always send it.
    headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5Base64(body) },
    body,
  });
  const optional = (node: XmlNode, name: string): string | undefined => (node[name] === undefined ? undefined : text(node, name));
  return {
    deleted: list(response.data, 'Deleted').map((node) => {
      const item: DeletedObject = { key: text(node, 'Key') };
      const versionId = optional(node, 'VersionId');
      if (versionId !== undefined) item.versionId = versionId;
      if (node.DeleteMarker !== undefined) item.deleteMarker = node.DeleteMarker === true;
      const markerVersion = optional(node, 'DeleteMarkerVersionId');
      if (markerVersion !== undefined) item.deleteMarkerVersionId = markerVersion;
      return item;
    }),
    errors: list(response.data, 'Error').map((node) => {
      const item: DeleteObjectError = { key: text(node, 'Key'), code: text(node, 'Code'), message: text(node, 'Message') };
      const versionId = optional(node, 'VersionId');
      if (versionId !== undefined) item.versionId = versionId;
      return item;
    }),
    requestId: response.requestId,
  };
}
