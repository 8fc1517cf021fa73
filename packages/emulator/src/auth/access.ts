import { err } from '../errors.ts';
import type { Ctx } from '../http/context.ts';
import type { AclValue } from '../storage/types.ts';
import { policyAllows, resourceOf } from './policy.ts';
import type { Authenticated } from './verify.ts';

const ANON_READ = new Set(['GetObject', 'HeadObject', 'GetBucket', 'HeadBucket']);
const ANON_WRITE = new Set([
  'PutObject',
  'PostObject',
  'DeleteObject',
  'DeleteMultipleObjects',
  'AppendObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'ListMultipartUploads',
]);

/** The ACL in force for an anonymous request: the object's own unless it defers to the bucket. */
function effectiveAcl(ctx: Ctx, bucket: string | undefined, key: string | undefined): AclValue {
  if (!bucket) return 'private';
  const b = ctx.state.store.getBucket(bucket);
  const bucketAcl = b?.acl.canned ?? 'private';
  if (key) {
    const o = ctx.state.store.getObject(bucket, key);
    if (o && o.acl.canned !== 'default') return o.acl.canned;
  }
  return bucketAcl === 'default' ? 'private' : bucketAcl;
}

/**
 * Authorizes one action on one resource. Permanent keys may do anything; temporary keys need their CAM policy;
 * anonymous callers need a public ACL (read for reads, read-write for writes).
 */
export function requireAccess(
  ctx: Ctx,
  auth: Authenticated,
  action: string,
  bucket: string | undefined = ctx.bucket,
  key: string | undefined = ctx.key,
): void {
  const p = auth.principal;
  if (p.kind === 'permanent') return;
  if (p.kind === 'temporary') {
    const resource = resourceOf(ctx.state.opts.region, ctx.state.opts.appId, bucket, key);
    if (!auth.policy || !policyAllows(auth.policy, action, resource)) throw err.accessDenied();
    return;
  }
  if (ANON_READ.has(action)) {
    const bucketLevel = action === 'GetBucket' || action === 'HeadBucket';
    const acl = effectiveAcl(ctx, bucket, bucketLevel ? undefined : key);
    if (acl === 'public-read' || acl === 'public-read-write') return;
  } else if (ANON_WRITE.has(action)) {
    if (effectiveAcl(ctx, bucket, undefined) === 'public-read-write') return;
  }
  throw err.accessDenied();
}
