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
