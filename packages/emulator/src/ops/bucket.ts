import { CosError, err } from '../errors.ts';
import type { Ctx } from '../http/context.ts';
import { isoDate, send, sendXml } from '../http/respond.ts';
import { BUCKET_RE } from '../options.ts';
import { defaultCorsRule } from '../cors.ts';
import { serverNow } from '../state.ts';
import type { EmulatorState } from '../state.ts';
import type { BucketMeta } from '../storage/types.ts';
import { aclFrom, lowerHeaders } from './meta.ts';
import { owner } from './owner.ts';

/** Creates a bucket with the default CORS rule (§6) unless it already exists. */
export async function ensureBucket(state: EmulatorState, name: string, acl: BucketMeta['acl'] = { canned: 'private', grants: [] }) {
  if (state.store.getBucket(name)) return false;
  await state.store.saveBucket({ name, created: Math.floor(serverNow(state) * 1000), acl, cors: [defaultCorsRule()] });
  return true;
}

export async function putBucket(ctx: Ctx): Promise<void> {
  const name = ctx.bucket!;
  if (!BUCKET_RE.test(name)) throw new CosError(400, 'InvalidBucketName', 'The specified bucket is not valid.');
  const acl = aclFrom(lowerHeaders(ctx), 'private');
  if (!(await ensureBucket(ctx.state, name, acl))) {
    throw new CosError(409, 'BucketAlreadyOwnedByYou', 'The bucket you tried to create already exists, and you own it.');
  }
  await send(ctx, 200, { Location: `/${name}` });
}

export async function headBucket(ctx: Ctx): Promise<void> {
  await send(ctx, 200, { 'x-cos-bucket-region': ctx.state.opts.region });
}

export async function deleteBucket(ctx: Ctx): Promise<void> {
  const name = ctx.bucket!;
  const store = ctx.state.store;
  if (store.objectCount(name) > 0 || store.listUploads(name).length > 0) {
    throw new CosError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.');
  }
  await store.deleteBucket(name);
  await send(ctx, 204, {});
}

export async function listBuckets(ctx: Ctx): Promise<void> {
  await sendXml(ctx, 200, {
    ListAllMyBucketsResult: {
      Owner: owner(ctx),
      Buckets: {
        Bucket: ctx.state.store.listBuckets().map((b) => ({
          Name: b.name,
          Location: ctx.state.opts.region,
          CreationDate: isoDate(b.created).replace(/\.\d{3}Z$/, 'Z'),
        })),
      },
    },
  });
}

export function requireBucket(ctx: Ctx): BucketMeta {
  const b = ctx.bucket ? ctx.state.store.getBucket(ctx.bucket) : undefined;
  if (!b) throw err.noSuchBucket();
  return b;
}
