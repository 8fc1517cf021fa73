/**
 * The machinery of `npm run bench`: an in-memory emulator, a throwaway page server (the bench page bundled with
 * esbuild, the hash worker bundled as the script-tag build starts it, cos-js-sdk-v5's UMD build), and headless
 * Chromium driven by playwright-core. `runUploads()` measures one list of uploads and returns what the page saw plus
 * where the CPU went (the emulator's process vs Chromium's processes).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.ts';
import { CHROMIUM_FLAGS } from '../support/chromium.ts';
import type { BenchPageApi, PageConfig, RunResult, RunSpec } from './types.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const BENCH_BUCKET = 'bench-1250000000';
export const BENCH_REGION = 'ap-guangzhou';

/** The flags of the brief, plus precise heap numbers and `gc()` for a settled heap baseline before each upload. */
const CHROMIUM_ARGS = [...CHROMIUM_FLAGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'];
/** One measured upload with the CPU seconds each side spent on it. */
export interface MeasuredRun extends RunResult {
  round: number;
  /** CPU of the Node process (the emulator; the harness itself idles while the page works), seconds. */
  emulatorCpuS: number;
  /** CPU of every Chromium process (browser, network service, renderer, workers), seconds. */
  chromiumCpuS: number;
  /** Requests the emulator answered for this upload (parts, preflights, create/complete, HEAD, DELETE). */
  requests: number;
  /**
   * From a Chromium trace of the same window: the most CPU time any single renderer main-thread task used, ms. A
   * long task whose own CPU time is small was descheduled by the OS (a busy machine), not kept busy by the page.
   */
  maxTaskCpuMs: number;
  /** Main-thread tasks longer than 50 ms (wall) in the trace, with their own CPU time. */
  tracedLongTasks: Array<{ wallMs: number; cpuMs: number }>;
}

export interface Harness {
  chromiumVersion: string;
  /** The bench page (for profiling scripts: `page.context().newCDPSession(page)`). */
  page: Page;
  /** Runs `spec` on a freshly loaded page with `files` in the inputs. */
  run(spec: RunSpec, round: number, timeoutMs: number): Promise<MeasuredRun>;
  idle(ms: number): Promise<{ longestTaskMs: number; totalBlockingMs: number; longTasks: number }>;
  close(): Promise<void>;
}

async function bundle(entry: string, format: 'esm' | 'iife'): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format,
    platform: 'browser',
    // Workspace packages from their TypeScript sources, as the tests and the demo resolve them.
    conditions: ['source'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

const PAGE_HTML = `<!doctype html><meta charset=utf-8><title>coskit upload bench</title>
<input type=file id=file><input type=file id=heap>
<script src="/cos-js-sdk-v5.min.js"></script>
<script type=module src="/page.js"></script>`;

async function serve(routes: Record<string, { type: string; body: string }>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) of every live process whose command line mentions `marker` (our profile dir). */
async function cpuOfProcesses(marker: string): Promise<number> {
  let ticks = 0;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    try {
      if (!(await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(marker)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // Fields after the parenthesised name; utime and stime are fields 14 and 15 of the whole line.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks / CLK_TCK;
}

function totalRequests(emulator: RunningEmulator): number {
  return Object.values(emulator.getStats().requests).reduce((a, b) => a + b, 0);
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Records Chromium's `toplevel` trace category (one event per task, with wall `dur` and thread-CPU `tdur`) while
 * `body` runs; returns the renderer main thread's tasks.
 */
async function traceMainThreadTasks<T>(page: Page, body: () => Promise<T>): Promise<{ result: T; tasks: Array<{ wallMs: number; cpuMs: number }> }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel'] }, transferMode: 'ReportEvents' });
    let result: T;
    try {
      result = await body();
    } finally {
      await cdp.send('Tracing.end');
      await complete;
    }
    const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const tasks = events
      .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && main.has(`${e.pid}:${e.tid}`))
      .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
    return { result, tasks };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts the emulator, the page server and Chromium. `files.file` / `files.heap` are paths put into the page's two
 * file inputs before every run (`heap` may be omitted).
 */
export async function startHarness(options: {
  files: { file: string; heap?: string | undefined };
  /** Where the throwaway Chromium profile goes (removed on close). */
  profileParent: string;
  executablePath: string;
  log: (line: string) => void;
}): Promise<Harness> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch((e: unknown) => options.log(`cleanup: ${String(e)}`));
  };
  try {
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, memory: true, region: BENCH_REGION, buckets: [BENCH_BUCKET], quiet: true });
    cleanups.push(() => emulator.close());
    // The whole bucket, not just `bench/*`: cos-js-sdk-v5's uploadFile lists the bucket's multipart uploads first.
    const sts = emulator.mintTemporaryKeys({ bucket: BENCH_BUCKET, durationSeconds: 7200 });
    const config: PageConfig = {
      port: emulator.port,
      region: BENCH_REGION,
      bucket: BENCH_BUCKET,
      tmpSecretId: sts.credentials.tmpSecretId,
      tmpSecretKey: sts.credentials.tmpSecretKey,
      sessionToken: sts.credentials.sessionToken,
      startTime: sts.startTime,
      expiredTime: sts.expiredTime,
    };

    const [pageJs, workerJs] = await Promise.all([
      bundle(here('./page.ts'), 'esm'),
      bundle(here('../../packages/uploader/src/workers/hash.worker.ts'), 'iife'),
    ]);
    const js = 'text/javascript; charset=utf-8';
    const { server, url } = await serve({
      '/': { type: 'text/html; charset=utf-8', body: PAGE_HTML },
      '/favicon.ico': { type: 'image/x-icon', body: '' },
      '/page.js': { type: js, body: pageJs },
      '/hash-worker.js': { type: js, body: workerJs },
      '/cos-js-sdk-v5.min.js': { type: js, body: readFileSync(here('../../node_modules/cos-js-sdk-v5/dist/cos-js-sdk-v5.min.js'), 'utf8') },
    });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));

    const profile = await mkdtemp(join(options.profileParent, 'chromium-profile-'));
    cleanups.push(() => rm(profile, { recursive: true, force: true }));
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: options.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    cleanups.push(() => context.close());
    const page: Page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => options.log(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') options.log(`page console: ${message.text()}`);
    });
    const chromiumVersion = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));

    const load = async () => {
      await page.goto(url);
      await page.locator('#file').setInputFiles(options.files.file);
      if (options.files.heap) await page.locator('#heap').setInputFiles(options.files.heap);
      await page.waitForFunction(() => (window as unknown as { bench?: BenchPageApi }).bench?.ready === true);
    };

    return {
      chromiumVersion,
      page,
      async run(spec, round, timeoutMs) {
        await load();
        await page.evaluate(({ c, s }) => (window as unknown as { bench: BenchPageApi }).bench.prepare(c, s), { c: config, s: spec });
        const cpu0 = process.cpuUsage();
        const chrome0 = await cpuOfProcesses(profile);
        const requests0 = totalRequests(emulator);
        const { result, tasks } = await traceMainThreadTasks(page, () =>
          withTimeout(
            page.evaluate(() => (window as unknown as { bench: BenchPageApi }).bench.run()),
            timeoutMs,
            `upload "${spec.label}"`,
          ),
        );
        const cpu = process.cpuUsage(cpu0);
        return {
          ...result,
          round,
          emulatorCpuS: (cpu.user + cpu.system) / 1e6,
          chromiumCpuS: (await cpuOfProcesses(profile)) - chrome0,
          requests: totalRequests(emulator) - requests0,
          maxTaskCpuMs: Math.max(0, ...tasks.map((t) => t.cpuMs)),
          tracedLongTasks: tasks.filter((t) => t.wallMs > 50),
        };
      },
      async idle(ms) {
        await load();
        return page.evaluate((t) => (window as unknown as { bench: BenchPageApi }).bench.idle(t), ms);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
