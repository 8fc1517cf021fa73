/**
 * APPEND Object (Doc 7741): `POST /<key>?append&position=N`. The first append (position 0) creates an `appendable`
 * object; each later one must start exactly at the current length, which the previous call returned.
 */
import type { CosClient } from '../client.ts';
import type { RequestBody, TransferProgress } from '../http/types.ts';
import { assertBody, assertKey, assertNonNegativeInteger, bodySize } from '../validate.ts';
import { OBJECT_HEADER_KEYS, objectHeaders, type ObjectHeaderOptions } from './headers.ts';
import { isCosServiceError } from '../errors.ts';
import { crc64 } from '../checksum/index.ts';
import { assertContentMd5, checkInput, hashBody, targetOf, uploadProgress, type TargetOptions } from './common.ts';
import { getObject, headObject } from './object.ts';

export interface AppendObjectInput extends TargetOptions, ObjectHeaderOptions {
  key: string;
  /** Where this chunk goes: 0 for the first append, then the previous call's `nextPosition`. */
  position: number;
  body: RequestBody;
  /** Send `Content-MD5`: `true` computes it, a string is sent as is. @default false */
  contentMd5?: boolean | string;
  onProgress?: (progress: TransferProgress) => void;
}

export interface AppendObjectOutput {
  /** The object's length after this append: the `position` of the next one. */
  nextPosition: number;
  etag: string;
  /** CRC-64 of the whole object so far, when COS sends it. */
  crc64: string | undefined;
  requestId: string | undefined;
}

const APPEND_KEYS = [...OBJECT_HEADER_KEYS, 'key', 'position', 'body', 'contentMd5', 'onProgress'];

/**
 * Appends `body` at `position`. A wrong position rejects with `CosServiceError` code `AppendPositionErr` (409); a
 * normal (non-appendable) object with `ObjectNotAppendable` (409). Content and metadata options take effect on the
 * first append, which creates the object.
 *
 * An append whose response was lost may be sent again, by the pipeline's retry or by the browser itself (Chromium
 * silently resends a request, POST included, when a reused connection closes without an answer), and the resent
 * one meets `AppendPositionErr` although the first landed. So on that error the object is checked: when it ends
 * at `position + size` with exactly these bytes (CRC-64 of that range), the append is reported done. This makes
 * `appendObject` idempotent for the same `(position, body)`.
 */
export async function appendObject(client: CosClient, input: AppendObjectInput): Promise<AppendObjectOutput> {
  checkInput(client, input, APPEND_KEYS, 'appendObject');
  assertKey(input.key);
  assertNonNegativeInteger(input.position, 'position');
  assertBody(input.body);
  assertContentMd5(input.contentMd5);
  const headers = objectHeaders(input);
  if (typeof input.contentMd5 === 'string') headers['Content-MD5'] = input.contentMd5;
  else if (input.contentMd5 === true) headers['Content-MD5'] = (await hashBody(client, input.body, { md5: true, signal: input.signal })).md5;
  const size = bodySize(input.body);
  const progress = uploadProgress(input.onProgress, size);
  let response;
  try {
    response = await client.request({
      action: 'AppendObject',
      method: 'POST',
      ...targetOf(input),
      key: input.key,
      query: { append: '', position: input.position },
      headers,
      body: input.body,
      responseType: 'none',
      onUploadProgress: progress.onUploadProgress,
    });
  } catch (error) {
    if (!isCosServiceError(error) || error.code !== 'AppendPositionErr') throw error;
    const landed = await landedEarlier(client, input, size);
    if (!landed) throw error;
    progress.done();
    return landed;
  }
  progress.done();
  return {
    // The pipeline rejects with CorsHeaderMissing when this header is not readable.
    nextPosition: Number(response.headers.get('x-cos-next-append-position')),
    etag: response.headers.get('etag') ?? '',
    crc64: response.headers.get('x-cos-hash-crc64ecma') ?? undefined,
    requestId: response.requestId,
  };
}

/** Whether an earlier attempt of this append is what the object now ends with; its result if so. */
async function landedEarlier(client: CosClient, input: AppendObjectInput, size: number): Promise<AppendObjectOutput | undefined> {
  const target = { ...targetOf(input), key: input.key };
  const head = await headObject(client, target);
  if (size === 0 || head.objectType !== 'appendable' || head.size !== input.position + size) return undefined;
  const [landed, ours] = await Promise.all([
    getObject(client, { ...target, range: { start: input.position, end: head.size - 1 }, as: 'arrayBuffer' }),
    hashBody(client, input.body, { md5: false, signal: input.signal }),
  ]);
  if (landed.etag !== head.etag || crc64(landed.body) !== ours.crc64) return undefined;
  return { nextPosition: head.size, etag: head.etag, crc64: head.crc64, requestId: head.requestId };
}
