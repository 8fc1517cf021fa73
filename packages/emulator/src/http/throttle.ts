import { setTimeout as sleep } from 'node:timers/promises';

/** Paces a byte stream to `bytesPerSecond` by sleeping whenever it runs ahead of schedule. */
export function pacer(bytesPerSecond: number | undefined): (bytes: number) => Promise<void> {
  if (!bytesPerSecond) return async () => {};
  const start = Date.now();
  let total = 0;
  return async (bytes: number) => {
    total += bytes;
    const due = start + (total / bytesPerSecond) * 1000;
    const wait = due - Date.now();
    if (wait > 1) await sleep(wait);
  };
}

/** Splits a chunk so throttled writes stay smooth (one chunk is at most ~1/10 s of traffic). */
export function* slices(chunk: Buffer, bytesPerSecond: number | undefined): Generator<Buffer> {
  const size = bytesPerSecond ? Math.max(1024, Math.floor(bytesPerSecond / 10)) : chunk.length || 1;
  for (let i = 0; i < chunk.length; i += size) yield chunk.subarray(i, i + size);
}
