import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { readFileSync } from 'node:fs';
import { emulatorPlugin } from './test/support/emulator-plugin.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './test/support/chromium.ts';

/** msw's service worker, served at the root so `setupWorker().start()` works in browser tests. */
const mswWorker = {
  name: 'msw-worker',
  serve(context: { path: string }) {
    if (context.path !== '/mockServiceWorker.js') return undefined;
    return { type: 'js', body: readFileSync('node_modules/msw/lib/mockServiceWorker.js', 'utf8') };
  },
};

/**
 * Browser tests: real headless Chromium (Debian's /usr/bin/chromium), TypeScript through esbuild, workspace
 * packages resolved to their sources (`source` export condition), and one in-memory emulator per run whose
 * address and generated credentials the tests read from `/__coskit/env.json`.
 */

export default {
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['packages/*/test/**/*.browser.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser', 'import', 'default'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 15 * 60_000,
  testFramework: { config: { timeout: 60_000 } },
  browserStartTimeout: 60_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), emulatorPlugin(), mswWorker],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [
          ...CHROMIUM_FLAGS,
          '--disable-quic',
          `--user-data-dir=${mkdtempSync(join(tmpdir(), 'coskit-chromium-'))}`,
        ],
      },
    }),
  ],
};
