/**
 * Presigned URLs: a link that carries its own signature (and the temporary key's token), for a download link, an
 * `<img src>`, or a PUT upload from a form without the SDK. The seeds' JSON-API signatures map here: "multi-use" =
 * a URL with a longer `expires`; "single-use" = a short one for one method and key (COS has no true one-shot
 * signature: keep `expires` short); "download" = GET with `response-content-disposition`.
 */
import { getAuthorization } from '../auth/sign.ts';
import type { CosClient } from '../client.ts';
import { CosClientError, invalidArgument } from '../errors.ts';
import type { HttpMethod } from '../http/types.ts';
import { assertBucket, assertKey, assertKnownKeys, assertRegion } from '../validate.ts';

export interface GetObjectUrlInput {
  bucket?: string;
  region?: string;
  key: string;
  /** @default 'GET' */
  method?: HttpMethod;
  /** Seconds the URL stays valid (capped by a temporary key's own expiry). @default the client's signExpires (900) */
  expires?: number;
  /** Extra query parameters, signed (e.g. `response-content-disposition`, `versionId`). */
  query?: Record<string, string | number | undefined>;
  /** Headers the eventual request will send and that the signature should bind (e.g. `Content-Type` for PUT). */
  headers?: Record<string, string>;
  /** `false` returns the plain object URL (for public-read objects). @default true */
  sign?: boolean;
  signal?: AbortSignal;
}

const KEYS = ['bucket', 'region', 'key', 'method', 'expires', 'query', 'headers', 'sign', 'signal'] as const;

function encodeQueryValue(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export async function getObjectUrl(client: CosClient, input: GetObjectUrlInput): Promise<string> {
  assertKnownKeys(input, KEYS, 'getObjectUrl');
  const bucket = input.bucket ?? client.options.bucket;
  const region = input.region ?? client.options.region;
  assertBucket(bucket);
  if (region !== undefined) assertRegion(region);
  assertKey(input.key);
  const method = input.method ?? 'GET';
  if (!['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(method)) throw invalidArgument(`method must be GET, HEAD, PUT, POST or DELETE; got ${method}`);
  const expires = input.expires ?? client.options.signExpires;
  if (!Number.isInteger(expires) || expires <= 0) throw invalidArgument(`expires must be a positive whole number of seconds; got ${String(expires)}`);
  const target = client.endpointFor({ bucket, region, key: input.key });

  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.query ?? {})) if (value !== undefined) query[name] = String(value);
  const userQuery = Object.entries(query)
    .map(([name, value]) => (value === '' ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeQueryValue(value)}`))
    .join('&');
  if (input.sign === false) return userQuery ? `${target.url}?${userQuery}` : target.url;

  const headers: Record<string, string> = { ...input.headers, host: target.host };
  let authorization: string;
  let token: string | undefined;
  if (client.options.authorize) {
    const answer = await client.options.authorize({
      action: 'GetObjectUrl',
      method,
      bucket,
      region: region ?? '',
      key: input.key,
      pathname: target.pathname,
      query,
      headers,
    });
    authorization = typeof answer === 'string' ? answer : answer.authorization;
    token = typeof answer === 'string' ? undefined : answer.securityToken;
  } else {
    const now = client.now();
    const credentials = await client.credentials!.get(now, input.signal);
    let end = now - 1 + expires;
    if (credentials.expiredTime !== undefined) end = Math.min(end, credentials.expiredTime);
    if (end <= now) throw new CosClientError('CredentialsError', 'the temporary keys expire before the URL would be usable');
    authorization = await getAuthorization({
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      method,
      pathname: target.pathname,
      query,
      headers,
      keyTime: `${now - 1};${end}`,
    });
    token = credentials.sessionToken;
  }
  // The q-* values go in as the SDK writes them (`;` raw); COS percent-decodes every q-* value.
  const parts = [authorization];
  if (token) parts.push(`x-cos-security-token=${encodeURIComponent(token)}`);
  if (userQuery) parts.push(userQuery);
  return `${target.url}?${parts.join('&')}`;
}
