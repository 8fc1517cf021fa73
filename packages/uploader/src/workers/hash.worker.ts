/**
 * The hash worker: reads each Blob slice itself (off the main thread) and answers with its CRC-64 and, when asked,
 * MD5. One job at a time per worker (the pool guarantees it); `cancel` stops a job between chunks.
 *
 * Loaded as a module worker from the npm build (`new URL('./hash.worker.ts', import.meta.url)`), or bundled to a
 * classic script and started from a Blob URL by the script-tag build (see `workerFromSource`).
 */
import { digestBlob } from './digest.ts';
import type { FromWorkerMessage, ToWorkerMessage } from './protocol.ts';

// The project compiles against the DOM lib; only these two members of the worker global are used.
const scope = globalThis as unknown as {
  postMessage(message: FromWorkerMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorkerMessage>) => void): void;
};

const running = new Map<number, AbortController>();

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  void run(message.id, message.blob, message.md5);
});

async function run(id: number, blob: Blob, md5: boolean): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const result = await digestBlob(blob, { md5, signal: controller.signal });
    scope.postMessage({ type: 'done', id, ...result });
  } catch (error) {
    if (controller.signal.aborted) {
      scope.postMessage({ type: 'canceled', id });
    } else {
      const e = error as { name?: unknown; message?: unknown };
      scope.postMessage({ type: 'failed', id, name: String(e?.name ?? 'Error'), message: String(e?.message ?? error) });
    }
  } finally {
    running.delete(id);
  }
}

scope.postMessage({ type: 'ready' });
