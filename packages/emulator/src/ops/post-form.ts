import type { Readable } from 'node:stream';
import { requireAccess } from '../auth/access.ts';
import { hmacSha1Hex, sha1Hex } from '../auth/signature.ts';
import { type Authenticated, verifyFields } from '../auth/verify.ts';
import { CosError, err } from '../errors.ts';
import { ingest, parseContentMd5 } from '../http/body.ts';
import { type Ctx, header } from '../http/context.ts';
import { readForm } from '../http/form.ts';
import { quoteEtag, send, sendXml } from '../http/respond.ts';
import { serverNow } from '../state.ts';
import { parseTrafficLimit } from '../traffic.ts';
import { aclFrom, normalObject, storageClassOf, storedHeaders, validateKey } from './meta.ts';

const policyFailed = (why: string) => new CosError(403, 'AccessDenied', `Invalid according to Policy: ${why}`);

interface Policy {
  expiration?: string;
  conditions?: unknown[];
}

/** Checks the policy document's conditions against the form; content-length-range is returned for after the upload. */
function checkPolicy(policy: Policy, form: Map<string, string>, bucket: string, nowMs: number): [number, number] | undefined {
  if (!policy.expiration || !(Date.parse(policy.expiration) > nowMs)) throw policyFailed('Policy expired.');
  let range: [number, number] | undefined;
  const valueOf = (name: string): string | undefined => {
    const n = name.replace(/^\$/, '').toLowerCase();
    return n === 'bucket' ? bucket : form.get(n);
  };
  for (const c of policy.conditions ?? []) {
    if (Array.isArray(c)) {
      const op = String(c[0]).toLowerCase();
      if (op === 'content-length-range') {
        range = [Number(c[1]), Number(c[2])];
        continue;
      }
      const v = valueOf(String(c[1]));
      if (v === undefined) throw policyFailed(`missing field ${String(c[1])}`);
      if (op === 'eq' && v !== String(c[2])) throw policyFailed(`Policy Condition failed: ${JSON.stringify(c)}`);
      if (op === 'starts-with' && !v.startsWith(String(c[2]))) throw policyFailed(`Policy Condition failed: ${JSON.stringify(c)}`);
      if (op !== 'eq' && op !== 'starts-with') throw policyFailed(`unknown condition ${op}`);
    } else if (c && typeof c === 'object') {
      for (const [k, want] of Object.entries(c as Record<string, unknown>)) {
        const v = valueOf(k);
        if (v === undefined) throw policyFailed(`missing field ${k}`);
        if (v !== String(want)) throw policyFailed(`Policy Condition failed: {"${k}":${JSON.stringify(want)}}`);
      }
    }
  }
  return range;
}

function authenticateForm(ctx: Ctx, form: Map<string, string>): { auth: Authenticated; range?: [number, number] } {
  const signature = form.get('q-signature');
  if (!signature) return { auth: { principal: { kind: 'anonymous' } } };
  const policyB64 = form.get('policy');
  const ak = form.get('q-ak');
  const keyTime = form.get('q-key-time');
  if (!policyB64 || !ak || !keyTime) throw new CosError(400, 'InvalidPolicyDocument', 'policy, q-ak and q-key-time are required');
  if ((form.get('q-sign-algorithm') ?? 'sha1').toLowerCase() !== 'sha1') throw err.accessDenied('q-sign-algorithm must be sha1');
  const policyJson = Buffer.from(policyB64, 'base64').toString('utf8');
  let policy: Policy;
  try {
    policy = JSON.parse(policyJson) as Policy;
  } catch {
    throw new CosError(400, 'InvalidPolicyDocument', 'The policy is not valid JSON.');
  }
  const auth = verifyFields(
    ctx,
    { ak, signTime: form.get('q-sign-time') ?? keyTime, keyTime, signature },
    (secretKey) => hmacSha1Hex(hmacSha1Hex(secretKey, keyTime), sha1Hex(policyJson)),
    form.get('x-cos-security-token'),
  );
  const range = checkPolicy(policy, form, ctx.bucket!, serverNow(ctx.state) * 1000);
  return range ? { auth, range } : { auth };
}

/** POST Object (form upload, Doc 14690). */
export async function postObject(ctx: Ctx): Promise<void> {
  const type = header(ctx, 'content-type') ?? '';
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (!/^multipart\/form-data/i.test(type) || !boundary) {
    throw new CosError(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
  }
  const form = await readForm(ctx.req, boundary[1] ?? boundary[2]!);
  if (!form.file) throw new CosError(400, 'IncorrectNumberOfFilesInPostRequest', 'POST requires exactly one file upload per request.');
  try {
    await storeForm(ctx, form.fields, form.file);
  } catch (e) {
    // Stop feeding the file stream; the error answer closes the connection (body left unread).
    form.file.stream.destroy();
    throw e;
  }
}

async function storeForm(ctx: Ctx, f: Map<string, string>, file: { filename: string; stream: Readable }): Promise<void> {
  const key = validateKey((f.get('key') ?? '').replace(/\$\{filename\}/g, file.filename));
  const { auth, range } = authenticateForm(ctx, f);
  ctx.principal = auth.principal;
  requireAccess(ctx, auth, 'PostObject', ctx.bucket, key);
  const limit = f.get('x-cos-traffic-limit');
  if (limit !== undefined) ctx.trafficLimit = parseTrafficLimit(limit);
  const md5 = parseContentMd5(f.get('content-md5'));
  const record = Object.fromEntries(f);
  const headers = storedHeaders(record);
  const storageClass = storageClassOf(record['x-cos-storage-class']);
  const acl = aclFrom(record, 'default');
  const got = await ingest(ctx, file.stream, md5 ? { contentMd5: md5 } : {});
  if (range && (got.size < range[0] || got.size > range[1])) {
    await ctx.state.store.backend.deleteBlob(got.blob);
    throw policyFailed('Your proposed upload size is outside the content-length-range.');
  }
  const meta = normalObject(ctx, key, got, { storageClass, acl, headers });
  await ctx.state.store.putObject(ctx.bucket!, meta);
  const location = `http://${ctx.host}${ctx.virtualHosted ? '' : `/${ctx.bucket}`}/${encodeURI(key)}`;
  const common = { ETag: quoteEtag(meta.etag), Location: location, 'x-cos-hash-crc64ecma': meta.crc64 };
  const redirect = f.get('success_action_redirect');
  if (redirect) {
    const sep = redirect.includes('?') ? '&' : '?';
    const target = `${redirect}${sep}bucket=${encodeURIComponent(ctx.bucket!)}&key=${encodeURIComponent(key)}&etag=${encodeURIComponent(quoteEtag(meta.etag))}`;
    await send(ctx, 303, { ...common, Location: target });
    return;
  }
  const status = Number(f.get('success_action_status') ?? 204);
  if (status === 201) {
    await sendXml(ctx, 201, { PostResponse: { Location: location, Bucket: ctx.bucket, Key: key, ETag: quoteEtag(meta.etag) } }, common);
    return;
  }
  await send(ctx, status === 200 ? 200 : 204, common);
}
