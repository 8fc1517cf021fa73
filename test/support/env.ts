import { CosClient, type CosClientOptions } from '@coskit/core';
/** What the browser tests know about the emulator started for this run (see emulator-plugin.ts). */
export interface TestEnv {
  /** `http://127.0.0.1:PORT` (path-style and the admin endpoints). */
  url: string;
  port: number;
  region: string;
  bucket: string;
  secretId: string;
  secretKey: string;
}

let cached: Promise<TestEnv> | undefined;

export function testEnv(): Promise<TestEnv> {
  cached ??= fetch('/__coskit/env.json').then((r) => r.json() as Promise<TestEnv>);
  return cached;
}

/** Virtual-hosted endpoint template for the emulator: Chromium resolves `*.localhost` to loopback. */
export function virtualHostEndpoint(env: TestEnv): string {
  return `http://{Bucket}.cos.{Region}.localhost:${env.port}`;
}

/** A client for the run's emulator bucket, virtual-hosted, with the permanent test keys unless `credentials` is given. */
export function clientFor(env: TestEnv, options: Partial<CosClientOptions> = {}): CosClient {
  return new CosClient({
    bucket: env.bucket,
    region: env.region,
    credentials: { secretId: env.secretId, secretKey: env.secretKey },
    endpoint: virtualHostEndpoint(env),
    ...options,
  });
}
