import { err } from '../errors.ts';
import { readCheckedBody } from '../http/body.ts';
import type { Ctx } from '../http/context.ts';
import { send, sendXml } from '../http/respond.ts';
import { liveObject } from '../lifecycle.ts';
import type { AclState, AclValue, Grant } from '../storage/types.ts';
import { MAX_XML_BYTES, asArray, parseXml, text } from '../xml.ts';
import { requireBucket } from './bucket.ts';
import { ALL_USERS, applyPublic, isAllUsers, isGroupUri, isPermission } from './grants.ts';
import { aclFrom, lowerHeaders } from './meta.ts';
import { owner } from './owner.ts';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

const user = (id: string) => ({ '@_xmlns:xsi': XSI, '@_xsi:type': 'CanonicalUser', ID: id, DisplayName: id });
const group = (uri: string) => ({ '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', URI: uri });

/** COS reports every CAM principal's DisplayName as its full ID here (Doc 7733 sample), unlike list results. */
function render(ctx: Ctx, acl: AclState): Record<string, unknown> {
  const who = owner(ctx).ID;
  const grants: Array<Record<string, unknown>> = [{ Grantee: user(who), Permission: 'FULL_CONTROL' }];
  if (acl.canned === 'public-read' || acl.canned === 'public-read-write') grants.push({ Grantee: group(ALL_USERS), Permission: 'READ' });
  if (acl.canned === 'public-read-write') grants.push({ Grantee: group(ALL_USERS), Permission: 'WRITE' });
  for (const g of acl.grants) {
    grants.push({ Grantee: isGroupUri(g.grantee) ? group(g.grantee) : user(g.grantee), Permission: g.permission });
  }
  return { AccessControlPolicy: { Owner: { ID: who, DisplayName: who }, AccessControlList: { Grant: grants } } };
}

/** An ACL from the XML body, kept as sent: grants to everyone become the canned value, the rest stay grants. */
function parseAclXml(body: string): AclState {
  const doc = parseXml(body);
  const root = doc['AccessControlPolicy'] as Record<string, unknown> | undefined;
  const list = root?.['AccessControlList'] as Record<string, unknown> | undefined;
  if (!root || !list) throw err.malformedXml();
  const ownerId = text((root['Owner'] as Record<string, unknown> | undefined)?.['ID']);
  const grants: Grant[] = [];
  const open = new Set<string>();
  for (const g of asArray(list['Grant'] as Record<string, unknown> | Record<string, unknown>[] | undefined)) {
    const grantee = (g['Grantee'] ?? {}) as Record<string, unknown>;
    const perm = text(g['Permission']).toUpperCase();
    if (!isPermission(perm)) throw err.malformedXml();
    const id = text(grantee['ID']) || text(grantee['URI']);
    if (isAllUsers(id)) open.add(perm);
    else if (id && id !== ownerId) grants.push({ permission: perm, grantee: id });
  }
  return applyPublic({ canned: 'private', grants }, open);
}

async function requestedAcl(ctx: Ctx, fallback: AclValue): Promise<AclState> {
  const hdrs = lowerHeaders(ctx);
  const body = await readCheckedBody(ctx, MAX_XML_BYTES);
  if (body.length > 0) return parseAclXml(body.toString('utf8'));
  return aclFrom(hdrs, fallback);
}

export async function getBucketAcl(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  await sendXml(ctx, 200, render(ctx, b.acl), { 'x-cos-acl': b.acl.canned });
}

export async function putBucketAcl(ctx: Ctx): Promise<void> {
  const b = requireBucket(ctx);
  const acl = await requestedAcl(ctx, 'private');
  await ctx.state.store.saveBucket({ ...b, acl });
  await send(ctx, 200, {});
}

export async function getObjectAcl(ctx: Ctx): Promise<void> {
  const o = await liveObject(ctx.state, ctx.bucket!, ctx.key!);
  if (!o) throw err.noSuchKey();
  await sendXml(ctx, 200, render(ctx, o.acl), { 'x-cos-acl': o.acl.canned });
}

export async function putObjectAcl(ctx: Ctx): Promise<void> {
  const o = await liveObject(ctx.state, ctx.bucket!, ctx.key!);
  if (!o) throw err.noSuchKey();
  const acl = await requestedAcl(ctx, 'default');
  await ctx.state.store.putObject(ctx.bucket!, { ...o, acl });
  await send(ctx, 200, {});
}
