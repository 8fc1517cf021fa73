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
    let finished = false;
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          throw unreadable(error);
        }
        const { done, value } = next;
        if (done) {
          finished = true;
          break;
        }
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
      // Stopped early (aborted, or the bytes failed to hash): cancel the stream so the browser closes its read of
      // the file now, instead of leaving a half-read blob pipe open until the worker or page goes away.
      if (!finished) void reader.cancel().catch(() => undefined);
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

/**
 * Chromium fails a stream read of a File that changed on disk since it was picked with a bare
 * `TypeError: network error` (`arrayBuffer()` says `NotReadableError`): name it, so callers can tell.
 */
function unreadable(error: unknown): DOMException {
  const message = error instanceof Error ? error.message : String(error);
  return new DOMException(`the file could not be read (changed, moved or deleted since it was picked?): ${message}`, 'NotReadableError');
}

let channel: MessageChannel | undefined;
const waiting: Array<() => void> = [];

/**
 * Lets everything else queued on the page run: input, rendering, timers and, above all, the network callbacks of
 * the upload in progress. A MessageChannel message is a plain task, queued behind those (and without the 4 ms clamp
 * of nested `setTimeout`). Not `scheduler.yield()`: Chromium runs its continuation ahead of other pending tasks,
 * so timers and XHR events would wait until the whole part is hashed.
 */
export function yieldToEventLoop(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(undefined);
  });
}
