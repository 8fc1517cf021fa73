/**
 * The request pipeline every operation goes through: validate and address, sign (keys or `authorize`), send with a
 * per-attempt timeout, turn failures into typed errors, retry what is worth retrying with exponential backoff and
 * full jitter, correct clock skew once, and refresh expired temporary keys once.
 */
import { getAuthorization } from '../auth/sign.ts';
import { isTransientCredentialsError } from '../auth/credentials.ts';
import type { CosClient } from '../client.ts';
import { CosClientError, CosServiceError, invalidArgument, isCosServiceError } from '../errors.ts';
import { assertBody, assertBucket, assertKey, assertRegion, bodySize } from '../validate.ts';
import { sleep } from './sleep.ts';
import { readWithProgress, streamWithProgress, transport } from './transport.ts';
import type { CosRequestInit, CosResponse, XmlNode } from './types.ts';
import { parseXml } from './xml.ts';
import { errorFromResponse, throwIfErrorDocument } from './response-error.ts';

/** Headers an operation cannot work without; in a browser they vanish when CORS does not expose them. */
const EXPECTED_HEADERS: Record<string, string[]> = {
  PutObject: ['etag'],
  UploadPart: ['etag'],
  AppendObject: ['x-cos-next-append-position'],
};

interface Prepared {
  url: string;
  pathname: string;
  host: string;
  bucket: string | null;
  region: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: BodyInit | undefined;
  size: number;
}

function prepare(client: CosClient, init: CosRequestInit): Prepared {
  const bucket = init.bucket === null ? null : (init.bucket ?? client.options.bucket);
  const region = init.region ?? client.options.region;
  if (bucket !== null) {
    if (bucket === undefined) throw invalidArgument(`${init.action}: bucket is required (pass it to the call or to the CosClient)`);
    assertBucket(bucket);
    const needsRegion = client.options.endpoint ? client.options.endpoint.includes('{Region}') : !client.options.accelerate;
    if (region === undefined && needsRegion) {
      throw invalidArgument(`${init.action}: region is required (pass it to the call or to the CosClient)`);
    }
  }
  if (region !== undefined) assertRegion(region);
  if (init.key !== undefined) assertKey(init.key);
  const target = client.endpointFor({ bucket, region, key: init.key });

  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.query ?? {})) {
    if (value !== undefined && value !== null) query[name] = String(value);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) if (value !== undefined) headers[name] = value;

  let body: BodyInit | undefined;
  let size = 0;
  if (init.body !== undefined) {
    assertBody(init.body);
    size = bodySize(init.body);
    body = init.body as BodyInit;
  }
  return { url: target.url, pathname: target.pathname, host: target.host, bucket, region: region ?? '', query, headers, body, size };
}

function queryString(query: Record<string, string>): string {
  const parts = Object.entries(query).map(([name, value]) =>
    value === '' ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${cosEncode(value)}`,
  );
  return parts.length ? `?${parts.join('&')}` : '';
}

function cosEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Signs `prepared` and returns the headers to send (Authorization and the temporary key's token added). */
async function sign(client: CosClient, init: CosRequestInit, prepared: Prepared, signal: AbortSignal | undefined): Promise<Headers> {
  const headers = new Headers(prepared.headers);
  const signable: Record<string, string> = { ...prepared.headers, host: prepared.host };
  const now = client.now();
  if (client.options.authorize) {
    const answer = await client.options.authorize({
      action: init.action,
      method: init.method,
      bucket: prepared.bucket,
      region: prepared.region,
      key: init.key,
      pathname: prepared.pathname,
      query: prepared.query,
      headers: signable,
    });
    const authorization = typeof answer === 'string' ? answer : answer?.authorization;
    if (typeof authorization !== 'string' || !authorization.includes('q-signature=')) {
      throw new CosClientError('CredentialsError', 'authorize() must return the Authorization string (or { authorization, securityToken })');
    }
    headers.set('Authorization', authorization);
    if (typeof answer === 'object' && answer.securityToken) headers.set('x-cos-security-token', answer.securityToken);
    return headers;
  }
  const credentials = await client.credentials!.get(now, signal);
  const expires = client.options.signExpires;
  const keyTime =
    credentials.sessionToken && credentials.expiredTime !== undefined
      ? `${credentials.startTime ?? now - 1};${credentials.expiredTime}`
      : `${now - 1};${now - 1 + expires}`;
  const authorization = await getAuthorization({
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
    method: init.method,
    pathname: prepared.pathname,
    query: prepared.query,
    headers: signable,
    keyTime,
  });
  headers.set('Authorization', authorization);
  if (credentials.sessionToken) headers.set('x-cos-security-token', credentials.sessionToken);
  return headers;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof CosClientError) return error.code === 'NetworkError' || error.code === 'Timeout' || isTransientCredentialsError(error);
  if (isCosServiceError(error)) {
    return error.status >= 500 || error.status === 429 || error.code === 'SlowDown' || error.code === 'RequestTimeout';
  }
  return false;
}

function isThrottle(error: unknown): boolean {
  return isCosServiceError(error) && (error.status === 429 || error.status === 503 || error.code === 'SlowDown');
}

function isSkew(error: unknown): error is CosServiceError {
  return (
    isCosServiceError(error) &&
    (error.code === 'RequestTimeTooSkewed' || (error.code === 'AccessDenied' && /request has expired/i.test(error.message)))
  );
}

/** Seconds to add to the local clock so it agrees with the server, from ServerTime or the Date header. */
function serverOffset(error: CosServiceError): number | undefined {
  const stamp = error.serverTime || error.headers?.get('date');
  const ms = stamp ? Date.parse(stamp) : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.round((ms - Date.now()) / 1000);
}

function retryAfterMs(error: unknown): number {
  const value = isCosServiceError(error) ? error.headers?.get('retry-after') : null;
  if (!value) return 0;
  const secondsValue = Number(value);
  if (Number.isFinite(secondsValue)) return secondsValue * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - Date.now());
}

export async function send(client: CosClient, init: CosRequestInit): Promise<CosResponse> {
  const prepared = prepare(client, init);
  const { retry } = client.options;
  const limit = init.retry === false ? 0 : retry.limit;
  let skewCorrected = false;
  let tokenRefreshed = false;
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(client, init, prepared);
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      if (!skewCorrected && client.options.correctClockSkew && isSkew(error)) {
        const offset = serverOffset(error);
        if (offset !== undefined) {
          skewCorrected = true;
          client.clockOffset = offset;
          attempt--;
          continue;
        }
      }
      if (
        !tokenRefreshed &&
        client.credentials?.refreshable &&
        isCosServiceError(error) &&
        (error.code === 'ExpiredToken' || error.code === 'InvalidAccessKeyId' || error.code === 'InvalidToken')
      ) {
        tokenRefreshed = true;
        client.credentials.invalidate();
        attempt--;
        continue;
      }
      if (attempt >= limit || !isRetryable(error)) throw error;
      const ceiling = Math.min(retry.maxDelay, retry.baseDelay * 2 ** attempt);
      const delay = Math.min(retry.maxDelay, Math.max(Math.random() * ceiling, retryAfterMs(error)));
      init.onRetry?.({ attempt: attempt + 1, delay, error, throttled: isThrottle(error) });
      await sleep(delay, init.signal);
    }
  }
}

async function attemptOnce(client: CosClient, init: CosRequestInit, prepared: Prepared): Promise<CosResponse> {
  const userSignal = init.signal;
  if (userSignal?.aborted) throw userSignal.reason;
  const headers = await sign(client, init, prepared, userSignal);
  const controller = new AbortController();
  const timeout = init.timeout ?? client.options.timeout;
  let timedOut = false;
  const timer =
    timeout > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new CosClientError('Timeout', `${init.action} took longer than ${timeout} ms`));
        }, timeout)
      : undefined;
  const onUserAbort = () => controller.abort(userSignal!.reason);
  userSignal?.addEventListener('abort', onUserAbort, { once: true });
  const url = prepared.url + queryString(prepared.query);
  // A streamed body outlives this function: the caller's signal must still cancel it.
  let keepAbortLink = false;
  try {
    let response: Response;
    try {
      response = await transport(client.options.fetch, {
        method: init.method,
        url,
        headers,
        body: prepared.body,
        signal: controller.signal,
        onUploadProgress: init.onUploadProgress,
        uploadTotal: prepared.size,
      });
    } catch (cause) {
      if (userSignal?.aborted) throw userSignal.reason;
      if (timedOut) throw controller.signal.reason;
      throw new CosClientError('NetworkError', `${init.action}: the request to ${new URL(url).host} failed (${(cause as Error)?.message ?? cause})`, { cause });
    }
    const requestId = response.headers.get('x-cos-request-id') ?? undefined;
    const accepted = response.ok || init.acceptStatus?.includes(response.status);
    if (!accepted) {
      const raw = init.method === 'HEAD' ? '' : await response.text().catch(() => '');
      throw errorFromResponse(init, response, raw, prepared);
    }
    for (const name of EXPECTED_HEADERS[init.action] ?? []) {
      if (!response.headers.has(name)) {
        throw new CosClientError(
          'CorsHeaderMissing',
          `${init.action}: the response has no ${name} header. In a browser this means the bucket's CORS rule does not expose it: add "${name}" to ExposeHeader.`,
        );
      }
    }
    const responseType = init.responseType ?? (init.method === 'HEAD' ? 'none' : 'xml');
    let data: XmlNode = {};
    let body: unknown;
    try {
      switch (responseType) {
        case 'none':
          await response.body?.cancel().catch(() => undefined);
          break;
        case 'xml': {
          const raw = await response.text();
          if (raw.trim()) {
            throwIfErrorDocument(init, response, raw, prepared);
            data = parseXml(raw).data;
          }
          body = raw;
          break;
        }
        case 'text':
          body = init.onDownloadProgress ? await (await readWithProgress(response, init.onDownloadProgress)).text() : await response.text();
          break;
        case 'blob':
          body = init.onDownloadProgress ? await readWithProgress(response, init.onDownloadProgress) : await response.blob();
          break;
        case 'arrayBuffer':
          body = init.onDownloadProgress
            ? await (await readWithProgress(response, init.onDownloadProgress)).arrayBuffer()
            : await response.arrayBuffer();
          break;
        case 'stream': {
          const stream = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
          const total = Number(response.headers.get('content-length') ?? 0) || 0;
          body = init.onDownloadProgress ? streamWithProgress(stream, total, init.onDownloadProgress) : stream;
          keepAbortLink = true;
          break;
        }
      }
    } catch (cause) {
      if (userSignal?.aborted) throw userSignal.reason;
      if (timedOut) throw controller.signal.reason;
      if (cause instanceof CosServiceError || cause instanceof CosClientError) throw cause;
      throw new CosClientError('NetworkError', `${init.action}: the response body was cut off (${(cause as Error)?.message ?? cause})`, { cause });
    }
    return { status: response.status, headers: response.headers, data, body, requestId, url: prepared.url };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (!keepAbortLink) userSignal?.removeEventListener('abort', onUserAbort);
  }
}
