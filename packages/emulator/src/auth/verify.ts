import { CosError, err } from '../errors.ts';
import { type Ctx, header, headerMap, type Principal } from '../http/context.ts';
import { serverNow } from '../state.ts';
import type { CamPolicy } from '../types.ts';
import { type AuthFields, computeSignature, parseAuthFields, parseAuthorizationHeader } from './signature.ts';

export interface Authenticated {
  principal: Principal;
  policy?: CamPolicy;
}

function isoNow(now: number): string {
  return new Date(Math.floor(now) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseWindow(v: string): [number, number] | undefined {
  const m = /^(\d+);(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Time checks of §1.2 step 3; errors carry ServerTime so clients can correct their clocks. */
export function checkTimeWindow(signTime: string, now: number, skew: number): void {
  const w = parseWindow(signTime);
  if (!w) throw err.accessDenied('q-sign-time is malformed');
  const serverTime = { ServerTime: isoNow(now) };
  if (now > w[1]) throw new CosError(403, 'AccessDenied', 'Request has expired', serverTime);
  if (w[0] > now + skew) {
    throw new CosError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.', serverTime);
  }
}

/** Where the q-* fields came from: the Authorization header wins over a presigned query. */
function authSource(ctx: Ctx): Map<string, string> | undefined {
  const h = header(ctx, 'authorization');
  if (h) return parseAuthorizationHeader(h);
  if (!ctx.query.has('q-sign-algorithm') && !ctx.query.has('q-signature')) return undefined;
  const m = new Map<string, string>();
  for (const [k, v] of ctx.queryPairs) if (k.startsWith('q-') && !m.has(k)) m.set(k, v);
  return m;
}

/** Looks up the key, checks token, time and signature; anonymous when no credentials were sent at all. */
export function authenticate(ctx: Ctx): Authenticated {
  const pairs = authSource(ctx);
  if (!pairs) return { principal: { kind: 'anonymous' } };
  const fields: AuthFields | undefined = parseAuthFields(pairs);
  if (!fields || fields.algorithm.toLowerCase() !== 'sha1') throw err.accessDenied('Authorization is malformed.');
  return verifyFields(ctx, fields, (secretKey) =>
    computeSignature({
      secretKey,
      method: ctx.method,
      pathname: ctx.pathname,
      query: ctx.queryPairs,
      headers: headerMap(ctx),
      fields,
    }).signature,
  );
}

/** Shared by header/query auth and the POST form: key lookup, token, time windows, then the signature. */
export function verifyFields(
  ctx: Ctx,
  fields: Pick<AuthFields, 'ak' | 'signTime' | 'keyTime' | 'signature'>,
  sign: (secretKey: string) => string,
  token = header(ctx, 'x-cos-security-token') ?? ctx.query.get('x-cos-security-token'),
): Authenticated {
  const state = ctx.state;
  const key = state.keys.lookup(fields.ak);
  if (!key) throw new CosError(403, 'InvalidAccessKeyId', 'The Access Key Id you provided does not exist in our records');
  const now = serverNow(state);
  if (key.kind === 'temporary') {
    if (!token || token !== key.sessionToken) {
      throw new CosError(403, 'InvalidAccessKeyId', 'The security token is missing or does not belong to this key.');
    }
    if (now > key.expiredTime) {
      throw new CosError(400, 'ExpiredToken', 'The provided token has expired.', { ServerTime: isoNow(now) });
    }
  }
  checkTimeWindow(fields.signTime, now, state.opts.clockSkewSeconds);
  const keyWindow = parseWindow(fields.keyTime);
  if (!keyWindow) throw err.accessDenied('q-key-time is malformed');
  if (now > keyWindow[1]) throw new CosError(403, 'AccessDenied', 'Request has expired', { ServerTime: isoNow(now) });
  if (sign(key.secretKey) !== fields.signature.toLowerCase()) {
    throw new CosError(403, 'SignatureDoesNotMatch', 'The Signature you specified is invalid.');
  }
  return key.kind === 'temporary'
    ? { principal: { kind: 'temporary', ak: fields.ak }, policy: key.policy }
    : { principal: { kind: 'permanent', ak: fields.ak } };
}
