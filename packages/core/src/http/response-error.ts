/** Turning an error response (XML, bodiless HEAD, or a proxy's HTML page) into a `CosServiceError`. */
import { CosClientError, CosServiceError } from '../errors.ts';
import type { CosRequestInit } from './types.ts';
import { parseXml, text } from './xml.ts';

/** Codes for bodiless errors (HEAD) and non-XML bodies, by status. */
function codeForStatus(status: number, init: CosRequestInit): string {
  switch (status) {
    case 304:
      return 'NotModified';
    case 400:
      return 'InvalidRequest';
    case 401:
    case 403:
      return 'AccessDenied';
    case 404:
      return init.key !== undefined ? 'NoSuchKey' : init.bucket === null ? 'NoSuchResource' : 'NoSuchBucket';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 411:
      return 'MissingContentLength';
    case 412:
      return 'PreconditionFailed';
    case 416:
      return 'InvalidRange';
    case 429:
      return 'TooManyRequests';
    case 501:
      return 'NotImplemented';
    case 502:
      return 'BadGateway';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'GatewayTimeout';
    default:
      return status >= 500 ? 'InternalError' : `HTTP${status}`;
  }
}

interface Where {
  host: string;
  pathname: string;
}

function fromErrorXml(raw: string, response: Response, where: Where): CosServiceError | undefined {
  let parsed;
  try {
    parsed = parseXml(raw);
  } catch {
    return undefined;
  }
  if (parsed.root !== 'Error') return undefined;
  const d = parsed.data;
  return new CosServiceError({
    code: text(d, 'Code') || codeForStatus(response.status, { action: '', method: 'GET' }),
    message: text(d, 'Message'),
    status: response.status,
    requestId: text(d, 'RequestId') || response.headers.get('x-cos-request-id') || undefined,
    traceId: text(d, 'TraceId') || response.headers.get('x-cos-trace-id') || undefined,
    resource: text(d, 'Resource') || `${where.host}${where.pathname}`,
    serverTime: text(d, 'ServerTime') || undefined,
    raw,
    headers: response.headers,
  });
}

export function errorFromResponse(init: CosRequestInit, response: Response, raw: string, where: Where): CosServiceError {
  const fromXml = raw.trim() ? fromErrorXml(raw, response, where) : undefined;
  if (fromXml) return fromXml;
  const contentType = response.headers.get('content-type') ?? '';
  const code = codeForStatus(response.status, init);
  const message = raw.trim()
    ? `HTTP ${response.status} with a ${contentType || 'non-XML'} body instead of COS error XML (a proxy or gateway answered?): ${raw.trim().slice(0, 160)}`
    : `${init.action} failed with HTTP ${response.status}`;
  return new CosServiceError({
    code,
    message,
    status: response.status,
    requestId: response.headers.get('x-cos-request-id') ?? undefined,
    traceId: response.headers.get('x-cos-trace-id') ?? undefined,
    resource: `${where.host}${where.pathname}`,
    raw,
    headers: response.headers,
  });
}

/** COS may report a failed copy as HTTP 200 with an `<Error>` document: that is an error, not a result. */
export function throwIfErrorDocument(init: CosRequestInit, response: Response, raw: string, where: Where): void {
  if (!/^\s*(<\?xml[^>]*>\s*)?<Error[\s>]/.test(raw)) return;
  const error = fromErrorXml(raw, response, where);
  if (error) throw error;
  throw new CosClientError('MalformedResponse', `${init.action}: unreadable <Error> document in a ${response.status} response`);
}
