/**
 * `npm run soak`: the fault batch of the reliability suite at a larger size, in headless Chromium (playwright-core)
 * against a disk-backed emulator, bounded by a count AND a time. Prints uploads attempted, completed,
 * byte-identical, retries, faults injected by kind, orphaned uploads, objects lost or corrupted; exits 1 when any
 * of those that must be 0 is not.
 *
 *   npm run soak
 *   SOAK_UPLOADS=300 SOAK_SECONDS=300 SOAK_MAX_MIB=32 SOAK_FAULT_RATE=0.05 SOAK_SEED=1 npm run soak
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startEmulator } from '../../packages/emulator/src/index.ts';
import type { FaultBatchFigures } from './batch.ts';
import type { SoakPageApi, SoakPageConfig } from './page.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../support/chromium.ts';

const MiB = 1024 * 1024;
const BUCKET = 'soak-1250000000';
const REGION = 'ap-guangzhou';

/** Options of `runSoak`; each has an environment variable in `main()`. */
export interface SoakOptions {
  /** SOAK_UPLOADS. @default 300 */
  uploads?: number;
  /** SOAK_SECONDS: no upload starts after this. @default 300 */
  seconds?: number;
  /** SOAK_MAX_MIB: largest file. @default 32 */
  maxMiB?: number;
  /** SOAK_FAULT_RATE: probability of each fault kind per write request. @default 0.05 */
  faultRate?: number;
  /** SOAK_SEED. @default 1 */
  seed?: number;
  /** CHROMIUM_PATH. @default '/usr/bin/chromium' */
  executablePath?: string;
  log?: (line: string) => void;
}

const DEFAULTS = Object.freeze({ uploads: 300, seconds: 300, maxMiB: 32, faultRate: 0.05, seed: 1 });

/** What `runSoak` measured, with the run's settings and timing. */
export interface SoakReport extends FaultBatchFigures {
  date: string;
  settings: Required<Omit<SoakOptions, 'executablePath' | 'log'>>;
  chromium: string;
  cores: number;
}

async function servePage(): Promise<{ server: Server; url: string }> {
  const built = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const routes: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><meta charset=utf-8><title>coskit soak</title><script type=module src="/page.js"></script>'],
    '/page.js': ['text/javascript', built.outputFiles[0]!.text],
  };
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store' }).end(route[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

/** Runs the soak once; resolves with the figures (also when some must-be-zero figure is not). */
export async function runSoak(options: SoakOptions = {}): Promise<SoakReport> {
  const settings = {
    uploads: options.uploads ?? DEFAULTS.uploads,
    seconds: options.seconds ?? DEFAULTS.seconds,
    maxMiB: options.maxMiB ?? DEFAULTS.maxMiB,
    faultRate: options.faultRate ?? DEFAULTS.faultRate,
    seed: options.seed ?? DEFAULTS.seed,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`soak: ${name} must be a number >= 0; got ${String(value)}`);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const root = await mkdtemp(join(tmpdir(), 'coskit-soak-'));
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, dir: join(root, 'data'), region: REGION, buckets: [BUCKET], quiet: true });
  const { server, url } = await servePage();
  const context = await chromium.launchPersistentContext(join(root, 'profile'), {
    executablePath: options.executablePath ?? CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      // Chromium logs every failed request (the injected faults) as "Failed to load resource": only the batch's lines.
      if (message.type() === 'log') log(`page: ${message.text()}`);
    });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => 'soak' in window);
    const config: SoakPageConfig = {
      emulatorUrl: emulator.url,
      port: emulator.port,
      bucket: BUCKET,
      region: REGION,
      secretId: emulator.secretId,
      secretKey: emulator.secretKey,
      uploads: settings.uploads,
      seconds: settings.seconds,
      seed: settings.seed,
      maxSize: Math.round(settings.maxMiB * MiB),
      faultRate: settings.faultRate,
    };
    log(`soak: ${settings.uploads} uploads or ${settings.seconds} s, files up to ${settings.maxMiB} MiB, fault rate ${settings.faultRate}, seed ${settings.seed}`);
    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const figures = await page.evaluate((c) => (window as unknown as { soak: SoakPageApi }).soak.run(c), config);
    return { ...figures, date, settings, chromium: context.browser()?.version() ?? figures.userAgent, cores: availableParallelism() };
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    await emulator.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** The report as printed (and pasted into the README). */
export function formatSoak(r: SoakReport): string {
  const faults = Object.entries(r.faults).map(([kind, n]) => `${kind} ${n}`).join(', ');
  const rows: Array<[string, string]> = [
    ['uploads attempted', String(r.attempted)],
    ['completed', String(r.completed)],
    ['byte-identical (download + CRC-64 + byte compare)', String(r.byteIdentical)],
    ['bytes uploaded', `${(r.bytes / MiB).toFixed(0)} MiB`],
    ['retries made (write requests beyond the minimum)', String(r.retries)],
    ['faults injected', faults],
    ['orphaned multipart uploads left (must be 0)', String(r.orphanedUploads)],
    ['objects lost (must be 0)', String(r.lost.length)],
    ['objects corrupted (must be 0)', String(r.corrupted.length)],
    ['failed uploads (must be 0)', String(r.failed.length)],
    ['unexpected objects (must be 0)', String(r.unexpected.length)],
    ['elapsed', `${r.elapsedS.toFixed(0)} s`],
  ];
  const s = r.settings;
  return [
    `coskit soak, ${r.date}: ${s.uploads} uploads max / ${s.seconds} s max, files 0 B to ${s.maxMiB} MiB, fault rate ${s.faultRate} per kind, seed ${s.seed};`,
    `headless Chromium ${r.chromium}, disk-backed emulator, ${r.cores} cores.`,
    '',
    '| Figure | Value |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ].join('\n');
}

/** Problems that make the soak fail. */
export function soakProblems(r: SoakReport): string[] {
  const problems: string[] = [];
  if (r.completed !== r.attempted) problems.push(`${r.attempted - r.completed} uploads failed: ${JSON.stringify(r.failed.slice(0, 5))}`);
  if (r.byteIdentical !== r.completed) problems.push(`${r.completed - r.byteIdentical} objects differ from their source: ${r.corrupted.slice(0, 5).join(', ')}`);
  if (r.orphanedUploads !== 0) problems.push(`${r.orphanedUploads} multipart uploads left on the server`);
  if (r.lost.length !== 0) problems.push(`${r.lost.length} completed objects missing from the listing`);
  if (r.unexpected.length !== 0) problems.push(`${r.unexpected.length} unexpected objects: ${r.unexpected.slice(0, 5).join(', ')}`);
  return problems;
}

async function main(): Promise<void> {
  const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const options: SoakOptions = {};
  const set = <K extends keyof SoakOptions>(key: K, value: SoakOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('uploads', env('SOAK_UPLOADS'));
  set('seconds', env('SOAK_SECONDS'));
  set('maxMiB', env('SOAK_MAX_MIB'));
  set('faultRate', env('SOAK_FAULT_RATE'));
  set('seed', env('SOAK_SEED'));
  const report = await runSoak(options);
  console.log(`\n${formatSoak(report)}\n`);
  const problems = soakProblems(report);
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
