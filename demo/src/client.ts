/**
 * What every demo page shares: the server's `/api/config`, and a `CosClient` whose temporary keys come from the
 * demo's `/api/sts` (refreshed by the client before they expire). No key is ever written into the page.
 */
import { CosClient, type StsCredentialsShape } from '@coskit/core';

/** `/api/config`: where the demo's bucket is. */
export interface DemoConfig {
  mode: 'emulator' | 'cos';
  bucket: string;
  region: string;
  /** Endpoint template (`http://{Bucket}.cos.{Region}.localhost:PORT` for the emulator); absent for real COS. */
  endpoint?: string;
  protocol: 'http:' | 'https:';
  /** The prefix the temporary keys are scoped to, e.g. `uploads/`. */
  prefix: string;
}

/** Fetches `/api/config` from the demo server. */
export async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch('/api/config');
  if (!response.ok) throw new Error(`/api/config answered ${response.status}`);
  return (await response.json()) as DemoConfig;
}

/** Temporary keys from the demo server, in the qcloud-cos-sts shape `CosClient` accepts as is. */
export async function fetchCredentials({ signal }: { signal?: AbortSignal | undefined }): Promise<StsCredentialsShape> {
  const response = await fetch('/api/sts', { method: 'POST', signal });
  if (!response.ok) throw new Error(`/api/sts answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as StsCredentialsShape;
}

/** A `CosClient` for the demo bucket, its keys fetched from `/api/sts` when needed (and before they expire). */
export function createClient(config: DemoConfig): CosClient {
  return new CosClient({
    bucket: config.bucket,
    region: config.region,
    protocol: config.protocol,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    credentials: fetchCredentials,
  });
}

/** `1.2 MB`-style sizes for tables and captions. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The mode badge in the header. */
export function showMode(config: DemoConfig): void {
  const badge = document.getElementById('mode');
  if (badge) badge.textContent = config.mode === 'emulator' ? `local emulator · ${config.bucket}` : `COS · ${config.bucket} · ${config.region}`;
}

/** Builds an element with text content only: names from storage never become markup. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Pick<HTMLElementTagNameMap[K], 'className' | 'textContent'>> & Record<string, unknown> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}
