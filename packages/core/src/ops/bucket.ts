/**
 * Bucket operations: create, delete, head and list (GET Service) (Docs 7738, 7732, 7735, 8291). CORS and lifecycle
 * configuration live in bucket-config.ts, bucket ACLs in acl.ts.
 */
import type { CosClient } from '../client.ts';
import { invalidArgument } from '../errors.ts';
import { checkInput, node, nodes, ownerOf, targetOf, text, type CosOwner, type TargetOptions } from './common.ts';
import { grantHeaders, type BucketAcl, type GrantHeaders } from './headers.ts';

/** Input of `createBucket`. */
export interface CreateBucketInput extends TargetOptions, GrantHeaders {
  /** `name-appid`; required here (default: the client's). */
  bucket?: string;
  /** @default 'private' (COS's default) */
  acl?: BucketAcl;
  /** `x-cos-grant-write`: who may write objects into the bucket. */
  grantWrite?: string;
}

/** What `createBucket` answers. */
export interface CreateBucketOutput {
  /** The bucket's URL. */
  location: string;
}

const ACLS: readonly string[] = ['private', 'public-read', 'public-read-write'];

/** Creates a bucket (PUT Bucket). An existing bucket answers 409 `BucketAlreadyExists`/`BucketAlreadyOwnedByYou`. */
export async function createBucket(client: CosClient, input: CreateBucketInput = {}): Promise<CreateBucketOutput> {
  checkInput(client, input, ['acl', 'grantRead', 'grantWrite', 'grantReadAcp', 'grantWriteAcp', 'grantFullControl'], 'createBucket');
  if (input.acl !== undefined && !ACLS.includes(input.acl)) {
    throw invalidArgument(`acl must be one of ${ACLS.join(', ')}; got ${JSON.stringify(input.acl)}`);
  }
  const response = await client.request({
    action: 'PutBucket',
    method: 'PUT',
    ...targetOf(input),
    headers: { 'x-cos-acl': input.acl, 'x-cos-grant-write': input.grantWrite, ...grantHeaders(input) },
    responseType: 'none',
  });
  return { location: response.url };
}

/** Deletes an empty bucket (DELETE Bucket); one with objects answers 409 `BucketNotEmpty`. */
export async function deleteBucket(client: CosClient, input: TargetOptions = {}): Promise<void> {
  checkInput(client, input, [], 'deleteBucket');
  await client.request({ action: 'DeleteBucket', method: 'DELETE', ...targetOf(input), responseType: 'none' });
}

/** What `headBucket` answers for an accessible bucket. */
export interface HeadBucketOutput {
  exists: true;
  /** From `x-cos-bucket-region`, when COS (and CORS) lets us read it. */
  region: string | undefined;
}

/** Checks that a bucket exists and is accessible (HEAD Bucket); a missing one rejects with `NoSuchBucket`. */
export async function headBucket(client: CosClient, input: TargetOptions = {}): Promise<HeadBucketOutput> {
  checkInput(client, input, [], 'headBucket');
  const response = await client.request({ action: 'HeadBucket', method: 'HEAD', ...targetOf(input), responseType: 'none' });
  return { exists: true, region: response.headers.get('x-cos-bucket-region') ?? undefined };
}

/** Input of `listBuckets`. */
export interface ListBucketsInput {
  /** The region the request goes to (GET Service on `cos.<region>.myqcloud.com` lists that region's buckets). */
  region?: string;
  signal?: AbortSignal;
}

/** A bucket as GET Service lists it. */
export interface BucketSummary {
  name: string;
  /** The bucket's region (`<Location>`). */
  region: string;
  creationDate: Date;
}

/** What `listBuckets` answers. */
export interface ListBucketsOutput {
  owner: CosOwner | undefined;
  buckets: BucketSummary[];
}

/** Lists the account's buckets (GET Service). */
export async function listBuckets(client: CosClient, input: ListBucketsInput = {}): Promise<ListBucketsOutput> {
  checkInput(client, input, [], 'listBuckets');
  if ((input as TargetOptions).bucket !== undefined) throw invalidArgument('listBuckets: takes no bucket (it lists them)');
  const { data } = await client.request({ action: 'GetService', method: 'GET', bucket: null, region: input.region, signal: input.signal });
  return {
    owner: ownerOf(data.Owner),
    buckets: nodes(node(data.Buckets).Bucket).map((b) => ({
      name: text(b.Name),
      region: text(b.Location),
      creationDate: new Date(text(b.CreationDate)),
    })),
  };
}
