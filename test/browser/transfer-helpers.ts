/**
 * Shared by the transfer-*.test.ts files: a client on the emulator, deterministic file bytes, the emulator's
 * admin API (faults, request counts, temporary keys) and byte comparison.
 */
import type { CosClient, CosClientOptions } from '@coskit/core';
import { clientFor, testEnv, type TestEnv } from '../support/env.ts';

export const MiB = 1024 * 1024;

/** A client on the emulator (virtual-hosted through *.localhost), permanent keys unless `credentials` is given. */
export async function emulatorClient(options: Partial<CosClientOptions> = {}): Promise<{ env: TestEnv; client: CosClient }> {
  const env = await testEnv();
  const client = clientFor(env, { retry: { limit: 2, baseDelay: 20, maxDelay: 200 }, ...options });
  return { env, client };
}

/** A unique key prefix per test file run, so files and reruns never see each other's objects. */
export function runPrefix(name: string): string {
  return `transfer/${name}/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;
}

/** `size` pseudo-random bytes from `seed` (xorshift32): distinct per seed, so swapped parts are noticed. */
export function bytesOf(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, Math.floor(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** A File of `size` deterministic bytes. */
export function fileOf(size: number, seed = 1, name = `f${seed}.bin`, type = 'application/octet-stream'): File {
  return new File([bytesOf(size, seed)], name, { type, lastModified: 1_700_000_000_000 + seed });
}

/** True when the two are byte-for-byte equal. */
export async function sameBytes(a: Blob, b: Blob): Promise<boolean> {
  if (a.size !== b.size) return false;
  const [x, y] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return false;
  return true;
}

async function admin(env: TestEnv, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${env.url}/__coskit/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export type { FaultRule } from '@coskit/emulator';
import type { FaultRule } from '@coskit/emulator';

/** Replaces the emulator's fault rules (`[]` clears them). */
export function setFaults(env: TestEnv, rules: FaultRule[]): Promise<unknown> {
  return admin(env, 'PUT', 'faults', { rules });
}

/** Requests per COS action since the emulator started, and faults injected. */
export async function stats(env: TestEnv): Promise<{ requests: Record<string, number>; faults: Record<string, number> }> {
  return (await admin(env, 'GET', 'stats')) as { requests: Record<string, number>; faults: Record<string, number> };
}

/** Counts requests per action during `fn` (tests run one at a time, so the emulator's counters are ours). */
export async function countRequests<T>(env: TestEnv, fn: () => Promise<T>): Promise<{ value: T; count: (op: string) => number }> {
  const before = (await stats(env)).requests;
  const value = await fn();
  const after = (await stats(env)).requests;
  return { value, count: (op) => (after[op] ?? 0) - (before[op] ?? 0) };
}

/**
 * Mints temporary keys from the emulator's STS endpoint (signed with the permanent key, as an app server would
 * call STS), limited to `prefix`.
 */
export async function mintTemporaryKeys(
  env: TestEnv,
  request: { prefix?: string; durationSeconds?: number },
): Promise<{ credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string }; startTime: number; expiredTime: number }> {
  const { getAuthorization } = await import('@coskit/core');
  const host = new URL(env.url).host;
  const authorization = await getAuthorization({
    secretId: env.secretId,
    secretKey: env.secretKey,
    method: 'POST',
    pathname: '/__coskit/sts',
    headers: { host },
  });
  const response = await fetch(`${env.url}/__coskit/sts`, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    body: JSON.stringify({ bucket: env.bucket, ...request }),
  });
  if (!response.ok) throw new Error(`sts: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Resolves on the first `statechange` to `state` (or at once if the handle is already there). */
export function whenState(handle: EventTarget & { state: string }, state: string): Promise<void> {
  if (handle.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (event: Event): void => {
      if ((event as CustomEvent<{ state: string }>).detail.state !== state) return;
      handle.removeEventListener('statechange', listener);
      resolve();
    };
    handle.addEventListener('statechange', listener);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
