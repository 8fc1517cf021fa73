/**
 * Turns measured runs into the bench report: per-row medians, ratios taken within a round (the machine is shared and
 * noisy; two uploads a few seconds apart see the same weather), the four targets of issue 4, and the markdown table
 * the README shows.
 */
import type { HashCaseResult } from './hash.ts';
import type { MeasuredRun } from './harness.ts';

/** Row ids the targets refer to. */
export type RowId = 'ceiling' | 'coskit' | 'cosjsEqual' | 'coskitSmall' | 'cosjsDefault' | 'coskitMd5' | 'cosjsMd5' | 'coskitNoHash' | 'coskitMainThread';

export interface RowSummary {
  id: RowId;
  label: string;
  rounds: number;
  /** Median of the rounds, 10^6 bytes per second. */
  mbPerSec: number;
  minMbPerSec: number;
  maxMbPerSec: number;
  /** Worst over the rounds. */
  longestTaskMs: number;
  /** Worst over the rounds: the most CPU time one main-thread task used (from the trace). */
  maxTaskCpuMs: number;
  /** Median over the rounds. */
  totalBlockingMs: number;
  /** Worst (peak - baseline) over the rounds, bytes. */
  heapGrowthBytes: number;
  /** Median CPU seconds per GB uploaded: the emulator's process, and Chromium's processes. */
  emulatorCpuPerGB: number;
  chromiumCpuPerGB: number;
  /** Median requests per upload (parts, CORS preflights, create/complete, HEAD, DELETE). */
  requests: number;
  /** coskit rows: median hasher job-time per GB, seconds. */
  hashBusyPerGB?: number;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  date: string;
  machine: { nproc: number; cpu: string; chromium: string; node: string; loadBefore: string; loadAfter: string };
  sizeMiB: number;
  heapMiB: number;
  roundsPlanned: number;
  elapsedS: number;
  rows: RowSummary[];
  /** Ratios, median over rounds of the ratio within each round. */
  ratios: {
    coskitVsCosjsEqual?: number;
    coskitSmallVsCosjsDefault?: number;
    coskitVsCeiling?: number;
    coskitVsCosjsDefault?: number;
    coskitMd5VsCosjsMd5?: number;
    coskitNoHashVsCosjsEqual?: number;
  };
  heap: Array<{ label: string; mbPerSec: number; baselineMiB: number; peakMiB: number; growthMiB: number; longestTaskMs: number; maxTaskCpuMs: number }>;
  idle: { longestTaskMs: number; totalBlockingMs: number; longTasks: number };
  hashes: HashCaseResult[];
  targets: Target[];
  runs: MeasuredRun[];
}

const MiB = 1024 * 1024;

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const mbPerSec = (r: Pick<MeasuredRun, 'bytes' | 'ms'>): number => r.bytes / 1e6 / (r.ms / 1000);

export function summarize(id: RowId, label: string, runs: MeasuredRun[]): RowSummary {
  const speeds = runs.map(mbPerSec);
  const perGB = (f: (r: MeasuredRun) => number) => median(runs.map((r) => f(r) / (r.bytes / 1e9)));
  const busy = runs.filter((r) => r.hashBusyMs !== undefined);
  return {
    id,
    label,
    rounds: runs.length,
    mbPerSec: median(speeds),
    minMbPerSec: Math.min(...speeds),
    maxMbPerSec: Math.max(...speeds),
    longestTaskMs: Math.max(0, ...runs.map((r) => r.longestTaskMs)),
    maxTaskCpuMs: Math.max(0, ...runs.map((r) => r.maxTaskCpuMs)),
    totalBlockingMs: median(runs.map((r) => r.totalBlockingMs)),
    heapGrowthBytes: Math.max(...runs.map((r) => r.heapPeakBytes - r.heapBaselineBytes)),
    emulatorCpuPerGB: perGB((r) => r.emulatorCpuS),
    chromiumCpuPerGB: perGB((r) => r.chromiumCpuS),
    requests: median(runs.map((r) => r.requests)),
    ...(busy.length ? { hashBusyPerGB: median(busy.map((r) => r.hashBusyMs! / 1000 / (r.bytes / 1e9))) } : {}),
  };
}

/** Median over rounds of a/b, both measured in the same round. */
export function roundRatio(runs: MeasuredRun[], a: string, b: string): number | undefined {
  const ratios: number[] = [];
  for (const round of new Set(runs.map((r) => r.round))) {
    const ra = runs.find((r) => r.round === round && r.label === a);
    const rb = runs.find((r) => r.round === round && r.label === b);
    if (ra && rb) ratios.push(mbPerSec(ra) / mbPerSec(rb));
  }
  return ratios.length ? median(ratios) : undefined;
}

const x = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(2)}x`);
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');

export function targets(report: Omit<BenchReport, 'targets'>): Target[] {
  const coskit = report.rows.filter((r) => r.id === 'coskit' || r.id === 'coskitSmall' || r.id === 'coskitMd5');
  const coskitHeap = report.heap.filter((h) => h.label.startsWith('coskit'));
  const worstTask = Math.max(0, ...coskit.map((r) => r.longestTaskMs), ...coskitHeap.map((h) => h.longestTaskMs));
  const worstCpu = Math.max(0, ...coskit.map((r) => r.maxTaskCpuMs), ...coskitHeap.map((h) => h.maxTaskCpuMs));
  const heap = report.heap.find((h) => h.label.startsWith('coskit'));
  const out: Target[] = [
    {
      name: 'coskit vs cos-js-sdk-v5, equal part size and concurrency',
      goal: '>= 1.5x',
      measured: x(report.ratios.coskitVsCosjsEqual),
      met: (report.ratios.coskitVsCosjsEqual ?? 0) >= 1.5,
    },
    {
      name: 'coskit (CRC-64 verification on) vs the plain fetch PUT ceiling',
      goal: '>= 0.85x (within 15%)',
      measured: x(report.ratios.coskitVsCeiling),
      met: (report.ratios.coskitVsCeiling ?? 0) >= 0.85,
    },
    {
      name: 'longest main-thread task during coskit uploads (WorkerHasher)',
      goal: '<= 50 ms (no long task)',
      measured: worstTask === 0 ? 'none over 50 ms' : `${f0(worstTask)} ms`,
      met: worstTask === 0,
    },
    {
      name: 'diagnostic, not the target: most CPU time one main-thread task used during coskit uploads (trace)',
      goal: '<= 50 ms',
      measured: `${f1(worstCpu)} ms`,
      met: worstCpu <= 50,
    },
  ];
  if (heap) {
    out.push({
      name: `JS heap growth, coskit, ${report.heapMiB} MiB file`,
      goal: report.heapMiB >= 1024 ? '< 64 MiB for 1 GiB' : `< 64 MiB (goal is for 1 GiB; this run used ${report.heapMiB} MiB)`,
      measured: `${f1(heap.growthMiB)} MiB`,
      met: heap.growthMiB < 64,
    });
  }
  return out;
}

/** The printed report: facts of the machine, then markdown tables (the README copies them as they are). */
export function formatReport(r: BenchReport): string {
  const m = r.machine;
  const lines = [
    `coskit upload bench, ${r.date}: ${r.sizeMiB} MiB disk-backed File from <input type=file>, headless Chromium ${m.chromium},`,
    `in-memory coskit emulator on loopback (same machine). ${m.nproc} cores (nproc), CPU ${m.cpu}, Node ${m.node}.`,
    `Median of ${Math.min(...r.rows.map((x) => x.rounds))}-${Math.max(...r.rows.map((x) => x.rounds))} interleaved rounds (order rotated each round); MB = 10^6 bytes.`,
    `Load average before ${m.loadBefore}, after ${m.loadAfter}; run took ${f0(r.elapsedS)} s.`,
    '',
    '| upload | MB/s (median) | min-max | longest main-thread task | its max CPU | total blocking | JS heap growth | emulator CPU s/GB | Chromium CPU s/GB | requests |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of r.rows) {
    lines.push(
      `| ${row.label} | ${f0(row.mbPerSec)} | ${f0(row.minMbPerSec)}-${f0(row.maxMbPerSec)} | ${row.longestTaskMs ? `${f0(row.longestTaskMs)} ms` : '< 50 ms'} | ${f1(row.maxTaskCpuMs)} ms | ${f0(row.totalBlockingMs)} ms | ${f1(row.heapGrowthBytes / MiB)} MiB | ${f1(row.emulatorCpuPerGB)} | ${f1(row.chromiumCpuPerGB)} | ${f0(row.requests)} |`,
    );
  }
  lines.push('', `Ratios (median of per-round ratios): coskit / cos-js at equal settings (8 MiB x 5) ${x(r.ratios.coskitVsCosjsEqual)}; ` +
    `coskit / cos-js at cos-js's defaults (1 MiB x 3) ${x(r.ratios.coskitSmallVsCosjsDefault)}; ` +
    `coskit defaults / cos-js defaults ${x(r.ratios.coskitVsCosjsDefault)}; ` +
    `both sending Content-MD5 (8 MiB x 5) ${x(r.ratios.coskitMd5VsCosjsMd5)}; coskit without hashing / cos-js (8 MiB x 5) ${x(r.ratios.coskitNoHashVsCosjsEqual)}; ` +
    `coskit / fetch ceiling ${x(r.ratios.coskitVsCeiling)}.`);
  lines.push('"longest main-thread task" is wall time (PerformanceObserver longtask); "its max CPU" is the most thread-CPU time any single ' +
    'main-thread task used (Chromium trace): a long task with little CPU was descheduled by a busy machine.');
  const busy = r.rows.filter((row) => row.hashBusyPerGB !== undefined).map((row) => `${row.label}: ${f1(row.hashBusyPerGB!)} s/GB`);
  if (busy.length) lines.push(`Hasher job-time (from submit to result, overlapping the network): ${busy.join('; ')}.`);
  lines.push(`Idle page for comparison: ${r.idle.longTasks} long tasks, longest ${f0(r.idle.longestTaskMs)} ms.`);
  if (r.heap.length) {
    lines.push('', `| ${r.heapMiB} MiB file | MB/s | heap baseline | heap peak | growth | longest task | its max CPU |`, '|---|---:|---:|---:|---:|---:|---:|');
    for (const h of r.heap) {
      lines.push(`| ${h.label} | ${f0(h.mbPerSec)} | ${f1(h.baselineMiB)} MiB | ${f1(h.peakMiB)} MiB | ${f1(h.growthMiB)} MiB | ${h.longestTaskMs ? `${f0(h.longestTaskMs)} ms` : '< 50 ms'} | ${f1(h.maxTaskCpuMs)} ms |`);
    }
  }
  if (r.hashes.length) {
    lines.push('', '| hashing in a Chromium Web Worker (1 MiB chunks) | MB/s |', '|---|---:|');
    for (const h of r.hashes) lines.push(`| ${h.name} | ${f0(h.mbPerSec)} |`);
  }
  lines.push('', '| target (issue 4) | goal | measured | verdict |', '|---|---|---|---|');
  for (const t of r.targets) lines.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? 'met' : 'NOT met'} |`);
  return lines.join('\n');
}
