import { CosError, err } from '../errors.ts';
import { readCheckedBody } from '../http/body.ts';
import type { Ctx } from '../http/context.ts';
import { send, sendXml } from '../http/respond.ts';
import type { CorsRule, LifecycleRule } from '../storage/types.ts';
import { MAX_XML_BYTES, asArray, parseXml, text } from '../xml.ts';
import { requireBucket } from './bucket.ts';

type Node = Record<string, unknown>;
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

async function xmlRoot(ctx: Ctx, name: string): Promise<Node> {
  const body = await readCheckedBody(ctx, MAX_XML_BYTES);
  const root = parseXml(body.toString('utf8'))[name] as Node | undefined;
  if (!root || typeof root !== 'object') throw err.malformedXml();
  return root;
}

const list = (v: unknown): string[] => asArray(v as string | string[] | undefined).map(text).filter((s) => s !== '');

export async function putCors(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  const root = await xmlRoot(ctx, 'CORSConfiguration');
  const rules: CorsRule[] = asArray(root['CORSRule'] as Node | Node[] | undefined).map((r) => {
    const rule: CorsRule = {
      ...(r['ID'] !== undefined ? { id: text(r['ID']) } : {}),
      allowedOrigins: list(r['AllowedOrigin']),
      allowedMethods: list(r['AllowedMethod']).map((m) => m.toUpperCase()),
      allowedHeaders: list(r['AllowedHeader']),
      exposeHeaders: list(r['ExposeHeader']),
      ...(r['MaxAgeSeconds'] !== undefined ? { maxAgeSeconds: Number(text(r['MaxAgeSeconds'])) } : {}),
    };
    if (!rule.allowedOrigins.length || !rule.allowedMethods.length) throw err.malformedXml();
    if (rule.allowedMethods.some((m) => !METHODS.has(m))) throw err.invalidArgument('Unsupported AllowedMethod');
    return rule;
  });
  if (rules.length === 0) throw err.malformedXml();
  if (rules.length > 100) throw err.invalidArgument('At most 100 CORS rules are allowed');
  await ctx.state.store.saveBucket({ ...b, cors: rules });
  await send(ctx, 200, {});
}

export async function getCors(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  if (!b.cors?.length) throw new CosError(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist.');
  await sendXml(ctx, 200, {
    CORSConfiguration: {
      CORSRule: b.cors.map((r) => ({
        ...(r.id !== undefined ? { ID: r.id } : {}),
        AllowedOrigin: r.allowedOrigins,
        AllowedMethod: r.allowedMethods,
        AllowedHeader: r.allowedHeaders,
        ExposeHeader: r.exposeHeaders,
        ...(r.maxAgeSeconds !== undefined ? { MaxAgeSeconds: r.maxAgeSeconds } : {}),
      })),
    },
  });
}

export async function deleteCors(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  const { cors: _cors, ...rest } = b;
  await ctx.state.store.saveBucket(rest);
  await send(ctx, 204, {});
}

const TRANSITION_CLASSES = new Set(['STANDARD_IA', 'ARCHIVE', 'DEEP_ARCHIVE', 'INTELLIGENT_TIERING', 'MAZ_STANDARD_IA', 'MAZ_INTELLIGENT_TIERING']);

/** `<Transition><Days|Date/><StorageClass/></Transition>` (Doc 8280); kept for GET, not applied. */
function transitionOf(t: Node): NonNullable<LifecycleRule['transitions']>[number] {
  const storageClass = text(t['StorageClass']).toUpperCase();
  if (!TRANSITION_CLASSES.has(storageClass)) throw err.invalidArgument(`Invalid Transition StorageClass ${storageClass}`);
  if (t['Days'] !== undefined) {
    const days = Number(text(t['Days']));
    if (!Number.isInteger(days) || days < 0) throw err.invalidArgument('Transition Days must be a non-negative integer');
    return { days, storageClass };
  }
  const date = text(t['Date']);
  if (!date || Number.isNaN(Date.parse(date))) throw err.malformedXml();
  return { date, storageClass };
}

export async function putLifecycle(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  const root = await xmlRoot(ctx, 'LifecycleConfiguration');
  const rules: LifecycleRule[] = asArray(root['Rule'] as Node | Node[] | undefined).map((r, i) => {
    const filter = (r['Filter'] ?? {}) as Node;
    const exp = r['Expiration'] as Node | undefined;
    const abort = r['AbortIncompleteMultipartUpload'] as Node | undefined;
    const status = text(r['Status']);
    if (status !== 'Enabled' && status !== 'Disabled') throw err.malformedXml();
    const rule: LifecycleRule = { id: text(r['ID']) || `rule-${i + 1}`, status, prefix: text(filter['Prefix'] ?? r['Prefix']) };
    if (exp?.['Days'] !== undefined) {
      const d = Number(text(exp['Days']));
      if (!Number.isInteger(d) || d < 1) throw err.invalidArgument('Expiration Days must be a positive integer');
      rule.expirationDays = d;
    }
    if (exp?.['Date'] !== undefined) {
      if (Number.isNaN(Date.parse(text(exp['Date'])))) throw err.invalidArgument('Expiration Date is not valid');
      rule.expirationDate = text(exp['Date']);
    }
    if (abort?.['DaysAfterInitiation'] !== undefined) {
      const d = Number(text(abort['DaysAfterInitiation']));
      if (!Number.isInteger(d) || d < 1) throw err.invalidArgument('DaysAfterInitiation must be a positive integer');
      rule.abortIncompleteDays = d;
    }
    const transitions = asArray(r['Transition'] as Node | Node[] | undefined).map(transitionOf);
    if (transitions.length) rule.transitions = transitions;
    // As COS (and the SDKs' own checks): a rule must do something.
    if (rule.expirationDays === undefined && rule.expirationDate === undefined && rule.abortIncompleteDays === undefined && !transitions.length) {
      throw err.malformedXml();
    }
    return rule;
  });
  if (rules.length === 0) throw err.malformedXml();
  await ctx.state.store.saveBucket({ ...b, lifecycle: rules });
  await send(ctx, 200, {});
}

export async function getLifecycle(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  if (!b.lifecycle?.length) throw new CosError(404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist.');
  await sendXml(ctx, 200, {
    LifecycleConfiguration: {
      Rule: b.lifecycle.map((r) => ({
        ID: r.id,
        Filter: { Prefix: r.prefix },
        Status: r.status,
        ...(r.transitions ? { Transition: r.transitions.map((t) => ({ ...(t.days !== undefined ? { Days: t.days } : { Date: t.date }), StorageClass: t.storageClass })) } : {}),
        ...(r.expirationDays !== undefined || r.expirationDate !== undefined
          ? { Expiration: r.expirationDays !== undefined ? { Days: r.expirationDays } : { Date: r.expirationDate } }
          : {}),
        ...(r.abortIncompleteDays !== undefined ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: r.abortIncompleteDays } } : {}),
      })),
    },
  });
}

export async function deleteLifecycle(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  const { lifecycle: _l, ...rest } = b;
  await ctx.state.store.saveBucket(rest);
  await send(ctx, 204, {});
}
