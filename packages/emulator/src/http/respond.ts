import type { OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { CosError } from '../errors.ts';
import { serverNow } from '../state.ts';
import { buildXml } from '../xml.ts';
import { type Ctx, header } from './context.ts';
import { drained } from './drain.ts';
import { pacer, slices } from './throttle.ts';

export function corsHeaders(ctx: Ctx): OutgoingHttpHeaders {
  const origin = header(ctx, 'origin');
  const rule = ctx.corsRule;
  if (!origin || !rule) return {};
  return {
    'Access-Control-Allow-Origin': rule.allowedOrigins.includes('*') ? '*' : origin,
    'Access-Control-Expose-Headers': rule.exposeHeaders.join(','),
    Vary: 'Origin',
  };
}

function baseHeaders(ctx: Ctx): OutgoingHttpHeaders {
  return {
    'x-cos-request-id': ctx.requestId,
    Server: 'tencent-cos',
    Date: new Date(serverNow(ctx.state) * 1000).toUTCString(),
    ...corsHeaders(ctx),
  };
}

/** Kills the connection the way a dropped network would: no status line, no body. */
export function dropConnection(ctx: Ctx): void {
  ctx.socket.destroy();
}

/**
 * The single exit for every answer, so the common headers, CORS, throttling and response-side faults
 * (`lostResponse`, `reset` mid-body) apply uniformly.
 */
export async function send(
  ctx: Ctx,
  status: number,
  headers: OutgoingHttpHeaders,
  body?: string | Buffer | Readable,
): Promise<void> {
  if (ctx.faults.has('lostResponse')) {
    if (body instanceof Readable) body.destroy();
    dropConnection(ctx);
    return;
  }
  const res = ctx.res;
  if (res.headersSent || res.destroyed) {
    if (body instanceof Readable) body.destroy();
    return;
  }
  const all: OutgoingHttpHeaders = { ...baseHeaders(ctx), ...headers };
  const isHead = ctx.method === 'HEAD';
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const buf = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (all['Content-Length'] === undefined) all['Content-Length'] = String(buf.length);
    res.writeHead(status, all);
    if (isHead || buf.length === 0) {
      res.end();
      return;
    }
    await writeStream(ctx, Readable.from([buf]), buf.length);
    return;
  }
  res.writeHead(status, all);
  if (isHead) {
    body.destroy();
    res.end();
    return;
  }
  await writeStream(ctx, body, Number(all['Content-Length'] ?? 0));
}

async function writeStream(ctx: Ctx, body: Readable, length: number): Promise<void> {
  const res = ctx.res;
  const pace = pacer(ctx.trafficLimit);
  const resetAt = ctx.faults.has('reset') ? Math.max(1, Math.floor(length / 2)) : Infinity;
  // `corrupt` on a download flips one byte in flight so client-side CRC checks have something to catch.
  let corrupt = ctx.faults.has('corrupt') && ctx.op === 'GetObject';
  let written = 0;
  try {
    for await (const chunk of body) {
      for (const piece of slices(chunk as Buffer, ctx.trafficLimit)) {
        if (res.destroyed) {
          body.destroy();
          return;
        }
        const cut = written + piece.length >= resetAt;
        let out = cut ? piece.subarray(0, Math.max(0, resetAt - written)) : piece;
        if (corrupt && out.length > 0) {
          out = Buffer.from(out);
          out[0] = out[0]! ^ 0xff;
          corrupt = false;
        }
        if (out.length > 0 && !res.write(out)) await drained(res);
        written += out.length;
        if (cut) {
          body.destroy();
          // Let the partial bytes reach the client before the reset, as a mid-body cut would.
          await new Promise<void>((r) => setTimeout(r, 20));
          dropConnection(ctx);
          return;
        }
        await pace(out.length);
      }
    }
    res.end();
  } catch {
    dropConnection(ctx);
  }
}

export function sendXml(ctx: Ctx, status: number, doc: Record<string, unknown>, headers: OutgoingHttpHeaders = {}) {
  return send(ctx, status, { 'Content-Type': 'application/xml', ...headers }, buildXml(doc));
}

export function errorResource(ctx: Ctx): string {
  return `${ctx.host}${ctx.pathname}`;
}

export function sendError(ctx: Ctx, e: CosError): Promise<void> {
  const headers: OutgoingHttpHeaders = { 'x-cos-trace-id': ctx.traceId };
  // An unread request body would stall a kept-alive connection; close it after this answer instead.
  if (!ctx.req.complete) headers['Connection'] = 'close';
  if (ctx.method === 'HEAD') return send(ctx, e.status, headers);
  const doc = {
    Error: {
      Code: e.code,
      Message: e.message,
      Resource: errorResource(ctx),
      RequestId: ctx.requestId,
      TraceId: ctx.traceId,
      ...e.extra,
    },
  };
  return send(ctx, e.status, { 'Content-Type': 'application/xml', ...headers }, buildXml(doc));
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
