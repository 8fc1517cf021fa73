/**
 * Error classes. Meaning lives in `code`, never in the message text.
 *
 * `CosServiceError` is what COS (or the emulator) said; `CosClientError` is what went wrong on this side.
 * Guards check `name` rather than `instanceof`, so they work across realms (iframes, workers, two copies of the
 * package in one bundle).
 */

/** Codes a `CosClientError` may carry. */
export type CosClientErrorCode =
  | 'InvalidArgument'
  | 'NetworkError'
  | 'Timeout'
  | 'CredentialsError'
  | 'ChecksumMismatch'
  | 'MalformedResponse'
  | 'CorsHeaderMissing'
  | 'ObjectChanged'
  | 'FolderNotEmpty'
  | 'FileUnreadable'
  | 'UnsupportedEnvironment';

export class CosError extends Error {
  override name = 'CosError';
  declare readonly code: string;
}

export interface CosServiceErrorInit {
  code: string;
  message: string;
  status: number;
  requestId?: string | undefined;
  traceId?: string | undefined;
  resource?: string | undefined;
  serverTime?: string | undefined;
  raw?: string | undefined;
  headers?: Headers | undefined;
}

/** An error response from COS: `<Error><Code>…</Code>…</Error>` (or a bodiless HEAD status). */
export class CosServiceError extends CosError {
  override name = 'CosServiceError';
  declare readonly code: string;
  /** HTTP status (a copy error inside a 200 keeps 200). */
  readonly status: number;
  readonly requestId: string | undefined;
  readonly traceId: string | undefined;
  /** `Resource` from the error XML: host/key without scheme. */
  readonly resource: string | undefined;
  /** `ServerTime` (ISO-8601) on time-related 403s. */
  readonly serverTime: string | undefined;
  /** The response body as received: the seeds' `get_origin_msg()`. */
  readonly raw: string;
  /** Response headers, when there was a response. */
  readonly headers: Headers | undefined;

  constructor(init: CosServiceErrorInit) {
    super(init.message || init.code);
    Object.defineProperty(this, 'code', { value: init.code, enumerable: true });
    this.status = init.status;
    this.requestId = init.requestId;
    this.traceId = init.traceId;
    this.resource = init.resource;
    this.serverTime = init.serverTime;
    this.raw = init.raw ?? '';
    this.headers = init.headers;
  }

  /** A one-line summary (the seeds' `get_digest_msg()`): code, status, message, request id. */
  get digest(): string {
    return `${this.code} (${this.status}): ${this.message}${this.requestId ? ` [request ${this.requestId}]` : ''}`;
  }
}

/** Something went wrong before, around or after the request: bad input, network, credentials, integrity. */
export class CosClientError extends CosError {
  override name = 'CosClientError';
  declare readonly code: CosClientErrorCode;

  constructor(code: CosClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, 'code', { value: code, enumerable: true });
  }
}

function named(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

export function isCosError(error: unknown): error is CosError {
  return named(error, 'CosServiceError') || named(error, 'CosClientError');
}
export function isCosServiceError(error: unknown): error is CosServiceError {
  return named(error, 'CosServiceError');
}
export function isCosClientError(error: unknown): error is CosClientError {
  return named(error, 'CosClientError');
}

/** Shorthand for the most common client error. */
export function invalidArgument(message: string): CosClientError {
  return new CosClientError('InvalidArgument', message);
}
