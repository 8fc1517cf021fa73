/**
 * The COS `q-sign-algorithm=sha1` request signature (Doc 7778), on WebCrypto so it runs unchanged in browsers, Web
 * Workers and Node 20.
 *
 * The target is byte-identical output with cos-nodejs-sdk-v5's `COS.getAuthorization` (sdk/util.js `getAuth`). Several
 * of its quirks are kept on purpose, because a server verifies whatever lists the client sent and users compare our
 * strings with the official SDK's: see the comments at each one.
 */

import { CosClientError } from '../errors.ts';

/** A query or header value as callers have it; `undefined`/`null` mean "not sent". */
export type SignableValue = string | number | undefined | null;

export interface AuthorizationOptions {
  secretId: string;
  secretKey: string;
  /** HTTP method, any case. @default 'get' */
  method: string;
  /** `/` plus the raw, unencoded key (path-style: `/{bucket}/{key}`). A missing leading `/` is added. */
  pathname: string;
  /** Query parameters as sent, decoded. A value-less parameter (`?uploads`) is `''`. */
  query?: Record<string, SignableValue>;
  /** Request headers; only the signable ones are used (see `isSignableHeader`). */
  headers?: Record<string, SignableValue> | Headers;
  /** `"start;end"` in Unix seconds; overrides `now`/`expires`. */
  keyTime?: string;
  /** Lifetime in seconds when `keyTime` is not given. `0` means the default, as in the official SDK. @default 900 */
  expires?: number;
  /** The current time in **milliseconds** (like `Date.now()`), e.g. corrected for clock skew. @default Date.now() */
  now?: number;
}

/** The headers the Node SDK signs besides `x-cos-*` / `x-ci-*` (sdk/util.js `signHeaders`). */
const SIGNED_HEADERS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-length',
  'content-md5',
  'content-type',
  'expect',
  'expires',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'origin',
  'range',
  'transfer-encoding',
  'pic-operations',
]);

/** Whether the official Node SDK puts this header into `q-header-list`. */
export function isSignableHeader(name: string): boolean {
  const lower = name.toLowerCase();
  // The SDK tests `indexOf(...) > -1`, not a prefix, so `foo-x-cos-bar` is signed too; matching it keeps parity.
  return lower.includes('x-cos-') || lower.includes('x-ci-') || SIGNED_HEADERS.has(lower);
}

const RESERVED_EXTRA = /[!'()*]/g;

/** COS UrlEncode: `encodeURIComponent` plus `! ' ( ) *`, so only `A-Z a-z 0-9 - _ . ~` stay literal. */
export function cosUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(RESERVED_EXTRA, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const encoder = /* @__PURE__ */ new TextEncoder();

function toHex(buf: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(buf)) out += byte.toString(16).padStart(2, '0');
  return out;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    // Browsers only expose SubtleCrypto in secure contexts (https, localhost).
    throw new CosClientError(
      'UnsupportedEnvironment',
      'WebCrypto (crypto.subtle) is not available; COS signing needs a secure context (https or localhost)',
    );
  }
  return s;
}

/**
 * Imported HMAC keys, most recently used last. One upload signs hundreds of requests with the same SecretKey and
 * SignKey, so a small LRU saves an importKey per HMAC without holding on to every secret ever seen.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_SIZE = 16;

function hmacKey(key: string): Promise<CryptoKey> {
  let p = keyCache.get(key);
  if (p) {
    keyCache.delete(key);
  } else {
    p = subtle().importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    // A failed import must not poison the cache for later calls.
    p.catch(() => keyCache.get(key) === p && keyCache.delete(key));
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  }
  keyCache.set(key, p);
  return p;
}

/** Lowercase hex HMAC-SHA1 of the UTF-8 bytes of `msg` under the UTF-8 bytes of `key`. */
export async function hmacSha1Hex(key: string, msg: string): Promise<string> {
  const k = await hmacKey(key);
  return toHex(await subtle().sign('HMAC', k, encoder.encode(msg)));
}

/** Lowercase hex SHA-1 of the UTF-8 bytes of `msg`. */
export async function sha1Hex(msg: string): Promise<string> {
  return toHex(await subtle().digest('SHA-1', encoder.encode(msg)));
}

/** SignKey = hex(HMAC-SHA1(SecretKey, KeyTime)); cached because every request in a KeyTime window shares it. */
const signKeyCache = new Map<string, Promise<string>>();

function signKeyFor(secretKey: string, keyTime: string): Promise<string> {
  const id = `${keyTime}\n${secretKey}`;
  let p = signKeyCache.get(id);
  if (!p) {
    p = hmacSha1Hex(secretKey, keyTime);
    p.catch(() => signKeyCache.get(id) === p && signKeyCache.delete(id));
    if (signKeyCache.size >= KEY_CACHE_SIZE) signKeyCache.delete(signKeyCache.keys().next().value!);
    signKeyCache.set(id, p);
  }
  return p;
}

/** The SDK's `getObjectKeys` order: by lowercased name, UTF-16 code units, stable for equal names. */
function byLowerName(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la === lb ? 0 : la > lb ? 1 : -1;
}

/**
 * `q-*-param-list` entries and the `name=value&…` line. The SDK sorts the list by the *encoded* names but the line by
 * the *raw* names (they differ for non-ASCII names); both orders are reproduced.
 */
function canonical(entries: Array<[string, string]>): { list: string; line: string } {
  const list = entries
    .map(([name]) => cosUrlEncode(name).toLowerCase())
    .sort(byLowerName)
    .join(';');
  const line = [...entries]
    .sort((a, b) => byLowerName(a[0], b[0]))
    .map(([name, value]) => `${cosUrlEncode(name).toLowerCase()}=${cosUrlEncode(value)}`)
    .join('&');
  return { list, line };
}

function queryEntries(query: Record<string, SignableValue> | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!query) return out;
  // Object.keys keeps the SDK's for-in order, which decides ties between names equal after lowercasing.
  for (const name of Object.keys(query)) {
    const v = query[name];
    // The SDK's request path drops undefined/null (base.js submitRequest, util.clearKey) before signing.
    if (v === undefined || v === null) continue;
    out.push([name, String(v)]);
  }
  return out;
}

function isHeaders(h: object): h is Headers {
  return typeof (h as Headers).forEach === 'function' && typeof (h as Headers).get === 'function';
}

function headerEntries(headers: Record<string, SignableValue> | Headers | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!headers) return out;
  // Duck-typed: a Headers from another realm (iframe, polyfill) fails `instanceof` and has no own keys to iterate.
  if (isHeaders(headers)) {
    headers.forEach((value, name) => {
      if (isSignableHeader(name)) out.push([name, value]);
    });
    return out;
  }
  const record = headers as Record<string, SignableValue>;
  for (const name of Object.keys(record)) {
    const v = record[name];
    if (v === undefined || v === null || !isSignableHeader(name)) continue;
    // An empty value stays (signs as `name=`), like COS.getAuthorization; fetch sends it as an empty header.
    out.push([name, String(v)]);
  }
  return out;
}

/** `"start;end"` the way the SDK derives it: start = round(now / 1000) - 1. */
export function defaultKeyTime(now: number = Date.now(), expires?: number): string {
  const start = Math.round(now / 1000) - 1;
  // `Expires || default` in the SDK: 0 and NaN fall back to 900 as well.
  const end = start + (expires ? expires : 900);
  return `${start};${end}`;
}

/**
 * The `Authorization` header value (also the `q-*` pairs of a presigned URL) for one request, byte-identical to
 * cos-nodejs-sdk-v5's `COS.getAuthorization` given the same inputs.
 */
export async function getAuthorization(opts: AuthorizationOptions): Promise<string> {
  const { secretId, secretKey } = opts;
  if (!secretId) throw new CosClientError('InvalidArgument', 'secretId is required to sign a request');
  if (!secretKey) throw new CosClientError('InvalidArgument', 'secretKey is required to sign a request');

  const method = (opts.method || 'get').toLowerCase();
  let pathname = opts.pathname || '';
  if (!pathname.startsWith('/')) pathname = `/${pathname}`;
  const keyTime = opts.keyTime || defaultKeyTime(opts.now ?? Date.now(), opts.expires);

  const q = canonical(queryEntries(opts.query));
  const h = canonical(headerEntries(opts.headers));

  const httpString = `${method}\n${pathname}\n${q.line}\n${h.line}\n`;
  const [signKey, httpHash] = await Promise.all([signKeyFor(secretKey, keyTime), sha1Hex(httpString)]);
  const signature = await hmacSha1Hex(signKey, `sha1\n${keyTime}\n${httpHash}\n`);

  return (
    `q-sign-algorithm=sha1&q-ak=${secretId}&q-sign-time=${keyTime}&q-key-time=${keyTime}` +
    `&q-header-list=${h.list}&q-url-param-list=${q.list}&q-signature=${signature}`
  );
}

export interface PostPolicySignOptions {
  secretKey: string;
  /** `"start;end"` in Unix seconds: the policy's `q-key-time` field. */
  keyTime: string;
  /** The policy JSON text exactly as it is base64-encoded into the form (an object is `JSON.stringify`-ed). */
  policy: string | object;
}

/** `q-signature` of a POST Object form policy (Doc 14690): HMAC-SHA1(SignKey, hex(SHA1(policy JSON))). */
export async function signPostPolicy({ secretKey, keyTime, policy }: PostPolicySignOptions): Promise<string> {
  if (!secretKey) throw new CosClientError('InvalidArgument', 'secretKey is required to sign a policy');
  const json = typeof policy === 'string' ? policy : JSON.stringify(policy);
  const [signKey, stringToSign] = await Promise.all([signKeyFor(secretKey, keyTime), sha1Hex(json)]);
  return hmacSha1Hex(signKey, stringToSign);
}
