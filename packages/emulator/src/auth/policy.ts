import type { CamPolicy } from '../types.ts';

function globToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 's');
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `prefix//<appid>/<short>/<path>` (qcloud-cos-sts getPolicy) becomes the modern `<short>-<appid>/<path>`. */
function normalizeResource(r: string): string {
  const m = /^(qcs::cos:[^:]*:uid\/[^:]*:)prefix\/\/([^/]+)\/([^/]+)\/(.*)$/.exec(r);
  return m ? `${m[1]}${m[3]}-${m[2]}/${m[4]}` : r;
}

function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.replace(/^name\//, '');
  if (p === '*') return true;
  return globToRegExp(p.toLowerCase()).test(action.toLowerCase());
}

function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  return globToRegExp(normalizeResource(pattern)).test(resource);
}

/** CAM semantics: allowed iff some allow statement matches action and resource and no deny statement does. */
export function policyAllows(policy: CamPolicy, action: string, resource: string): boolean {
  let allowed = false;
  for (const st of policy.statement ?? []) {
    const a = asList(st.action).some((p) => actionMatches(p, `cos:${action}`));
    const r = asList(st.resource).some((p) => resourceMatches(p, resource));
    if (!a || !r) continue;
    if (String(st.effect).toLowerCase() === 'deny') return false;
    if (String(st.effect).toLowerCase() === 'allow') allowed = true;
  }
  return allowed;
}

export function resourceOf(region: string, appId: string, bucket: string | undefined, key: string | undefined): string {
  if (!bucket) return '*';
  const bucketAppId = bucket.slice(bucket.lastIndexOf('-') + 1) || appId;
  return `qcs::cos:${region}:uid/${bucketAppId}:${bucket}/${key ?? ''}`;
}
