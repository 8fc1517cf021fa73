/**
 * Where the demo stores objects, and how it mints the browser's temporary keys. Two backends with one shape:
 * the local emulator (default: no cloud account needed) and real COS (when COS_SECRET_ID, COS_SECRET_KEY,
 * COS_BUCKET and COS_REGION are set). The browser never sees a permanent key in either case.
 */
import { getAuthorization, type StsCredentialsShape } from '@coskit/core';
import { startEmulator, type RunningEmulator } from '@coskit/emulator';

/** What `/api/config` tells the pages. */
export interface DemoConfig {
  mode: 'emulator' | 'cos';
  bucket: string;
  region: string;
  /** Endpoint template for `CosClient`; undefined = the default `https://{Bucket}.cos.{Region}.myqcloud.com`. */
  endpoint: string | undefined;
  protocol: 'http:' | 'https:';
  /** The only prefix the temporary keys may touch. */
  prefix: string;
  /** Origin(s) pages must be allowed to connect to (for the script-tag page's CSP). */
  connectSources: string[];
}

export interface Backend {
  readonly config: DemoConfig;
  /** The emulator's loopback URL (admin endpoints: faults, stats); undefined for real COS. */
  readonly emulatorUrl?: string | undefined;
  /** Temporary keys in the qcloud-cos-sts shape, scoped to `config.prefix`. */
  mintCredentials(): Promise<StsCredentialsShape>;
  close(): Promise<void>;
}

/** The demo's keys can upload, list, read and delete under the prefix, and nothing else. */
export const DEMO_PREFIX = 'uploads/';
export const DEMO_BUCKET = 'coskit-demo-1250000000';
export const DEMO_REGION = 'ap-guangzhou';
const DURATION_SECONDS = 1800;

const OBJECT_ACTIONS = [
  'PutObject',
  'PostObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'InitiateMultipartUpload',
  'ListParts',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
].map((a) => `name/cos:${a}`);

/**
 * The CAM policy both backends hand out: object actions on `bucket/uploads/*`; listing (GetBucket,
 * ListMultipartUploads) is a bucket-level resource, so it gets its own statement on `bucket/*`. Real COS could narrow
 * listing further with a `cos:prefix` condition; the emulator does not evaluate conditions.
 */
export function demoPolicy(bucket: string, region: string, prefix: string): object {
  const appId = bucket.slice(bucket.lastIndexOf('-') + 1);
  const resource = (path: string) => `qcs::cos:${region}:uid/${appId}:${bucket}/${path}`;
  return {
    version: '2.0',
    statement: [
      { effect: 'allow', principal: { qcs: ['*'] }, action: OBJECT_ACTIONS, resource: [resource(`${prefix}*`)] },
      {
        effect: 'allow',
        principal: { qcs: ['*'] },
        action: ['name/cos:GetBucket', 'name/cos:ListMultipartUploads'],
        resource: [resource('*')],
      },
    ],
  };
}

export interface EmulatorBackendOptions {
  /** Data directory (durable, survives restarts). @default '.coskit-data' */
  dir?: string;
  /** Keep data in RAM instead (tests). @default false */
  memory?: boolean;
  /** @default 0 (a free port) */
  port?: number;
  quiet?: boolean;
}

/** Starts the emulator with the demo bucket and mints keys through its `POST /__coskit/sts`, signed like any COS call. */
export async function emulatorBackend(options: EmulatorBackendOptions = {}): Promise<Backend> {
  const emulator: RunningEmulator = await startEmulator({
    host: '127.0.0.1',
    port: options.port ?? 0,
    ...(options.memory ? { memory: true } : { dir: options.dir ?? '.coskit-data' }),
    region: DEMO_REGION,
    buckets: [DEMO_BUCKET],
    quiet: options.quiet ?? true,
  });
  const stsUrl = new URL('/__coskit/sts', emulator.url);
  const config: DemoConfig = {
    mode: 'emulator',
    bucket: DEMO_BUCKET,
    region: DEMO_REGION,
    // Virtual-hosted addressing, as on real COS: Chromium and Firefox resolve `*.localhost` to loopback.
    endpoint: `http://{Bucket}.cos.{Region}.localhost:${emulator.port}`,
    protocol: 'http:',
    prefix: DEMO_PREFIX,
    connectSources: [`http://*.localhost:${emulator.port}`],
  };
  return {
    config,
    emulatorUrl: emulator.url,
    async mintCredentials() {
      const body = JSON.stringify({ policy: demoPolicy(DEMO_BUCKET, DEMO_REGION, DEMO_PREFIX), durationSeconds: DURATION_SECONDS });
      const headers = { host: stsUrl.host, 'content-type': 'application/json' };
      const authorization = await getAuthorization({
        secretId: emulator.secretId,
        secretKey: emulator.secretKey,
        method: 'POST',
        pathname: stsUrl.pathname,
        headers,
      });
      const response = await fetch(stsUrl, { method: 'POST', headers: { ...headers, authorization }, body });
      if (!response.ok) throw new Error(`emulator STS answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as StsCredentialsShape;
    },
    close: () => emulator.close(),
  };
}

/** Reads the real-COS settings from the environment; undefined unless all four are set. */
export function cosSettingsFromEnv(env: NodeJS.ProcessEnv = process.env):
  | { secretId: string; secretKey: string; bucket: string; region: string }
  | undefined {
  const { COS_SECRET_ID, COS_SECRET_KEY, COS_BUCKET, COS_REGION } = env;
  if (!COS_SECRET_ID || !COS_SECRET_KEY || !COS_BUCKET || !COS_REGION) return undefined;
  return { secretId: COS_SECRET_ID, secretKey: COS_SECRET_KEY, bucket: COS_BUCKET, region: COS_REGION };
}

/**
 * Real COS: temporary keys from STS `GetFederationToken` through qcloud-cos-sts. The bucket needs a CORS rule for
 * the demo's origin that exposes ETag and x-cos-hash-crc64ecma (see the README).
 */
export async function cosBackend(settings: { secretId: string; secretKey: string; bucket: string; region: string }): Promise<Backend> {
  // CommonJS package: loaded only when real COS is used.
  const { default: STS } = await import('qcloud-cos-sts');
  return {
    config: {
      mode: 'cos',
      bucket: settings.bucket,
      region: settings.region,
      endpoint: undefined,
      protocol: 'https:',
      prefix: DEMO_PREFIX,
      connectSources: ['https://*.myqcloud.com'],
    },
    async mintCredentials() {
      const data = await STS.getCredential({
        secretId: settings.secretId,
        secretKey: settings.secretKey,
        region: settings.region,
        durationSeconds: DURATION_SECONDS,
        policy: demoPolicy(settings.bucket, settings.region, DEMO_PREFIX),
      });
      return { credentials: data.credentials, startTime: data.startTime, expiredTime: data.expiredTime };
    },
    close: async () => {},
  };
}
