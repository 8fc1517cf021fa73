import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { percentDecode } from '../auth/signature.ts';
import { BUCKET_RE } from '../options.ts';
import type { EmulatorState } from '../state.ts';
import type { FaultKind } from '../types.ts';
import type { CorsRule } from '../storage/types.ts';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'permanent'; ak: string }
  | { kind: 'temporary'; ak: string };

/** One request in flight: parsed addressing plus what auth, CORS and faults decided. */
export interface Ctx {
  state: EmulatorState;
  req: IncomingMessage;
  res: ServerResponse;
  /** Kept here because node detaches req.socket once a response completes. */
  socket: Socket;
  requestId: string;
  traceId: string;
  method: string;
  host: string;
  /** Percent-decoded path exactly as sent (this is what signatures cover). */
  pathname: string;
  /** Decoded query pairs in wire order. */
  queryPairs: Array<[string, string]>;
  query: Map<string, string>;
  bucket?: string;
  key?: string;
  virtualHosted: boolean;
  op: string;
  principal: Principal;
  corsRule?: CorsRule;
  faults: Set<FaultKind>;
  /** Set when the path was not valid percent-encoding; answered as InvalidURI once the context exists. */
  uriError: boolean;
  /** Bytes per second; undefined = unthrottled. */
  trafficLimit?: number;
}

export function header(ctx: Ctx, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function headerMap(ctx: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function parseQuery(raw: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    out.push([percentDecode(name), percentDecode(value)]);
  }
  return out;
}

/** Virtual-hosted when the Host's first label looks like `name-appid` (and the host is a name, not an IP). */
function bucketFromHost(host: string): string | undefined {
  const hostname = host.replace(/:\d+$/, '');
  if (!hostname.includes('.') || /^[\d.]+$/.test(hostname)) return undefined;
  const first = hostname.split('.')[0]!.toLowerCase();
  return BUCKET_RE.test(first) ? first : undefined;
}

export function createContext(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Ctx {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
  const host = req.headers.host ?? '';
  const queryPairs = parseQuery(rawQuery);
  const query = new Map<string, string>();
  for (const [k, v] of queryPairs) if (!query.has(k)) query.set(k, v);
  const ctx: Ctx = {
    state,
    req,
    res,
    socket: req.socket,
    requestId: randomBytes(24).toString('base64url'),
    traceId: randomBytes(36).toString('base64url'),
    method: (req.method ?? 'GET').toUpperCase(),
    host,
    pathname: '/',
    queryPairs,
    query,
    virtualHosted: false,
    op: 'Unknown',
    principal: { kind: 'anonymous' },
    faults: new Set(),
    uriError: false,
  };
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPath);
  } catch {
    pathname = rawPath;
    ctx.uriError = true;
  }
  ctx.pathname = pathname.startsWith('/') ? pathname : `/${pathname}`;
  const vhBucket = bucketFromHost(host);
  if (vhBucket) {
    ctx.virtualHosted = true;
    ctx.bucket = vhBucket;
    ctx.key = ctx.pathname.slice(1);
  } else if (ctx.pathname !== '/') {
    const slash = ctx.pathname.indexOf('/', 1);
    ctx.bucket = slash < 0 ? ctx.pathname.slice(1) : ctx.pathname.slice(1, slash);
    ctx.key = slash < 0 ? '' : ctx.pathname.slice(slash + 1);
  }
  return ctx;
}
