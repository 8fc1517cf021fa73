import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireAccess } from './auth/access.ts';
import { authenticate, type Authenticated } from './auth/verify.ts';
import { corsRulesFor, matchCors } from './cors.ts';
import { CosError, err } from './errors.ts';
import { ADMIN_PREFIX, type AdminHooks, handleAdmin } from './admin.ts';
import { ConnectionDropped } from './http/body.ts';
import { type Ctx, createContext, header } from './http/context.ts';
import { dropConnection, sendError } from './http/respond.ts';
import { parseCopySource } from './ops/copy-source.ts';
import { preflight } from './preflight.ts';
import { resolveRoute } from './router.ts';
import type { EmulatorState } from './state.ts';
import { parseTrafficLimit } from './traffic.ts';

function attachCors(ctx: Ctx): void {
  const origin = header(ctx, 'origin');
  const bucket = ctx.bucket ? ctx.state.store.getBucket(ctx.bucket) : undefined;
  if (origin) ctx.corsRule = matchCors(corsRulesFor(bucket), origin, ctx.method);
}

/** Decides faults for this request; returns false when the request must end here (connection dropped). */
async function applyFaults(ctx: Ctx, streamsBody: boolean): Promise<boolean> {
  const { kinds, delayMs } = ctx.state.faults.draw(ctx.op, ctx.key);
  ctx.faults = kinds;
  if (delayMs > 0) await sleep(delayMs);
  if (kinds.has('error500')) throw new CosError(500, 'InternalError', 'We encountered an internal error. Please try again.');
  if (kinds.has('slowDown')) throw new CosError(503, 'SlowDown', 'Please reduce your request rate.');
  if (kinds.has('reset') && !streamsBody && ctx.op !== 'GetObject') {
    dropConnection(ctx);
    return false;
  }
  return true;
}

async function serve(ctx: Ctx, hooks: AdminHooks): Promise<void> {
  if (ctx.pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(ctx, hooks);
  if (ctx.uriError) throw new CosError(400, 'InvalidURI', "Couldn't parse the specified URI.");
  attachCors(ctx);
  if (ctx.method === 'OPTIONS') {
    ctx.state.stats.count('OptionsObject');
    return preflight(ctx);
  }
  const route = resolveRoute(ctx);
  ctx.op = route.op;
  ctx.state.stats.count(route.op);
  // POST form uploads carry their credentials in the form; only a header/query signature is checked here.
  const auth: Authenticated =
    route.op === 'PostObject' && !header(ctx, 'authorization') ? { principal: { kind: 'anonymous' } } : authenticate(ctx);
  ctx.principal = auth.principal;
  if (!route.noBucket && !ctx.state.store.getBucket(ctx.bucket!)) throw err.noSuchBucket();
  if (route.action) requireAccess(ctx, auth, route.action);
  if (route.op === 'PutObjectCopy' || route.op === 'UploadPartCopy') {
    const src = parseCopySource(header(ctx, 'x-cos-copy-source') ?? '');
    requireAccess(ctx, auth, 'GetObject', src.bucket, src.key);
  }
  const limit = header(ctx, 'x-cos-traffic-limit') ?? ctx.query.get('x-cos-traffic-limit');
  if (limit !== undefined) ctx.trafficLimit = parseTrafficLimit(limit);
  if (!(await applyFaults(ctx, route.streamsBody ?? false))) return;
  await route.run(ctx, auth);
}

/** The node:http request listener: every error becomes COS error XML, every drop stays a drop. */
export function createHandler(state: EmulatorState, hooks: AdminHooks, log: (msg: string) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const ctx = createContext(state, req, res);
    serve(ctx, hooks).catch(async (e: unknown) => {
      if (e instanceof ConnectionDropped) {
        dropConnection(ctx);
        return;
      }
      const cosErr = e instanceof CosError ? e : new CosError(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(e instanceof CosError)) log(`internal error on ${ctx.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}`);
      try {
        if (res.headersSent) dropConnection(ctx);
        else await sendError(ctx, cosErr);
      } catch {
        dropConnection(ctx);
      }
    });
  };
}
