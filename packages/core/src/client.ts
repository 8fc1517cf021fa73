/**
 * `CosClient`: normalized options and the request pipeline. Operations are thin methods that delegate to the
 * per-family modules in `ops/` and `transfer/`; each family owns the section between its markers.
 */
import type { Authorizer, CredentialsProvider, StaticCredentials } from './auth/types.ts';
import { CredentialsCache } from './auth/credentials.ts';
import { invalidArgument } from './errors.ts';
import { send } from './http/request.ts';
import type { CosRequestInit, CosResponse } from './http/types.ts';
import { resolveEndpoint, type ResolvedEndpoint } from './http/endpoint.ts';
import type { Hasher, ResumeStore } from './transfer/types.ts';
import { assertBucket, assertKnownKeys, assertRegion } from './validate.ts';
// <imports>
import type { TargetOptions } from './ops/common.ts';
import {
  getObject,
  headObject,
  putObject,
  type GetObjectAs,
  type GetObjectBodies,
  type GetObjectInput,
  type GetObjectOutput,
  type HeadObjectInput,
  type HeadObjectOutput,
  type PutObjectInput,
  type PutObjectOutput,
} from './ops/object.ts';
import {
  deleteObject,
  deleteObjects,
  type DeleteObjectInput,
  type DeleteObjectOutput,
  type DeleteObjectsInput,
  type DeleteObjectsOutput,
} from './ops/delete.ts';
import { copyObject, type CopyObjectInput, type CopyObjectOutput } from './ops/copy.ts';
import { appendObject, type AppendObjectInput, type AppendObjectOutput } from './ops/append.ts';
import {
  getBucketAcl,
  getObjectAcl,
  putBucketAcl,
  putObjectAcl,
  type GetAclOutput,
  type GetObjectAclInput,
  type PutBucketAclInput,
  type PutObjectAclInput,
} from './ops/acl.ts';
import { getObjectUrl, type GetObjectUrlInput } from './ops/url.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  uploadPart,
  uploadPartCopy,
  type AbortMultipartUploadInput,
  type CompleteMultipartUploadInput,
  type CompleteMultipartUploadOutput,
  type CreateMultipartUploadInput,
  type CreateMultipartUploadOutput,
  type UploadPartCopyInput,
  type UploadPartCopyOutput,
  type UploadPartInput,
  type UploadPartOutput,
} from './ops/multipart.ts';
import {
  listMultipartUploads,
  listParts,
  type ListMultipartUploadsInput,
  type ListMultipartUploadsOutput,
  type ListPartsInput,
  type ListPartsOutput,
} from './ops/multipart-list.ts';
import { listAllObjects, listObjects, listObjectsPages, type ListObjectsInput, type ListObjectsOutput, type ObjectSummary } from './ops/list.ts';
import { uploadFile, type UploadFileInput, type UploadHandle } from './transfer/upload.ts';
import { downloadFile, type DownloadFileInput, type DownloadHandle } from './transfer/download.ts';
import {
  downloadFolder,
  uploadFiles,
  uploadFolder,
  type DownloadFolderInput,
  type DownloadFolderResult,
  type UploadFilesInput,
  type UploadFilesResult,
  type UploadFolderInput,
} from './transfer/batch.ts';
import {
  createBucket,
  deleteBucket,
  headBucket,
  listBuckets,
  type CreateBucketInput,
  type CreateBucketOutput,
  type HeadBucketOutput,
  type ListBucketsInput,
  type ListBucketsOutput,
} from './ops/bucket.ts';
import {
  deleteBucketCors,
  deleteBucketLifecycle,
  getBucketCors,
  getBucketLifecycle,
  putBucketCors,
  putBucketLifecycle,
  type GetBucketCorsOutput,
  type GetBucketLifecycleOutput,
  type PutBucketCorsInput,
  type PutBucketLifecycleInput,
} from './ops/bucket-config.ts';
import {
  createFolder,
  deleteFolder,
  listFolder,
  statFolder,
  statObject,
  updateObjectMeta,
  type CreateFolderInput,
  type CreateFolderOutput,
  type DeleteFolderInput,
  type DeleteFolderOutput,
  type ListFolderInput,
  type ListFolderOutput,
  type StatFolderInput,
  type StatFolderOutput,
  type StatObjectInput,
  type StatObjectOutput,
  type UpdateObjectMetaInput,
  type UpdateObjectMetaOutput,
} from './ops/folder.ts';
// </imports>

export interface RetryOptions {
  /** Attempts after the first. @default 3 */
  limit?: number;
  /** First backoff ceiling in ms; doubles each attempt (full jitter: a random delay in [0, ceiling]). @default 300 */
  baseDelay?: number;
  /** Largest delay in ms, `Retry-After` included. @default 20000 */
  maxDelay?: number;
}

export interface CosClientOptions {
  /** Default bucket, `name-appid`. Each call may pass its own. */
  bucket?: string;
  /** Default region, e.g. `ap-guangzhou`. */
  region?: string;
  /**
   * Keys: static `{ secretId, secretKey, sessionToken? }` (permanent keys in a browser log a warning), or an async
   * provider returning temporary keys (qcloud-cos-sts or cos-js-sdk-v5 shape). Cached, refreshed before expiry.
   */
  credentials?: StaticCredentials | CredentialsProvider;
  /** Server-side signing instead of keys: return a ready Authorization (and token). */
  authorize?: Authorizer;
  /**
   * Endpoint: a template (`https://{Bucket}.cos.{Region}.myqcloud.com`; also `{AppId}`) or a fixed URL (custom
   * domain). @default `{protocol}//{Bucket}.cos.{Region}.myqcloud.com`
   */
  endpoint?: string;
  /** Use the global acceleration domain `{Bucket}.cos.accelerate.myqcloud.com`. @default false */
  accelerate?: boolean;
  /** Address as `{endpoint}/{bucket}/{key}` and sign `/{bucket}/{key}`. @default false */
  forcePathStyle?: boolean;
  /** @default 'https:' */
  protocol?: 'https:' | 'http:';
  /** Per-attempt timeout in ms (0: none). @default 120000 */
  timeout?: number;
  retry?: RetryOptions;
  /** Lifetime of each request signature (and default of presigned URLs) in seconds. @default 900 */
  signExpires?: number;
  /** Re-sign with the server's clock after `RequestTimeTooSkewed` / "Request has expired". @default true */
  correctClockSkew?: boolean;
  /** fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Checksums for the transfer engine (the uploader package supplies a Web Worker pool). @default main-thread */
  hasher?: Hasher;
  /** Where resumable transfers are recorded. @default none (no resume across calls) */
  resumeStore?: ResumeStore;
}

export interface NormalizedOptions {
  readonly bucket: string | undefined;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  readonly accelerate: boolean;
  readonly forcePathStyle: boolean;
  readonly protocol: 'https:' | 'http:';
  readonly timeout: number;
  readonly retry: Required<RetryOptions>;
  readonly signExpires: number;
  readonly correctClockSkew: boolean;
  readonly fetch: typeof fetch;
  readonly hasher: Hasher | undefined;
  readonly resumeStore: ResumeStore | undefined;
  readonly authorize: Authorizer | undefined;
}

const DEFAULTS = Object.freeze({
  accelerate: false,
  forcePathStyle: false,
  protocol: 'https:' as const,
  timeout: 120_000,
  retry: Object.freeze({ limit: 3, baseDelay: 300, maxDelay: 20_000 }),
  signExpires: 900,
  correctClockSkew: true,
});

const OPTION_KEYS = [
  'bucket',
  'region',
  'credentials',
  'authorize',
  'endpoint',
  'accelerate',
  'forcePathStyle',
  'protocol',
  'timeout',
  'retry',
  'signExpires',
  'correctClockSkew',
  'fetch',
  'hasher',
  'resumeStore',
] as const;

export class CosClient {
  readonly options: NormalizedOptions;
  /** @internal credentials cache shared by every request of this client. */
  readonly credentials: CredentialsCache | undefined;
  /** @internal seconds to add to the local clock, learned from the server on a skew error. */
  clockOffset = 0;

  constructor(options: CosClientOptions = {}) {
    assertKnownKeys(options, OPTION_KEYS, 'CosClient');
    if (options.bucket !== undefined) assertBucket(options.bucket);
    if (options.region !== undefined) assertRegion(options.region);
    if (options.credentials === undefined && options.authorize === undefined) {
      throw invalidArgument('CosClient needs `credentials` (keys or a provider of temporary keys) or `authorize` (server-side signing)');
    }
    if (options.protocol !== undefined && options.protocol !== 'https:' && options.protocol !== 'http:') {
      throw invalidArgument(`protocol must be "https:" or "http:"; got ${JSON.stringify(options.protocol)}`);
    }
    assertKnownKeys(options.retry ?? {}, ['limit', 'baseDelay', 'maxDelay'], 'CosClient retry');
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw invalidArgument('no fetch available: pass the `fetch` option');
    this.options = Object.freeze({
      bucket: options.bucket,
      region: options.region,
      endpoint: options.endpoint,
      accelerate: options.accelerate ?? DEFAULTS.accelerate,
      forcePathStyle: options.forcePathStyle ?? DEFAULTS.forcePathStyle,
      protocol: options.protocol ?? DEFAULTS.protocol,
      timeout: options.timeout ?? DEFAULTS.timeout,
      retry: Object.freeze({
        limit: options.retry?.limit ?? DEFAULTS.retry.limit,
        baseDelay: options.retry?.baseDelay ?? DEFAULTS.retry.baseDelay,
        maxDelay: options.retry?.maxDelay ?? DEFAULTS.retry.maxDelay,
      }),
      signExpires: options.signExpires ?? DEFAULTS.signExpires,
      correctClockSkew: options.correctClockSkew ?? DEFAULTS.correctClockSkew,
      // Unbound fetch throws "Illegal invocation" in browsers.
      fetch: fetchImpl === globalThis.fetch ? fetchImpl.bind(globalThis) : fetchImpl,
      hasher: options.hasher,
      resumeStore: options.resumeStore,
      authorize: options.authorize,
    });
    this.credentials = options.credentials === undefined ? undefined : new CredentialsCache(options.credentials);
  }

  /** Sends one signed request through the pipeline (retries, timeouts, clock-skew correction, error parsing). */
  request<T = CosResponse['data']>(init: CosRequestInit): Promise<CosResponse<T>> {
    return send(this, init) as Promise<CosResponse<T>>;
  }

  /** Where a request for this bucket/region/key goes, and the pathname its signature covers. */
  endpointFor(target: { bucket?: string | null | undefined; region?: string | undefined; key?: string | undefined }): ResolvedEndpoint {
    return resolveEndpoint(this.options, target);
  }

  /** Current time in Unix seconds, corrected by what the server told us about its clock. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  // <ops:object>
  /** Uploads an object in one request (`PUT Object`); verifies the server's CRC-64 by default. */
  putObject(input: PutObjectInput): Promise<PutObjectOutput> {
    return putObject(this, input);
  }

  /** Downloads an object or a byte range; `as` picks Blob (default), ArrayBuffer, text or a ReadableStream. */
  getObject<A extends GetObjectAs = 'blob'>(input: GetObjectInput<A>): Promise<GetObjectOutput<GetObjectBodies[A]>> {
    return getObject(this, input);
  }

  /** Reads an object's metadata (`HEAD Object`). */
  headObject(input: HeadObjectInput): Promise<HeadObjectOutput> {
    return headObject(this, input);
  }

  /** Deletes one object. */
  deleteObject(input: DeleteObjectInput): Promise<DeleteObjectOutput> {
    return deleteObject(this, input);
  }

  /** Deletes up to 1000 objects in one request; per-key failures are returned in `errors`. */
  deleteObjects(input: DeleteObjectsInput): Promise<DeleteObjectsOutput> {
    return deleteObjects(this, input);
  }

  /** Copies an object server-side, keeping (`Copy`) or replacing (`Replaced`) its metadata. */
  copyObject(input: CopyObjectInput): Promise<CopyObjectOutput> {
    return copyObject(this, input);
  }

  /** Appends to an appendable object at `position`; returns the next position. */
  appendObject(input: AppendObjectInput): Promise<AppendObjectOutput> {
    return appendObject(this, input);
  }

  /** Reads an object's ACL. */
  getObjectAcl(input: GetObjectAclInput): Promise<GetAclOutput> {
    return getObjectAcl(this, input);
  }

  /** Sets an object's ACL (canned ACL, grant headers or a full policy). */
  putObjectAcl(input: PutObjectAclInput): Promise<{ requestId: string | undefined }> {
    return putObjectAcl(this, input);
  }

  /** Reads a bucket's ACL. */
  getBucketAcl(input?: TargetOptions): Promise<GetAclOutput> {
    return getBucketAcl(this, input);
  }

  /** Sets a bucket's ACL (canned ACL, grant headers or a full policy). */
  putBucketAcl(input: PutBucketAclInput): Promise<{ requestId: string | undefined }> {
    return putBucketAcl(this, input);
  }
  // </ops:object>

  // <ops:multipart>
  /** Starts a multipart upload (`POST ?uploads`); the headers given become the final object's. */
  createMultipartUpload(input: CreateMultipartUploadInput): Promise<CreateMultipartUploadOutput> {
    return createMultipartUpload(this, input);
  }

  /** Uploads one part; by default verifies the server's CRC-64 of the part against the body's. */
  uploadPart(input: UploadPartInput): Promise<UploadPartOutput> {
    return uploadPart(this, input);
  }

  /** Copies (a byte range of) an existing object into one part. */
  uploadPartCopy(input: UploadPartCopyInput): Promise<UploadPartCopyOutput> {
    return uploadPartCopy(this, input);
  }

  /** Lists an upload's parts: every page merged, or one page when `maxParts`/`partNumberMarker` is given. */
  listParts(input: ListPartsInput): Promise<ListPartsOutput> {
    return listParts(this, input);
  }

  /** Completes an upload from its parts (sorted for you); returns the object's ETag and CRC-64. */
  completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<CompleteMultipartUploadOutput> {
    return completeMultipartUpload(this, input);
  }

  /** Aborts an upload and frees its parts. */
  abortMultipartUpload(input: AbortMultipartUploadInput): Promise<void> {
    return abortMultipartUpload(this, input);
  }

  /** Lists uploads in progress: every page merged, or one page when a paging option is given. */
  listMultipartUploads(input?: ListMultipartUploadsInput): Promise<ListMultipartUploadsOutput> {
    return listMultipartUploads(this, input);
  }
  // </ops:multipart>

  // <ops:list>
  /** Lists one page of objects (GET Bucket); keys come back exact (url-encoded on the wire, decoded). */
  listObjects(input?: ListObjectsInput): Promise<ListObjectsOutput> {
    return listObjects(this, input);
  }

  /** Every page of a listing, as an async iterator (`maxKeys` is the page size). */
  listObjectsPages(input?: ListObjectsInput): AsyncGenerator<ListObjectsOutput, void, undefined> {
    return listObjectsPages(this, input);
  }

  /** Every object of a listing, as an async iterator (common prefixes are not yielded). */
  listAllObjects(input?: ListObjectsInput): AsyncGenerator<ObjectSummary, void, undefined> {
    return listAllObjects(this, input);
  }
  // </ops:list>

  // <ops:bucket>
  /** Creates a bucket (default: the client's), with an optional canned ACL and grants. */
  createBucket(input?: CreateBucketInput): Promise<CreateBucketOutput> {
    return createBucket(this, input);
  }

  /** Deletes an empty bucket; one with objects or uploads rejects with `BucketNotEmpty`. */
  deleteBucket(input?: TargetOptions): Promise<void> {
    return deleteBucket(this, input);
  }

  /** Resolves `{ exists: true, region }` for an accessible bucket; a missing one rejects with `NoSuchBucket`. */
  headBucket(input?: TargetOptions): Promise<HeadBucketOutput> {
    return headBucket(this, input);
  }

  /** Lists the account's buckets (GET Service). */
  listBuckets(input?: ListBucketsInput): Promise<ListBucketsOutput> {
    return listBuckets(this, input);
  }

  /** Replaces the bucket's CORS rules. */
  putBucketCors(input: PutBucketCorsInput): Promise<void> {
    return putBucketCors(this, input);
  }

  /** Reads the bucket's CORS rules (`rules: []` when none are configured). */
  getBucketCors(input?: TargetOptions): Promise<GetBucketCorsOutput> {
    return getBucketCors(this, input);
  }

  /** Removes the bucket's CORS configuration (browsers then can no longer call the bucket). */
  deleteBucketCors(input?: TargetOptions): Promise<void> {
    return deleteBucketCors(this, input);
  }

  /** Replaces the bucket's lifecycle rules. */
  putBucketLifecycle(input: PutBucketLifecycleInput): Promise<void> {
    return putBucketLifecycle(this, input);
  }

  /** Reads the bucket's lifecycle rules (`rules: []` when none are configured). */
  getBucketLifecycle(input?: TargetOptions): Promise<GetBucketLifecycleOutput> {
    return getBucketLifecycle(this, input);
  }

  /** Removes the bucket's lifecycle configuration. */
  deleteBucketLifecycle(input?: TargetOptions): Promise<void> {
    return deleteBucketLifecycle(this, input);
  }
  // </ops:bucket>

  // <ops:folder>
  /** Creates a folder: the empty marker object `prefix/`. */
  createFolder(input: CreateFolderInput): Promise<CreateFolderOutput> {
    return createFolder(this, input);
  }

  /** Lists one level of a folder (sub-folders and files), one page at a time. */
  listFolder(input: ListFolderInput): Promise<ListFolderOutput> {
    return listFolder(this, input);
  }

  /** Whether a folder exists (marker object or any key under it). */
  statFolder(input: StatFolderInput): Promise<StatFolderOutput> {
    return statFolder(this, input);
  }

  /** An object's size, type, dates, checksums and metadata. */
  statObject(input: StatObjectInput): Promise<StatObjectOutput> {
    return statObject(this, input);
  }

  /** Replaces an object's metadata (copy onto itself with `Replaced`); unspecified content headers are cleared. */
  updateObjectMeta(input: UpdateObjectMetaInput): Promise<UpdateObjectMetaOutput> {
    return updateObjectMeta(this, input);
  }

  /** Deletes a folder: an empty one by default, everything under it with `recursive: true`. */
  deleteFolder(input: DeleteFolderInput): Promise<DeleteFolderOutput> {
    return deleteFolder(this, input);
  }
  // </ops:folder>

  // <ops:url>
  /** A presigned URL for `key` (GET by default), valid for `expires` seconds. */
  getObjectUrl(input: GetObjectUrlInput): Promise<string> {
    return getObjectUrl(this, input);
  }
  // </ops:url>

  // <transfer>
  /**
   * Uploads a file: one PUT up to `sliceThreshold`, else a parallel, CRC-64-verified, resumable multipart upload.
   * Returns a handle at once (`done`, `pause()`, `resume()`, `abort()`, progress events); bad input throws here.
   */
  uploadFile(input: UploadFileInput): UploadHandle {
    return uploadFile(this, input);
  }

  /** Downloads an object (ranged and parallel when large) to a Blob or a stream, CRC-64-verified; returns a handle. */
  downloadFile(input: DownloadFileInput): DownloadHandle {
    return downloadFile(this, input);
  }

  /** Uploads many files (a few at once); resolves with a result per file, failures included. */
  uploadFiles(input: UploadFilesInput): Promise<UploadFilesResult> {
    return uploadFiles(this, input);
  }

  /** Uploads a picked/dropped folder under `prefix`, keeping relative paths; a result per file. */
  uploadFolder(input: UploadFolderInput): Promise<UploadFilesResult> {
    return uploadFolder(this, input);
  }

  /** Downloads every object under `prefix` (directory markers skipped); a result per object. */
  downloadFolder(input: DownloadFolderInput): Promise<DownloadFolderResult> {
    return downloadFolder(this, input);
  }
  // </transfer>
}
