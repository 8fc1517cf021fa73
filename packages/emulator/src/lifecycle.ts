import type { EmulatorState } from './state.ts';
import { serverNow } from './state.ts';
import type { BucketMeta, ObjectMeta } from './storage/types.ts';

const DAY_MS = 86_400_000;

/** Whether an Expiration rule of the bucket has claimed the object (appendable objects are exempt, Doc 7741). */
export function isExpired(bucket: BucketMeta, obj: ObjectMeta, nowMs: number): boolean {
  if (obj.type === 'appendable') return false;
  for (const r of bucket.lifecycle ?? []) {
    if (r.status !== 'Enabled' || !obj.key.startsWith(r.prefix)) continue;
    if (r.expirationDays !== undefined) {
      // COS counts days from the last modification, rounded up to the next midnight UTC.
      const due = Math.ceil((obj.lastModified + r.expirationDays * DAY_MS) / DAY_MS) * DAY_MS;
      if (nowMs >= due) return true;
    }
    if (r.expirationDate !== undefined && nowMs >= Date.parse(r.expirationDate)) return true;
  }
  return false;
}

/** Returns the object unless lifecycle expired it, in which case it is deleted on the spot. */
export async function liveObject(state: EmulatorState, bucket: string, key: string): Promise<ObjectMeta | undefined> {
  const obj = state.store.getObject(bucket, key);
  const b = state.store.getBucket(bucket);
  if (!obj || !b) return undefined;
  if (isExpired(b, obj, serverNow(state) * 1000)) {
    await state.store.deleteObject(bucket, key);
    return undefined;
  }
  return obj;
}

/** Periodic pass: expire objects and abort stale multipart uploads. */
export async function sweepLifecycle(state: EmulatorState): Promise<void> {
  const nowMs = serverNow(state) * 1000;
  for (const b of state.store.listBuckets()) {
    if (!b.lifecycle?.length) continue;
    for (const key of [...state.store.sortedKeys(b.name)]) {
      const obj = state.store.getObject(b.name, key);
      if (obj && isExpired(b, obj, nowMs)) await state.store.deleteObject(b.name, key);
    }
    for (const u of state.store.listUploads(b.name)) {
      const stale = b.lifecycle.some(
        (r) =>
          r.status === 'Enabled' &&
          r.abortIncompleteDays !== undefined &&
          u.key.startsWith(r.prefix) &&
          nowMs >= u.initiated + r.abortIncompleteDays * DAY_MS,
      );
      if (stale) await state.store.removeUpload(u.uploadId, true);
    }
  }
}
