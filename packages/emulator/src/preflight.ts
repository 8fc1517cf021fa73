import { CosError } from './errors.ts';
import { type Ctx, header } from './http/context.ts';
import { send } from './http/respond.ts';
import { corsRulesFor, matchCors } from './cors.ts';

/**
 * OPTIONS preflight: unsigned (Doc 8288); 403 AccessForbidden when no rule allows it. A bucket that does not exist
 * and the service endpoint answer with the default rule (see corsRulesFor).
 */
export async function preflight(ctx: Ctx): Promise<void> {
  ctx.op = 'OptionsObject';
  const origin = header(ctx, 'origin');
  const method = header(ctx, 'access-control-request-method');
  const bucket = ctx.bucket ? ctx.state.store.getBucket(ctx.bucket) : undefined;
  if (!origin || !method) throw new CosError(400, 'InvalidRequest', 'Insufficient information. Origin request header needed.');
  const requested = (header(ctx, 'access-control-request-headers') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const rule = matchCors(corsRulesFor(bucket), origin, method, requested);
  if (!rule) throw new CosError(403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.');
  ctx.corsRule = rule;
  await send(ctx, 200, {
    'Access-Control-Allow-Methods': rule.allowedMethods.join(','),
    'Access-Control-Allow-Headers': requested.length ? requested.join(',') : rule.allowedHeaders.join(','),
    ...(rule.maxAgeSeconds !== undefined ? { 'Access-Control-Max-Age': String(rule.maxAgeSeconds) } : {}),
  });
}
