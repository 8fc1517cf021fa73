/** Web Worker entry for the browser half of hash.ts: runs the shared cases and posts the results back. */
import { runHashBench, type HashBenchOptions } from './hash-cases.ts';

self.onmessage = async (event: MessageEvent<HashBenchOptions>) => {
  try {
    self.postMessage({ ok: true, results: await runHashBench(event.data), userAgent: navigator.userAgent });
  } catch (error) {
    self.postMessage({ ok: false, error: String((error as Error)?.stack ?? error) });
  }
};
