import { authenticate } from './auth/verify.ts';
import { CosError, err } from './errors.ts';
import { readSmallBody } from './http/body.ts';
import type { Ctx } from './http/context.ts';
import { send } from './http/respond.ts';
import { validateFaultConfig } from './faults.ts';
import { serverNow } from './state.ts';
import type { FaultConfig, StsRequest } from './types.ts';

export const ADMIN_PREFIX = '/__coskit/';

/** Hooks the admin API needs from the running emulator. */
export interface AdminHooks {
  setFaults(cfg: FaultConfig): void;
  reset(): Promise<void>;
}

/** Whether a socket peer is on this machine's loopback (exported for tests). */
export function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

// Browser tests call these from another origin, so they answer any origin.
const ADMIN_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET,PUT,POST,OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Max-Age': '600',
  'Access-Control-Expose-Headers': 'x-cos-request-id',
};

async function json(ctx: Ctx, status: number, value: unknown): Promise<void> {
  await send(ctx, status, { ...ADMIN_CORS, 'Content-Type': 'application/json' }, JSON.stringify(value));
}

async function body<T>(ctx: Ctx): Promise<T> {
  const raw = await readSmallBody(ctx, 64 * 1024);
  if (raw.length === 0) return {} as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw err.invalidArgument('Body must be JSON');
  }
  // `null` or `[]` would reach the handlers' destructuring as a TypeError, i.e. a 500 for a client's mistake.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw err.invalidArgument('Body must be a JSON object');
  return parsed as T;
}

/** Dev-only endpoints under /__coskit/ (loopback peers only). */
export async function handleAdmin(ctx: Ctx, hooks: AdminHooks): Promise<void> {
  const route = `${ctx.method} ${ctx.pathname.slice(ADMIN_PREFIX.length - 1)}`;
  ctx.op = `Admin ${route}`;
  try {
    if (!isLoopback(ctx.socket.remoteAddress)) throw err.accessDenied('Admin endpoints answer loopback peers only.');
    if (ctx.method === 'OPTIONS') {
      // `Allow-Headers: *` does not cover Authorization (Fetch spec), so echo what the browser asks for.
      const asked = ctx.req.headers['access-control-request-headers'];
      return await send(ctx, 204, { ...ADMIN_CORS, ...(asked ? { 'Access-Control-Allow-Headers': String(asked) } : {}) });
    }
    const state = ctx.state;
    switch (route) {
      case 'POST /sts': {
        const auth = authenticate(ctx);
        if (auth.principal.kind !== 'permanent') throw err.accessDenied('Minting temporary keys needs the permanent key.');
        const req = await body<StsRequest>(ctx);
        return await json(ctx, 200, state.keys.mint(req, serverNow(state), ctx.requestId));
      }
      case 'GET /faults':
        return await json(ctx, 200, { ...state.faults.get(), clockOffsetSeconds: state.clockOffsetSeconds });
      case 'PUT /faults': {
        const cfg = await body<FaultConfig>(ctx);
        try {
          validateFaultConfig(cfg);
        } catch (e) {
          throw err.invalidArgument((e as Error).message);
        }
        hooks.setFaults(cfg);
        return await json(ctx, 200, { ...state.faults.get(), clockOffsetSeconds: state.clockOffsetSeconds });
      }
      case 'GET /stats':
        return await json(ctx, 200, state.stats.snapshot(state.faults));
      case 'POST /reset':
        await hooks.reset();
        return await json(ctx, 200, { ok: true });
      case 'PUT /clock': {
        const { offsetSeconds } = await body<{ offsetSeconds?: number }>(ctx);
        if (typeof offsetSeconds !== 'number' || !Number.isFinite(offsetSeconds)) throw err.invalidArgument('offsetSeconds must be a number');
        state.clockOffsetSeconds = offsetSeconds;
        return await json(ctx, 200, { offsetSeconds });
      }
      default:
        throw new CosError(404, 'NotFound', `No admin endpoint ${route}`);
    }
  } catch (e) {
    if (!(e instanceof CosError)) throw e;
    await json(ctx, e.status, { code: e.code, message: e.message, requestId: ctx.requestId, ...e.extra });
  }
}
