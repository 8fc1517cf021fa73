/**
 * msw in the browser tests: one service worker for the whole run (started on first use), handlers added per test
 * and reset after it, and a recorder of every request the page sends to the emulator (passed through or mocked),
 * which is how tests prove that bad input never reached the network.
 *
 * Usage:
 *   const worker = await mswWorker();
 *   afterEach(() => worker.resetHandlers());
 *   worker.use(http.put(/\.localhost:\d+\/k$/, () => new HttpResponse(null, { headers: { etag: '"x"' } })));
 */
import { setupWorker, type SetupWorker } from 'msw/browser';

let started: Promise<SetupWorker> | undefined;

/** The run's msw worker. Unhandled requests go to the network unchanged (the emulator answers them). */
export function mswWorker(): Promise<SetupWorker> {
  started ??= (async () => {
    const worker = setupWorker();
    // `/mockServiceWorker.js` is served at the root by web-test-runner.config.ts, so its scope covers the test page.
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: '/mockServiceWorker.js' } });
    return worker;
  })();
  return started;
}

/** Requests seen since `recordRequests()`; `stop()` detaches the listener. */
export interface RequestLog {
  readonly requests: Request[];
  stop(): void;
}

/**
 * Records every request the page sends to a host matching `hostPattern` (default: the emulator's `*.localhost` and
 * `127.0.0.1` hosts, excluding the test runner's own origin and the emulator's admin API).
 */
export async function recordRequests(hostPattern: RegExp = /(\.localhost|^127\.0\.0\.1):\d+$/): Promise<RequestLog> {
  const worker = await mswWorker();
  const requests: Request[] = [];
  const listener = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    if (url.origin === location.origin || url.pathname.startsWith('/__coskit/')) return;
    if (hostPattern.test(url.host)) requests.push(request);
  };
  worker.events.on('request:start', listener);
  return { requests, stop: () => worker.events.removeListener('request:start', listener) };
}
