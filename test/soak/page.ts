/**
 * The soak page: bundled by `run.ts` with esbuild and opened in headless Chromium. It exposes `window.soak.run()`,
 * which runs the fault batch (`batch.ts`) against the emulator whose address and permanent key the runner passes in.
 */
import { CosClient } from '@coskit/core';
import { EmulatorAdmin } from '../support/faults.ts';
import { runFaultBatch, type FaultBatchFigures } from './batch.ts';

/** What the runner hands the page. */
export interface SoakPageConfig {
  emulatorUrl: string;
  port: number;
  bucket: string;
  region: string;
  secretId: string;
  secretKey: string;
  uploads: number;
  seconds: number;
  seed: number;
  maxSize: number;
  faultRate: number;
}

/** `window.soak`. */
export interface SoakPageApi {
  run(config: SoakPageConfig): Promise<FaultBatchFigures & { userAgent: string }>;
}

const api: SoakPageApi = {
  async run(config) {
    const client = new CosClient({
      bucket: config.bucket,
      region: config.region,
      // Chromium resolves *.localhost to loopback: virtual-hosted addressing, as against real COS.
      endpoint: `http://{Bucket}.cos.{Region}.localhost:${config.port}`,
      credentials: { secretId: config.secretId, secretKey: config.secretKey },
      retry: { limit: 6, baseDelay: 30, maxDelay: 500 },
      timeout: 60_000,
    });
    const admin = new EmulatorAdmin(config.emulatorUrl, { secretId: config.secretId, secretKey: config.secretKey });
    const figures = await runFaultBatch({
      client,
      admin,
      prefix: `soak/${config.seed}/`,
      uploads: config.uploads,
      seconds: config.seconds,
      seed: config.seed,
      maxSize: config.maxSize,
      faultRate: config.faultRate,
      log: (line) => console.log(line),
    });
    return { ...figures, userAgent: navigator.userAgent };
  },
};

(window as unknown as { soak: SoakPageApi }).soak = api;
