import type { Authenticated } from './auth/verify.ts';
import { err } from './errors.ts';
import { type Ctx, header } from './http/context.ts';
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './ops/acl.ts';
import { appendObject } from './ops/append.ts';
import { deleteBucket, headBucket, listBuckets, putBucket } from './ops/bucket.ts';
import { deleteCors, deleteLifecycle, getCors, getLifecycle, putCors, putLifecycle } from './ops/bucket-config.ts';
import { completeUpload } from './ops/complete.ts';
import { copyObject } from './ops/copy.ts';
import { listObjects } from './ops/list.ts';
import { listUploads } from './ops/list-uploads.ts';
import { deleteMultiple } from './ops/multi-delete.ts';
import { abortUpload, initiateUpload, listParts, uploadPart, uploadPartCopy } from './ops/multipart.ts';
import { deleteObject, getObject, putObject } from './ops/object.ts';
import { postObject } from './ops/post-form.ts';

export interface Route {
  /** Name used in stats and fault rules (the COS action name, or e.g. PutObjectCopy). */
  op: string;
  /** CAM action checked against the request's own bucket/key; undefined = the handler authorizes itself. */
  action?: string;
  /** The handler streams the request body itself (so body-side faults happen there). */
  streamsBody?: boolean;
  /** May run without the bucket existing (PutBucket, GetService). */
  noBucket?: boolean;
  run: (ctx: Ctx, auth: Authenticated) => Promise<void>;
}

const r = (op: string, run: Route['run'], extra: Partial<Route> = {}): Route => ({ op, action: op, run, ...extra });

function bucketRoute(ctx: Ctx): Route {
  const q = ctx.query;
  switch (ctx.method) {
    case 'PUT':
      if (q.has('acl')) return r('PutBucketACL', putBucketAcl);
      if (q.has('cors')) return r('PutBucketCORS', putCors);
      if (q.has('lifecycle')) return r('PutBucketLifecycle', putLifecycle);
      return r('PutBucket', putBucket, { noBucket: true });
    case 'GET':
      if (q.has('acl')) return r('GetBucketACL', getBucketAcl);
      if (q.has('cors')) return r('GetBucketCORS', getCors);
      if (q.has('lifecycle')) return r('GetBucketLifecycle', getLifecycle);
      if (q.has('uploads')) return r('ListMultipartUploads', listUploads);
      return r('GetBucket', listObjects);
    case 'HEAD':
      return r('HeadBucket', headBucket);
    case 'DELETE':
      if (q.has('cors')) return r('DeleteBucketCORS', deleteCors);
      if (q.has('lifecycle')) return r('DeleteBucketLifecycle', deleteLifecycle);
      return r('DeleteBucket', deleteBucket);
    case 'POST':
      if (q.has('delete')) return r('DeleteMultipleObjects', deleteMultiple);
      return { op: 'PostObject', run: postObject, streamsBody: true };
    default:
      throw err.methodNotAllowed();
  }
}

function objectRoute(ctx: Ctx): Route {
  const q = ctx.query;
  const copy = header(ctx, 'x-cos-copy-source') !== undefined;
  switch (ctx.method) {
    case 'PUT':
      if (q.has('acl')) return r('PutObjectACL', putObjectAcl);
      if (q.has('partNumber') || q.has('uploadId')) {
        return copy ? r('UploadPartCopy', uploadPartCopy, { action: 'PutObject' }) : r('UploadPart', uploadPart, { streamsBody: true });
      }
      if (copy) return r('PutObjectCopy', copyObject, { action: 'PutObject' });
      return r('PutObject', putObject, { streamsBody: true });
    case 'GET':
      if (q.has('acl')) return r('GetObjectACL', getObjectAcl);
      if (q.has('uploadId')) return r('ListParts', listParts);
      return r('GetObject', getObject);
    case 'HEAD':
      return r('HeadObject', getObject);
    case 'DELETE':
      if (q.has('uploadId')) return r('AbortMultipartUpload', abortUpload);
      return r('DeleteObject', deleteObject);
    case 'POST':
      if (q.has('uploads')) return r('InitiateMultipartUpload', initiateUpload);
      if (q.has('uploadId')) return r('CompleteMultipartUpload', completeUpload);
      if (q.has('append')) return r('AppendObject', appendObject, { streamsBody: true });
      return { op: 'PostObject', run: postObject, streamsBody: true };
    default:
      throw err.methodNotAllowed();
  }
}

/** Maps method + query + addressing to one COS operation. */
export function resolveRoute(ctx: Ctx): Route {
  if (!ctx.bucket) {
    if (ctx.method === 'GET') return r('GetService', listBuckets, { noBucket: true });
    throw err.methodNotAllowed();
  }
  return ctx.key ? objectRoute(ctx) : bucketRoute(ctx);
}
