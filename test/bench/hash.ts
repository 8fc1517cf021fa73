/**
 * Hash throughput: coskit's CRC-64 and MD5 against hash-wasm, spark-md5 and a naive BigInt CRC-64, over 64 MiB fed in
 * 1 MiB chunks, in Node and in a Web Worker in headless Chromium, side by side.
 *
 *   node --import tsx test/bench/hash.ts [--size-mib 64] [--runs 3] [--no-browser]
 *
 * `measureHashesInBrowserWorker()` is exported for the main bench harness.
 */

import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { runHashBench, type HashBenchOptions, type HashCase, type HashCaseResult } from './hash-cases.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../support/chromium.ts';

export type { HashBenchOptions, HashCaseResult };

export interface BrowserHashBenchOptions extends HashBenchOptions {
  /** @default process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' */
  executablePath?: string;
  /** @default 600_000 */
  timeoutMs?: number;
}

/** Bundles the worker (our checksums + spark-md5 + hash-wasm) into one classic-worker script. */
async function bundleWorker(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./hash-worker.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/**
 * Runs the hash cases inside a dedicated Web Worker in headless Chromium, served from a throwaway server on
 * 127.0.0.1 (a real origin, so the worker behaves as it would for users), and returns the same results as Node's run.
 */
export async function measureHashesInBrowserWorker(
  options: BrowserHashBenchOptions = {},
): Promise<{ userAgent: string; results: HashCaseResult[] }> {
  const { executablePath = CHROMIUM_PATH, timeoutMs = 600_000, ...benchOptions } =
    options;
  const workerJs = await bundleWorker();
  const server = createServer((req, res) => {
    if (req.url === '/worker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(workerJs);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>hash bench</title>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_FLAGS] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    page.setDefaultTimeout(timeoutMs);
    const reply = await page.evaluate(
      ({ opts, ms }) =>
        new Promise<{ ok: boolean; results?: HashCaseResult[]; userAgent?: string; error?: string }>((resolve) => {
          const worker = new Worker('/worker.js');
          const timer = setTimeout(() => resolve({ ok: false, error: `worker timed out after ${ms} ms` }), ms);
          worker.onmessage = (e) => {
            clearTimeout(timer);
            worker.terminate();
            resolve(e.data);
          };
          worker.onerror = (e) => {
            clearTimeout(timer);
            resolve({ ok: false, error: e.message });
          };
          worker.postMessage(opts);
        }),
      { opts: benchOptions, ms: timeoutMs },
    );
    if (!reply.ok) throw new Error(`browser worker bench failed: ${reply.error}`);
    return { userAgent: reply.userAgent!, results: reply.results! };
  } finally {
    await browser.close();
    server.close();
  }
}

/** node:crypto (OpenSSL) as the native ceiling; Node only. */
const nodeOnly: HashCase[] = [
  {
    name: 'node:crypto md5 (native, reference)',
    run(data, chunk) {
      const h = createHash('md5');
      for (let p = 0; p < data.length; p += chunk) h.update(data.subarray(p, p + chunk));
      return h.digest('hex');
    },
  },
];

export function measureHashesInNode(options: HashBenchOptions = {}): Promise<HashCaseResult[]> {
  return runHashBench(options, nodeOnly);
}

function table(node: HashCaseResult[], browser: HashCaseResult[] | undefined): string {
  const ours = (name: string) => (name.includes('crc64') ? 'coskit crc64' : 'coskit md5');
  const ratio = (rows: HashCaseResult[] | undefined, r: HashCaseResult | undefined) => {
    const base = rows?.find((x) => x.name.startsWith(ours(r?.name ?? '')));
    return r && base ? `${(r.mbPerSec / base.mbPerSec).toFixed(2)}x` : '-';
  };
  const fmt = (r: HashCaseResult | undefined) => (r ? r.mbPerSec.toFixed(0) : '-');
  const lines = [
    '| implementation | Node MB/s | vs coskit | Chromium worker MB/s | vs coskit |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of node) {
    const b = browser?.find((x) => x.name === r.name);
    lines.push(`| ${r.name} | ${fmt(r)} | ${ratio(node, r)} | ${fmt(b)} | ${ratio(browser, b)} |`);
  }
  return lines.join('\n');
}

/** Implementations of the same algorithm must agree on the same bytes, or the speed numbers mean nothing. */
function checkAgreement(rows: HashCaseResult[], where: string): string[] {
  const problems: string[] = [];
  for (const algo of ['crc64', 'md5']) {
    const full = rows.filter((r) => r.name.includes(algo) && !r.name.includes('naive'));
    if (new Set(full.map((r) => r.digest)).size > 1) {
      problems.push(`${where}: ${algo} digests differ: ${full.map((r) => `${r.name}=${r.digest}`).join(', ')}`);
    }
  }
  return problems;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const options: HashBenchOptions = {};
  const sizeMiB = arg('--size-mib');
  const runs = arg('--runs');
  if (sizeMiB !== undefined) options.sizeMiB = sizeMiB;
  if (runs !== undefined) options.runs = runs;

  // Other processes only slow runs down; the load average says how much to trust the numbers.
  const load = () => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`;
  console.log(`hashing ${options.sizeMiB ?? 64} MiB in 1 MiB chunks, best of ${options.runs ?? 5} runs; ${load()}`);
  const node = await measureHashesInNode(options);
  console.log(`node ${process.version} (${process.arch}) done`);
  let browser: { userAgent: string; results: HashCaseResult[] } | undefined;
  if (!args.includes('--no-browser')) {
    browser = await measureHashesInBrowserWorker(options);
    console.log(`browser worker done: ${browser.userAgent}`);
  }
  console.log(`\n${table(node, browser?.results)}\n`);
  console.log(`BigInt baseline measured on 2 MiB; MB = 10^6 bytes; ${load()}.`);
  const problems = [...checkAgreement(node, 'node'), ...(browser ? checkAgreement(browser.results, 'browser') : [])];
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  } else {
    console.log('all implementations agree on every digest');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
