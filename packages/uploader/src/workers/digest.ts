/**
 * Streams a Blob through CRC-64 (and MD5). Shared by the worker and by the in-thread fallback, so both produce
 * the same results by construction.
 */
import { Crc64, Md5, type HashResult } from '@coskit/core';

/**
 * Largest piece hashed between time checks: well under 1 ms of CRC-64 + MD5 on a laptop core, so even a loaded
 * machine (tasks stretched several times) stays far from the 50 ms long-task mark.
 */
const PIECE = 256 * 1024;

export interface DigestOptions {
  md5: boolean;
  signal?: AbortSignal | undefined;
  /**
   * Main-thread use: after this many ms of work, yield to the event loop so no task runs past ~50 ms (input stays
   * responsive). Omitted in the worker, where blocking is harmless.
   */
  sliceMs?: number;
}

/** CRC-64 (decimal) and optionally MD5 (base64 + hex) of `blob`, read as a stream (never the whole part at once). */
export async function digestBlob(blob: Blob, options: DigestOptions): Promise<HashResult> {
  const { signal, sliceMs } = options;
  signal?.throwIfAborted();
  const crc = new Crc64();
  const md5 = options.md5 ? new Md5() : undefined;
  let sliceStart = performance.now();
  if (blob.size > 0) {
    const reader = blob.stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let at = 0; at < value.length; at += PIECE) {
          signal?.throwIfAborted();
          const piece = value.subarray(at, at + PIECE);
          crc.update(piece);
          md5?.update(piece);
          if (sliceMs !== undefined && performance.now() - sliceStart > sliceMs) {
            await yieldToEventLoop();
            sliceStart = performance.now();
          }
        }
      }
    } finally {
      reader.releaseLock();
    }
  }
  signal?.throwIfAborted();
  const result: HashResult = { crc64: crc.digest() };
  if (md5) {
    result.md5 = md5.digestBase64();
    result.md5Hex = md5.digestHex();
  }
  return result;
}

let channel: MessageChannel | undefined;
const waiting: Array<() => void> = [];

/**
 * Lets pending input, rendering and timers run. `scheduler.yield()` (Chromium 129+) keeps our priority; elsewhere a
 * MessageChannel message is a real macrotask without the 4 ms clamp nested `setTimeout` calls get.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(undefined);
  });
}
