import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { KeyRing } from './auth/keys.ts';
import { FaultEngine, Stats } from './faults.ts';
import { createHandler } from './handler.ts';
import { sweepLifecycle } from './lifecycle.ts';
import { ensureBucket } from './ops/bucket.ts';
import { normalizeOptions } from './options.ts';
import { type EmulatorState, serverNow } from './state.ts';
import { DiskBackend } from './storage/disk.ts';
import { MemoryBackend } from './storage/memory.ts';
import { Store } from './storage/store.ts';
import type { CamPolicy, EmulatorOptions, FaultConfig, RunningEmulator, StsRequest } from './types.ts';

/** Starts a COS-compatible server; resolves once it listens and the configured buckets exist. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const opts = normalizeOptions(options);
  const log = (msg: string) => {
    if (!opts.quiet) process.stderr.write(`[coskit-emulator] ${msg}\n`);
  };
  const store = new Store(opts.memory ? new MemoryBackend() : new DiskBackend(resolve(opts.dir)));
  await store.init();
  const state: EmulatorState = {
    opts,
    store,
    keys: new KeyRing(opts.secretId, opts.secretKey, opts.region, opts.appId),
    faults: new FaultEngine(),
    stats: new Stats(),
    clockOffsetSeconds: 0,
  };
  const setFaults = (cfg: FaultConfig) => {
    state.faults.set(cfg);
    if (cfg.clockOffsetSeconds !== undefined) state.clockOffsetSeconds = cfg.clockOffsetSeconds;
  };
  setFaults(opts.faults);
  const createBuckets = async () => {
    for (const b of opts.buckets) await ensureBucket(state, b);
  };
  await createBuckets();

  const hooks = {
    setFaults,
    reset: async () => {
      state.stats.reset();
      state.faults.set({});
      state.faults.resetCounts();
      state.clockOffsetSeconds = 0;
      if (opts.memory) {
        await store.clear();
        await createBuckets();
      }
    },
  };
  // requestTimeout 0: a throttled multi-GB upload legitimately takes longer than node's 5-minute default.
  const server: Server = createServer({ keepAliveTimeout: 5000, requestTimeout: 0 }, createHandler(state, hooks, log));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const sweep = setInterval(() => {
    sweepLifecycle(state).catch((e: unknown) => log(`lifecycle sweep failed: ${String(e)}`));
  }, opts.lifecycleIntervalMs);
  sweep.unref();
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  return {
    url: `http://${hostForUrl}:${port}`,
    host: opts.host,
    port,
    region: opts.region,
    secretId: opts.secretId,
    secretKey: opts.secretKey,
    async close() {
      clearInterval(sweep);
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      for (const s of sockets) s.destroy();
      await closed;
      await store.backend.close();
    },
    setFaults,
    getStats: () => state.stats.snapshot(state.faults),
    setClockOffset(seconds: number) {
      state.clockOffsetSeconds = seconds;
    },
    mintTemporaryKeys: (policyOrOpts: CamPolicy | StsRequest) =>
      state.keys.mint(policyOrOpts, serverNow(state), `mint-${Date.now().toString(36)}`),
  };
}
