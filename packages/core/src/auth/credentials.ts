/**
 * Credentials: static keys or an async provider of temporary keys, cached and refreshed before they expire.
 * Concurrent requests share one refresh; a failing provider is retried with backoff on later requests, not in a
 * tight loop.
 */
import { CosClientError } from '../errors.ts';
import type { CredentialsProvider, ResolvedCredentials, StaticCredentials } from './types.ts';
import { sleep } from '../http/sleep.ts';

/** Refresh this many seconds before `expiredTime` (the issue asks for at least 60 s). */
export const REFRESH_MARGIN_SECONDS = 90;
const MAX_BACKOFF_MS = 30_000;

let warnedPermanent = false;

function isBrowserLike(): boolean {
  return typeof document !== 'undefined' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
}

function fail(message: string, cause?: unknown): CosClientError {
  return new CosClientError('CredentialsError', message, { cause });
}

/** Errors of a provider that threw (an STS route down): worth another attempt, unlike a malformed answer. */
const providerFailures = new WeakSet<object>();

/**
 * True for a `CredentialsError` raised because the provider itself threw or rejected (a credentials route answering
 * 502, a network error): the request pipeline retries those (the cache's own backoff spaces the provider calls).
 * A provider that answers garbage is not transient and fails at once.
 */
export function isTransientCredentialsError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && providerFailures.has(error);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function seconds(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw fail(`credentials: ${name} must be Unix seconds; got ${JSON.stringify(value)}`);
  // A 13-digit value is milliseconds: a common mistake that would otherwise make keys look valid for 50,000 years.
  if (n > 1e12) throw fail(`credentials: ${name} looks like milliseconds (${n}); COS uses Unix seconds`);
  return Math.floor(n);
}

/** Accepts the qcloud-cos-sts shape, the cos-js-sdk-v5 shape and `{ secretId, secretKey, sessionToken? }`. */
export function normalizeCredentials(value: unknown): ResolvedCredentials {
  if (typeof value !== 'object' || value === null) throw fail(`credentials must be an object; got ${value === null ? 'null' : typeof value}`);
  const v = value as Record<string, unknown>;
  const nested = typeof v.credentials === 'object' && v.credentials !== null ? (v.credentials as Record<string, unknown>) : undefined;
  const secretId = str(nested?.tmpSecretId) ?? str(v.TmpSecretId) ?? str(v.secretId) ?? str(v.SecretId);
  const secretKey = str(nested?.tmpSecretKey) ?? str(v.TmpSecretKey) ?? str(v.secretKey) ?? str(v.SecretKey);
  const sessionToken =
    str(nested?.sessionToken) ?? str(nested?.token) ?? str(v.SecurityToken) ?? str(v.XCosSecurityToken) ?? str(v.sessionToken);
  if (!secretId || !secretKey) {
    throw fail(
      'credentials need a secret id and key: { credentials: { tmpSecretId, tmpSecretKey, sessionToken }, expiredTime } ' +
        '(qcloud-cos-sts), { TmpSecretId, TmpSecretKey, SecurityToken, ExpiredTime } (cos-js-sdk-v5) or { secretId, secretKey }',
    );
  }
  const expiredTime = seconds(v.expiredTime ?? v.ExpiredTime, 'expiredTime');
  const startTime = seconds(v.startTime ?? v.StartTime, 'startTime');
  if (sessionToken && expiredTime === undefined) throw fail('temporary credentials need expiredTime (Unix seconds)');
  return { secretId, secretKey, sessionToken, startTime, expiredTime };
}

export class CredentialsCache {
  #source: StaticCredentials | CredentialsProvider;
  #current: ResolvedCredentials | undefined;
  #inflight: Promise<ResolvedCredentials> | undefined;
  #failures = 0;
  #retryAt = 0;

  constructor(source: StaticCredentials | CredentialsProvider) {
    if (typeof source !== 'function') {
      this.#current = normalizeCredentials(source);
      if (!this.#current.sessionToken && isBrowserLike() && !warnedPermanent) {
        warnedPermanent = true;
        console.warn(
          '[coskit] Permanent COS keys are in use in a browser: anyone who opens the page can read them. ' +
            'Use a credentials provider that returns temporary keys from your server (qcloud-cos-sts), or `authorize`.',
        );
      }
    }
    this.#source = source;
  }

  /** True when the keys come from a provider (and can be refreshed). */
  get refreshable(): boolean {
    return typeof this.#source === 'function';
  }

  /**
   * Current keys, refreshed when within REFRESH_MARGIN_SECONDS of expiry (by the server-corrected clock `now`).
   */
  async get(now: number, signal?: AbortSignal): Promise<ResolvedCredentials> {
    const current = this.#current;
    if (current && (current.expiredTime === undefined || current.expiredTime - now > REFRESH_MARGIN_SECONDS)) return current;
    if (typeof this.#source !== 'function') {
      if (current) return current; // static temporary keys past their time: let the server say ExpiredToken
      throw fail('no credentials');
    }
    this.#inflight ??= this.#refresh(this.#source, signal).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Drops cached provider keys (after ExpiredToken / InvalidAccessKeyId) so the next request fetches new ones. */
  invalidate(): void {
    if (typeof this.#source === 'function') this.#current = undefined;
  }

  async #refresh(provider: CredentialsProvider, signal?: AbortSignal): Promise<ResolvedCredentials> {
    const wait = this.#retryAt - Date.now();
    if (wait > 0) await sleep(wait, signal);
    let raw: unknown;
    try {
      raw = await provider({ signal });
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      this.#backoff();
      const error = fail(`the credentials provider failed: ${(cause as Error)?.message ?? String(cause)}`, cause);
      providerFailures.add(error);
      throw error;
    }
    try {
      this.#current = normalizeCredentials(raw);
    } catch (error) {
      this.#backoff();
      throw error;
    }
    this.#failures = 0;
    this.#retryAt = 0;
    return this.#current;
  }

  #backoff(): void {
    this.#failures += 1;
    const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (this.#failures - 1));
    this.#retryAt = Date.now() + ceiling / 2 + Math.random() * (ceiling / 2);
  }
}
