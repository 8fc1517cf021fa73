/**
 * The emulator's admin API from a browser page (the reliability/security tests and the soak page): fault rules,
 * request and fault counters, the server clock, and temporary keys from its STS endpoint. The admin endpoints answer
 * loopback peers with CORS `*`, so a test page on another origin can call them.
 *
 * Usage:
 *   const admin = await testAdmin();
 *   await admin.setFaults({ seed: 7, rules: [{ op: 'UploadPart', kind: 'error500', probability: 0.1 }] });
 *   const before = await admin.stats(); ...; const delta = diffStats(before, await admin.stats());
 */
import { getAuthorization } from '@coskit/core';
import { testEnv } from './env.ts';

/** The emulator's own fault types (type-only: nothing of the server is loaded into the page). */
import type { FaultKind, FaultRule } from '@coskit/emulator';
export type { FaultKind, FaultRule };

/** Every kind, in the order figures print them. */
export const FAULT_KINDS: readonly FaultKind[] = ['error500', 'slowDown', 'reset', 'delay', 'lostResponse', 'corrupt'];

/** A whole fault configuration; with `seed` the draws are reproducible. */
export interface FaultConfig {
  rules: FaultRule[];
  seed?: number;
}

/** The emulator's counters: requests per COS action, faults injected per kind (since start or the last reset). */
export interface EmulatorStats {
  requests: Record<string, number>;
  faults: Record<string, number>;
}

/** Temporary keys in the qcloud-cos-sts shape, as the emulator's `POST /__coskit/sts` answers. */
export interface MintedKeys {
  credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string };
  startTime: number;
  expiredTime: number;
}

/** What to mint: a bucket/prefix/actions policy (or an explicit CAM `policy`) and a lifetime. */
export interface MintRequest {
  bucket?: string;
  prefix?: string;
  actions?: string[];
  policy?: unknown;
  durationSeconds?: number;
}

/** Counters that moved between two snapshots (`after - before`, zero entries left out). */
export function diffStats(before: EmulatorStats, after: EmulatorStats): EmulatorStats {
  const diff = (a: Record<string, number>, b: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [name, n] of Object.entries(b)) if (n - (a[name] ?? 0) !== 0) out[name] = n - (a[name] ?? 0);
    return out;
  };
  return { requests: diff(before.requests, after.requests), faults: diff(before.faults, after.faults) };
}

/** The admin API of one emulator, at `url` (`http://127.0.0.1:PORT`), with its permanent key for STS. */
export class EmulatorAdmin {
  constructor(
    readonly url: string,
    private readonly permanent: { secretId: string; secretKey: string },
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__coskit/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`emulator admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<T>;
  }

  /** Replaces every fault rule (a list of rules, or a config with a seed). */
  async setFaults(config: FaultConfig | FaultRule[]): Promise<void> {
    await this.call('PUT', 'faults', Array.isArray(config) ? { rules: config } : config);
  }

  /** Removes every fault rule (the clock offset stays). */
  async clearFaults(): Promise<void> {
    await this.call('PUT', 'faults', { rules: [] });
  }

  /** Requests per action and faults per kind so far. */
  stats(): Promise<EmulatorStats> {
    return this.call('GET', 'stats');
  }

  /** Moves the server's clock by `offsetSeconds` (signature windows, `Date`, STS times). */
  async setClock(offsetSeconds: number): Promise<void> {
    await this.call('PUT', 'clock', { offsetSeconds });
  }

  /** Mints temporary keys, signed with the permanent key as an app server calling STS would. */
  async mintKeys(request: MintRequest): Promise<MintedKeys> {
    const host = new URL(this.url).host;
    const authorization = await getAuthorization({ ...this.permanent, method: 'POST', pathname: '/__coskit/sts', headers: { host } });
    const response = await fetch(`${this.url}/__coskit/sts`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) throw new Error(`emulator sts: ${response.status} ${await response.text()}`);
    return response.json() as Promise<MintedKeys>;
  }
}

/** The admin API of the browser test run's emulator. */
export async function testAdmin(): Promise<EmulatorAdmin> {
  const env = await testEnv();
  return new EmulatorAdmin(env.url, { secretId: env.secretId, secretKey: env.secretKey });
}
