/**
 * Where a request goes: virtual-hosted (`{Bucket}.cos.{Region}.myqcloud.com`), an endpoint template or fixed
 * custom domain, the acceleration domain, or path-style. Also how the key is encoded on the wire and which
 * pathname the signature covers (the raw key, `/bucket/key` in path-style).
 */
import { invalidArgument } from '../errors.ts';

export interface EndpointOptions {
  readonly endpoint: string | undefined;
  readonly accelerate: boolean;
  readonly forcePathStyle: boolean;
  readonly protocol: 'https:' | 'http:';
}

export interface ResolvedEndpoint {
  /** Absolute URL without query: origin + encoded path. */
  url: string;
  /** What the signature covers: decoded, `/` + raw key (or `/bucket/key` path-style, `/` for the bucket root). */
  pathname: string;
  /** The Host header value the server will see (signed). */
  host: string;
}

const DEFAULT_TEMPLATE = '{Bucket}.cos.{Region}.myqcloud.com';
const ACCELERATE_TEMPLATE = '{Bucket}.cos.accelerate.myqcloud.com';
const SERVICE_HOST = 'service.cos.myqcloud.com';

/** encodeURIComponent plus `! ' ( ) *`, as the official SDKs encode keys. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Encodes a key for the URL path, keeping `/` like the official SDKs. WHATWG URL parsing (fetch) collapses `.` and
 * `..` segments, even percent-encoded, so when a key has one its slashes are sent as `%2F`, which COS decodes back.
 */
export function encodeKey(key: string): string {
  const segments = key.split('/');
  const dotty = segments.some((s) => s === '.' || s === '..');
  if (dotty && segments.length === 1) throw invalidArgument(`key ${JSON.stringify(key)} cannot be addressed over HTTP`);
  return dotty ? encodeSegment(key) : segments.map(encodeSegment).join('/');
}

function withProtocol(hostOrUrl: string, protocol: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(hostOrUrl) ? hostOrUrl : `${protocol}//${hostOrUrl}`;
}

function fill(template: string, bucket: string, region: string): string {
  const dash = bucket.lastIndexOf('-');
  return template
    .replace(/\{Bucket\}/g, bucket)
    .replace(/\{ShortBucket\}/g, dash > 0 ? bucket.slice(0, dash) : bucket)
    .replace(/\{AppId\}/g, dash > 0 ? bucket.slice(dash + 1) : '')
    .replace(/\{Region\}/g, region);
}

export function resolveEndpoint(
  options: EndpointOptions,
  target: { bucket?: string | null | undefined; region?: string | undefined; key?: string | undefined },
): ResolvedEndpoint {
  const { bucket, key } = target;
  const region = target.region ?? '';
  const path = key === undefined ? '/' : `/${encodeKey(key)}`;
  const rawPath = key === undefined ? '/' : `/${key}`;

  let base: string;
  let pathStyle = options.forcePathStyle;
  if (bucket === null || bucket === undefined) {
    // GET Service: the template without its bucket label, or the global service host.
    base = options.endpoint
      ? withProtocol(fill(options.endpoint.replace(/\{Bucket\}\./g, ''), '', region), options.protocol)
      : `${options.protocol}//${region ? `cos.${region}.myqcloud.com` : SERVICE_HOST}`;
    pathStyle = false;
  } else if (pathStyle) {
    const template = options.endpoint ?? 'cos.{Region}.myqcloud.com';
    base = withProtocol(fill(template.replace(/\{Bucket\}\./g, ''), bucket, region), options.protocol);
  } else {
    const template = options.endpoint ?? (options.accelerate ? ACCELERATE_TEMPLATE : DEFAULT_TEMPLATE);
    base = withProtocol(fill(template, bucket, region), options.protocol);
  }

  let origin: URL;
  try {
    origin = new URL(base);
  } catch {
    throw invalidArgument(`endpoint ${JSON.stringify(options.endpoint)} does not make a valid URL (got ${JSON.stringify(base)})`);
  }
  // A fixed custom domain may carry a base path; keep it in front of the key.
  const basePath = origin.pathname.replace(/\/+$/, '');
  const bucketPrefix = pathStyle && bucket ? `/${bucket}` : '';
  return {
    url: `${origin.origin}${basePath}${bucketPrefix}${path}`,
    pathname: `${decodeURIComponentSafe(basePath)}${bucketPrefix}${rawPath}`,
    host: origin.host,
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
