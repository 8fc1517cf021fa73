/**
 * `npm run bench`: upload throughput, main-thread blocking and JS heap of coskit against cos-js-sdk-v5 and a plain
 * `fetch` PUT (the ceiling), in headless Chromium against the in-memory emulator, all in one run; plus CRC-64 and
 * MD5 speed in a Web Worker. Prints markdown tables (for the README) and writes `.bench-tmp/results.json`.
 *
 *   npm run bench
 *   BENCH_SIZE_MIB=256 BENCH_HEAP_MIB=1024 BENCH_ROUNDS=3 BENCH_HASH_MIB=64 BENCH_BUDGET_S=330 npm run bench
 *
 * BENCH_HEAP_MIB=0 skips the large-file heap test; BENCH_HASH_MIB=0 skips the hash table; BENCH_MAIN_THREAD=1 adds
 * coskit with core's main-thread hasher.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeBenchFiles, writeBenchFile } from './files.ts';
import { measureHashesInBrowserWorker } from './hash.ts';
import { startHarness, type MeasuredRun } from './harness.ts';
import { CHROMIUM_PATH } from '../support/chromium.ts';
import { formatReport, mbPerSec, roundRatio, summarize, targets, type BenchReport, type RowId } from './report.ts';
import type { RunSpec } from './types.ts';

const MiB = 1024 * 1024;

/** Options of `runBench`; every one has an environment variable in `main()`. */
export interface BenchOptions {
  /** @default 256 */
  sizeMiB?: number;
  /** Size of the heap-test file; 0 skips it. @default 1024 */
  heapMiB?: number;
  /** @default 3 */
  rounds?: number;
  /** Data hashed per case by the worker hash bench; 0 skips it. @default 64 */
  hashMiB?: number;
  /** No upload of rounds 2+ starts after this many seconds (round 1, coskit's heap test and hashes still run). @default 330 */
  budgetS?: number;
  /** Also measure coskit with core's main-thread hasher (a profile row; `BENCH_MAIN_THREAD=1`). @default false */
  mainThreadRow?: boolean;
  /** @default '.bench-tmp' at the repository root */
  dir?: string;
  /** @default process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' */
  executablePath?: string;
  /** @default console.error */
  log?: (line: string) => void;
}

const DEFAULTS = Object.freeze({ sizeMiB: 256, heapMiB: 1024, rounds: 3, hashMiB: 64, budgetS: 330, mainThreadRow: false });
const OPTION_KEYS = new Set(['sizeMiB', 'heapMiB', 'rounds', 'hashMiB', 'budgetS', 'mainThreadRow', 'dir', 'executablePath', 'log']);

/** The throughput rows. "Equal settings" is coskit's defaults (8 MiB x 5); a second pair uses cos-js's (1 MiB x 3). */
const ROWS: Array<{ id: RowId; spec: RunSpec }> = [
  { id: 'ceiling', spec: { label: 'fetch PUT of the whole File (ceiling)', sdk: 'fetch', input: 'file' } },
  { id: 'coskit', spec: { label: 'coskit defaults: 8 MiB x 5, CRC-64 (worker)', sdk: 'coskit', input: 'file' } },
  { id: 'cosjsEqual', spec: { label: 'cos-js-sdk-v5, 8 MiB x 5', sdk: 'cosjs', input: 'file', partSize: 8 * MiB, concurrency: 5 } },
  { id: 'coskitSmall', spec: { label: 'coskit, 1 MiB x 3, CRC-64 (worker)', sdk: 'coskit', input: 'file', partSize: MiB, concurrency: 3 } },
  { id: 'cosjsDefault', spec: { label: 'cos-js-sdk-v5 defaults: 1 MiB x 3', sdk: 'cosjs', input: 'file' } },
  { id: 'coskitMd5', spec: { label: 'coskit 8 MiB x 5, CRC-64 + Content-MD5 (worker)', sdk: 'coskit', input: 'file', contentMd5: true } },
  { id: 'cosjsMd5', spec: { label: 'cos-js-sdk-v5 8 MiB x 5, UploadCheckContentMd5', sdk: 'cosjs', input: 'file', partSize: 8 * MiB, concurrency: 5, contentMd5: true } },
  { id: 'coskitNoHash', spec: { label: 'profile: coskit 8 MiB x 5, no hashing, no verification', sdk: 'coskit', input: 'file', hasher: 'none' } },
  { id: 'coskitMainThread', spec: { label: 'coskit 8 MiB x 5, CRC-64 on the main thread', sdk: 'coskit', input: 'file', hasher: 'main-thread' } },
];

const HEAP_ROWS: RunSpec[] = [
  { label: 'coskit defaults (worker)', sdk: 'coskit', input: 'heap' },
  { label: 'cos-js-sdk-v5, 8 MiB x 5', sdk: 'cosjs', input: 'heap', partSize: 8 * MiB, concurrency: 5 },
];

function wholeNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new Error(`bench: ${name} must be an integer >= ${min}; got ${String(value)}`);
  return value;
}

const load = () => loadavg().map((v) => v.toFixed(1)).join(' ');

/** Runs the whole bench once; resolves with the report (also when a target is missed). */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  for (const name of Object.keys(options)) if (!OPTION_KEYS.has(name)) throw new Error(`bench: unknown option "${name}"`);
  const sizeMiB = wholeNumber(options.sizeMiB ?? DEFAULTS.sizeMiB, 'sizeMiB', 1);
  const heapMiB = wholeNumber(options.heapMiB ?? DEFAULTS.heapMiB, 'heapMiB', 0);
  const rounds = wholeNumber(options.rounds ?? DEFAULTS.rounds, 'rounds', 1);
  const hashMiB = wholeNumber(options.hashMiB ?? DEFAULTS.hashMiB, 'hashMiB', 0);
  const budgetS = wholeNumber(options.budgetS ?? DEFAULTS.budgetS, 'budgetS', 0);
  const rows = (options.mainThreadRow ?? DEFAULTS.mainThreadRow) ? ROWS : ROWS.filter((r) => r.id !== 'coskitMainThread');
  const dir = options.dir ?? fileURLToPath(new URL('../../.bench-tmp/', import.meta.url));
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  const log = options.log ?? ((line: string) => console.error(line));

  const started = performance.now();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const loadBefore = load();
  await mkdir(dir, { recursive: true });
  const file = join(dir, `upload-${sizeMiB}MiB.bin`);
  const heapFile = heapMiB > 0 ? join(dir, `heap-${heapMiB}MiB.bin`) : undefined;
  const runs: MeasuredRun[] = [];
  const heapRuns: MeasuredRun[] = [];
  let chromium = '';
  let idle = { longestTaskMs: 0, totalBlockingMs: 0, longTasks: 0 };
  try {
    log(`writing ${sizeMiB} MiB${heapFile ? ` and ${heapMiB} MiB` : ''} to ${dir}`);
    await writeBenchFile(file, sizeMiB);
    if (heapFile) await writeBenchFile(heapFile, heapMiB);
    const harness = await startHarness({ files: { file, heap: heapFile }, profileParent: dir, executablePath, log });
    try {
      chromium = harness.chromiumVersion;
      // Generous per-upload bound (5 MB/s): a hung upload fails the bench instead of stalling it.
      const timeout = (mib: number) => 60_000 + (mib * MiB) / 5e3;
      idle = await harness.idle(2000);
      const overBudget = () => (performance.now() - started) / 1000 > budgetS;
      rounds: for (let round = 1; round <= rounds; round++) {
        // Rotate the order so no row is always first (or always right after the same neighbour).
        const order = rows.map((_, i) => rows[(i + round - 1) % rows.length]!);
        for (const { spec } of order) {
          // Round 1 always completes: every row gets a number.
          if (round > 1 && overBudget()) {
            log(`time budget of ${budgetS} s used: stopping in round ${round}`);
            break rounds;
          }
          const r = await harness.run(spec, round, timeout(sizeMiB));
          log(`round ${round}: ${spec.label}: ${mbPerSec(r).toFixed(0)} MB/s, longest task ${r.longestTaskMs.toFixed(0)} ms (max task CPU ${r.maxTaskCpuMs.toFixed(1)} ms), load ${load()}`);
          runs.push(r);
        }
      }
      if (heapFile) {
        for (const spec of HEAP_ROWS) {
          // The cos-js comparison is extra: skipped when the budget (plus a margin for it) is spent.
          if (spec.sdk !== 'coskit' && (performance.now() - started) / 1000 > budgetS + 90) {
            log(`time budget: skipping the ${heapMiB} MiB heap run of ${spec.label}`);
            continue;
          }
          const r = await harness.run(spec, 1, timeout(heapMiB));
          log(`heap: ${spec.label}: ${mbPerSec(r).toFixed(0)} MB/s, heap +${((r.heapPeakBytes - r.heapBaselineBytes) / MiB).toFixed(1)} MiB`);
          heapRuns.push(r);
        }
      }
    } finally {
      await harness.close();
    }
  } finally {
    await removeBenchFiles([file, ...(heapFile ? [heapFile] : [])]);
  }
  const hashes = hashMiB > 0 ? (await measureHashesInBrowserWorker({ sizeMiB: hashMiB, runs: 3, executablePath })).results : [];

  const byLabel = (id: RowId) => rows.find((r) => r.id === id)!.spec.label;
  const partial: Omit<BenchReport, 'targets'> = {
    date,
    machine: {
      nproc: availableParallelism(),
      cpu: readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
      chromium,
      node: process.version,
      loadBefore,
      loadAfter: load(),
    },
    sizeMiB,
    heapMiB,
    roundsPlanned: rounds,
    elapsedS: (performance.now() - started) / 1000,
    rows: rows.map(({ id, spec }) => summarize(id, spec.label, runs.filter((r) => r.label === spec.label))),
    ratios: {
      coskitVsCosjsEqual: roundRatio(runs, byLabel('coskit'), byLabel('cosjsEqual')),
      coskitSmallVsCosjsDefault: roundRatio(runs, byLabel('coskitSmall'), byLabel('cosjsDefault')),
      coskitVsCosjsDefault: roundRatio(runs, byLabel('coskit'), byLabel('cosjsDefault')),
      coskitVsCeiling: roundRatio(runs, byLabel('coskit'), byLabel('ceiling')),
      coskitMd5VsCosjsMd5: roundRatio(runs, byLabel('coskitMd5'), byLabel('cosjsMd5')),
      coskitNoHashVsCosjsEqual: roundRatio(runs, byLabel('coskitNoHash'), byLabel('cosjsEqual')),
    },
    heap: heapRuns.map((r) => ({
      label: r.label,
      mbPerSec: mbPerSec(r),
      baselineMiB: r.heapBaselineBytes / MiB,
      peakMiB: r.heapPeakBytes / MiB,
      growthMiB: (r.heapPeakBytes - r.heapBaselineBytes) / MiB,
      longestTaskMs: r.longestTaskMs,
      maxTaskCpuMs: r.maxTaskCpuMs,
    })),
    idle,
    hashes,
    runs: [...runs, ...heapRuns],
  };
  return { ...partial, targets: targets(partial) };
}

/** Every stored object must be the File's bytes: same size, and one CRC-64 for all (coskit's local one included). */
export function integrityProblems(report: BenchReport): string[] {
  const problems: string[] = [];
  for (const r of report.runs) {
    if (r.stored.size !== r.bytes) problems.push(`${r.label} (round ${r.round}): stored ${r.stored.size} bytes, sent ${r.bytes}`);
    if (r.localCrc64 !== undefined && r.localCrc64 !== r.stored.crc64) problems.push(`${r.label}: local CRC-64 ${r.localCrc64} != stored ${r.stored.crc64}`);
  }
  for (const bytes of new Set(report.runs.map((r) => r.bytes))) {
    const crcs = new Set(report.runs.filter((r) => r.bytes === bytes).map((r) => r.stored.crc64));
    if (crcs.size !== 1) problems.push(`uploads of the same ${bytes}-byte file were stored with different CRC-64s: ${[...crcs].join(', ')}`);
  }
  return problems;
}

async function main(): Promise<void> {
  const env = (name: string) => (process.env[name] === undefined || process.env[name] === '' ? undefined : Number(process.env[name]));
  const options: BenchOptions = {};
  const set = <K extends keyof BenchOptions>(key: K, value: BenchOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('sizeMiB', env('BENCH_SIZE_MIB'));
  set('heapMiB', env('BENCH_HEAP_MIB'));
  set('rounds', env('BENCH_ROUNDS'));
  set('hashMiB', env('BENCH_HASH_MIB'));
  set('budgetS', env('BENCH_BUDGET_S'));
  if (process.env.BENCH_MAIN_THREAD === '1') options.mainThreadRow = true;
  const report = await runBench(options);
  const out = fileURLToPath(new URL('../../.bench-tmp/results.json', import.meta.url));
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${formatReport(report)}\n\nraw runs: ${out}`);
  const problems = integrityProblems(report);
  if (problems.length) {
    console.error(`integrity problems (the numbers above are not valid):\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
