/** The request pipeline's contract, used by every `ops/*` module and the transfer engine. */

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null;
/** Request bodies the pipeline accepts. Strings are sent as UTF-8. */
export type RequestBody = Blob | ArrayBuffer | ArrayBufferView | string;
export type ResponseType = 'xml' | 'text' | 'blob' | 'arrayBuffer' | 'stream' | 'none';

export interface TransferProgress {
  loaded: number;
  total: number;
}

export interface CosRequestInit {
  /** COS action name (PutObject, UploadPart, …): used in errors and in logs. */
  action: string;
  method: HttpMethod;
  /** Bucket `name-appid`; default the client's. `null` addresses the service endpoint (ListBuckets). */
  bucket?: string | null;
  /** Region; default the client's. */
  region?: string;
  /** Raw (unencoded) object key; omitted for bucket-level requests. Validated by the pipeline. */
  key?: string;
  /**
   * Query parameters. `''` sends a value-less flag (`?uploads`, `?acl`); `undefined`/`null` are dropped.
   */
  query?: Record<string, QueryValue>;
  /** Request headers; `undefined` values are dropped. `Content-Length` is set by the platform. */
  headers?: Record<string, string | undefined>;
  body?: RequestBody;
  /** How to read a 2xx body. @default 'xml' (parsed), or 'none' for HEAD */
  responseType?: ResponseType;
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms; overrides the client's. 0 disables. */
  timeout?: number | undefined;
  /** Upload progress; when set, the body is sent with XMLHttpRequest where available (fetch has no upload progress). */
  onUploadProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Download progress for blob/arrayBuffer/text bodies. */
  onDownloadProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Retry on network errors, 5xx, SlowDown/429/503 and RequestTimeout. @default true */
  retry?: boolean;
  /**
   * Statuses that are answers, not errors (e.g. 304 for conditional GET is still an error by default;
   * HeadBucket may accept 404). Empty by default.
   */
  acceptStatus?: number[];
  /** Called before each retry (the transfer engine uses it to notice throttling). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** ms until the retry. */
  delay: number;
  error: unknown;
  /** The error was SlowDown / 429 / 503. */
  throttled: boolean;
}

export interface CosResponse<T = XmlNode> {
  status: number;
  headers: Headers;
  /** Parsed XML: the root element's content (e.g. the inside of `<ListBucketResult>`). `{}` when not XML. */
  data: T;
  /** The raw body for 'text' | 'blob' | 'arrayBuffer' | 'stream'. */
  body: unknown;
  requestId: string | undefined;
  /** The final URL that was requested (signature query excluded for presigned). */
  url: string;
}

/** A parsed XML element: text is a string, number or boolean; repeated children are arrays (see xml.ts). */
export type XmlValue = string | number | boolean | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue | undefined;
}
