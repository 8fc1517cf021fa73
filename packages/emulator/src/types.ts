/** Public and shared types of the emulator. */

export type FaultKind = 'error500' | 'slowDown' | 'reset' | 'delay' | 'lostResponse' | 'corrupt';

export interface FaultRule {
  /** COS action name, e.g. 'UploadPart'; omitted = any operation. */
  op?: string;
  /** Key prefix the rule applies to; omitted = any key. */
  key?: string;
  kind: FaultKind;
  /** @default 1 */
  probability?: number;
  /** Maximum number of injections; the rule is spent afterwards. */
  count?: number;
  /** Latency added by `delay` rules. @default 1000 */
  delayMs?: number;
}

export interface FaultConfig {
  rules?: FaultRule[];
  /** Seed for the deterministic random source that draws probabilities. */
  seed?: number;
  clockOffsetSeconds?: number;
}

export interface EmulatorOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 9000 */
  port?: number;
  /** Data directory for on-disk storage. @default '.coskit-data' */
  dir?: string;
  /** Keep everything in RAM instead of `dir`. @default false */
  memory?: boolean;
  /** @default 'ap-guangzhou' */
  region?: string;
  /** Buckets (`name-appid`) created at start if missing. @default [] */
  buckets?: string[];
  /** Permanent key id. @default generated at start */
  secretId?: string;
  /** Permanent key secret. @default generated at start */
  secretKey?: string;
  /** AppId used for buckets named without one and for policy resources. @default derived from `buckets`, else '1250000000' */
  appId?: string;
  /** Tolerated clock difference for a signature start time. @default 900 */
  clockSkewSeconds?: number;
  /** Initial fault configuration. @default no faults */
  faults?: FaultConfig;
  /** Complete Multipart Upload refuses non-consecutive part numbers. @default false */
  requireConsecutiveParts?: boolean;
  /** Do not log. @default false */
  quiet?: boolean;
  /** How often lifecycle rules are swept. @default 60000 */
  lifecycleIntervalMs?: number;
}

export interface StsRequest {
  policy?: CamPolicy;
  /** @default 1800, at most 7200 */
  durationSeconds?: number;
  bucket?: string;
  prefix?: string;
  actions?: string[];
}

export interface CamStatement {
  effect: 'allow' | 'deny' | string;
  action: string | string[];
  resource: string | string[];
  principal?: unknown;
  condition?: unknown;
}

export interface CamPolicy {
  version?: string;
  statement: CamStatement[];
}

export interface StsResponse {
  credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string };
  expiration: string;
  startTime: number;
  expiredTime: number;
  requestId: string;
}

export interface EmulatorStats {
  requests: Record<string, number>;
  faults: Record<string, number>;
}

export interface RunningEmulator {
  url: string;
  host: string;
  port: number;
  region: string;
  secretId: string;
  secretKey: string;
  close(): Promise<void>;
  setFaults(cfg: FaultConfig): void;
  getStats(): EmulatorStats;
  setClockOffset(seconds: number): void;
  mintTemporaryKeys(policyOrOpts: CamPolicy | StsRequest): StsResponse;
}
