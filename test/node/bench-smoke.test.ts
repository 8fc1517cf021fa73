/**
 * A small run of the `npm run bench` harness (test/bench/run.ts), so CI proves it still works end to end: files on
 * disk, the emulator, headless Chromium with the bench page, every upload row (fetch ceiling, coskit, cos-js-sdk-v5),
 * the heap test, the worker hash table, the report, and cleanup. Numbers are not judged here (the machine is
 * shared); that every upload stored the right bytes is.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatReport } from '../bench/report.ts';
import { integrityProblems, runBench } from '../bench/run.ts';

describe('npm run bench (smoke: 24 MiB, one round)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coskit-bench-smoke-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('measures every row, stores the right bytes, reports the targets and cleans up', { timeout: 110_000 }, async () => {
    const lines: string[] = [];
    // 24 MiB: above coskit's 20 MiB threshold, so coskit goes multipart (3 parts of 8 MiB).
    const report = await runBench({ sizeMiB: 24, heapMiB: 4, rounds: 1, hashMiB: 2, mainThreadRow: false, dir, log: (l) => lines.push(l) });

    assert.deepEqual(integrityProblems(report), []);
    assert.deepEqual(
      report.rows.map((r) => r.id),
      ['ceiling', 'coskit', 'cosjsEqual', 'coskitSmall', 'cosjsDefault', 'coskitMd5', 'cosjsMd5', 'coskitNoHash'],
    );
    for (const row of report.rows) {
      assert.equal(row.rounds, 1, row.label);
      assert.ok(Number.isFinite(row.mbPerSec) && row.mbPerSec > 0, `${row.label}: ${row.mbPerSec} MB/s`);
    }
    const coskit = report.runs.filter((r) => r.label.startsWith('coskit') && r.bytes === 24 * 2 ** 20);
    assert.equal(coskit.length, 3);
    for (const r of coskit) {
      assert.ok(r.localCrc64 && r.localCrc64 === r.stored.crc64, `${r.label}: local ${r.localCrc64}, stored ${r.stored.crc64}`);
      assert.ok(r.hashBusyMs! > 0, `${r.label}: the hasher did the work`);
    }
    // Multipart on the wire: create, 3 parts, complete (+ HEAD, DELETE, preflights) for 8 MiB parts; 24 for 1 MiB.
    assert.ok(report.runs.find((r) => r.label.startsWith('coskit defaults'))!.requests >= 7);
    assert.ok(report.runs.find((r) => r.label.startsWith('coskit, 1 MiB'))!.requests >= 26);
    assert.ok(report.runs.find((r) => r.label.startsWith('cos-js-sdk-v5 defaults'))!.requests >= 26);

    assert.equal(report.heap.length, 2);
    assert.ok(report.heap.every((h) => h.baselineMiB > 0 && h.peakMiB >= h.baselineMiB), 'heap numbers come from performance.memory');
    assert.ok(report.hashes.some((h) => h.name.startsWith('coskit crc64') && h.mbPerSec > 0));
    assert.ok(report.hashes.some((h) => h.name.startsWith('coskit md5') && h.mbPerSec > 0));
    assert.match(report.machine.chromium, /^\d+\./);
    assert.equal(report.targets.length, 5);
    // The trace saw the page's tasks (every upload runs some script on the main thread).
    assert.ok(report.runs.every((r) => r.maxTaskCpuMs > 0), 'trace of main-thread tasks');

    const text = formatReport(report);
    for (const row of report.rows) assert.ok(text.includes(`| ${row.label} |`), row.label);
    for (const target of report.targets) assert.ok(text.includes(`| ${target.name} |`), target.name);
    assert.match(text, /\| target \(issue 4\) \| goal \| measured \| verdict \|/);

    // Cleanup: the bench files and the Chromium profile (both made inside `dir`) are gone.
    assert.deepEqual(await readdir(dir), []);
  });
});
