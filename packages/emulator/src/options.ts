import { randomBytes } from 'node:crypto';
import type { EmulatorOptions, FaultConfig } from './types.ts';

const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 9000,
  dir: '.coskit-data',
  memory: false,
  region: 'ap-guangzhou',
  buckets: [] as readonly string[],
  clockSkewSeconds: 900,
  requireConsecutiveParts: false,
  quiet: false,
  lifecycleIntervalMs: 60_000,
  appId: '1250000000',
});

export interface ResolvedOptions {
  host: string;
  port: number;
  dir: string;
  memory: boolean;
  region: string;
  buckets: string[];
  secretId: string;
  secretKey: string;
  appId: string;
  clockSkewSeconds: number;
  faults: FaultConfig;
  requireConsecutiveParts: boolean;
  quiet: boolean;
  lifecycleIntervalMs: number;
}

const KNOWN = new Set<string>([...Object.keys(DEFAULTS), 'secretId', 'secretKey', 'faults']);

export const BUCKET_RE = /^[a-z0-9][a-z0-9-]{0,48}-\d{5,}$/;

export function normalizeOptions(input: EmulatorOptions = {}): ResolvedOptions {
  for (const k of Object.keys(input)) {
    if (!KNOWN.has(k)) throw new TypeError(`Unknown emulator option: ${k}`);
  }
  const buckets = [...(input.buckets ?? DEFAULTS.buckets)];
  for (const b of buckets) {
    if (!BUCKET_RE.test(b)) throw new TypeError(`Bucket must be named NAME-APPID: ${b}`);
  }
  const derivedAppId = buckets[0]?.slice(buckets[0].lastIndexOf('-') + 1);
  return {
    host: input.host ?? DEFAULTS.host,
    port: input.port ?? DEFAULTS.port,
    dir: input.dir ?? DEFAULTS.dir,
    memory: input.memory ?? DEFAULTS.memory,
    region: input.region ?? DEFAULTS.region,
    buckets,
    // Random per start so no secret ever lives in the repository.
    secretId: input.secretId ?? `AKID${randomBytes(16).toString('hex')}`,
    secretKey: input.secretKey ?? randomBytes(24).toString('base64url'),
    appId: input.appId ?? derivedAppId ?? DEFAULTS.appId,
    clockSkewSeconds: input.clockSkewSeconds ?? DEFAULTS.clockSkewSeconds,
    faults: input.faults ?? {},
    requireConsecutiveParts: input.requireConsecutiveParts ?? DEFAULTS.requireConsecutiveParts,
    quiet: input.quiet ?? DEFAULTS.quiet,
    lifecycleIntervalMs: input.lifecycleIntervalMs ?? DEFAULTS.lifecycleIntervalMs,
  };
}
