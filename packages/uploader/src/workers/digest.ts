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
  const take = async (piece: Uint8Array) => {
    signal?.throwIfAborted();
    crc.update(piece);
    md5?.update(piece);
    if (sliceMs !== undefined && performance.now() - sliceStart > sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  };
  if (blob.size > 0) {
    const byob = byobReader(blob);
    if (byob) {
      // One buffer, handed back and forth: no allocation per chunk (measurably less CPU per GB than the default
      // reader in Chromium, whose every 64 KiB chunk is a fresh buffer for the GC).
      let buffer = new ArrayBuffer(Math.min(PIECE, blob.size));
      try {
        for (;;) {
          const { done, value } = await read(() => byob.read(new Uint8Array(buffer)));
          if (done || !value) break;
          await take(value);
          buffer = value.buffer as ArrayBuffer;
        }
      } finally {
        byob.releaseLock();
      }
    } else {
      const reader = blob.stream().getReader();
      try {
        for (;;) {
          const { done, value } = await read(() => reader.read());
          if (done) break;
          for (let at = 0; at < value.length; at += PIECE) await take(value.subarray(at, at + PIECE));
        }
      } finally {
        reader.releaseLock();
      }
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

/** A BYOB reader of the Blob's byte stream where the browser has one (Chromium, Firefox), else `undefined`. */
function byobReader(blob: Blob): ReadableStreamBYOBReader | undefined {
  try {
    return blob.stream().getReader({ mode: 'byob' });
  } catch {
    return undefined;
  }
}

async function read<T>(next: () => Promise<T>): Promise<T> {
  try {
    return await next();
  } catch (error) {
    throw unreadable(error);
  }
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
