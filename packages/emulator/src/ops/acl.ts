import { err } from '../errors.ts';
import { readSmallBody } from '../http/body.ts';
import type { Ctx } from '../http/context.ts';
import { send, sendXml } from '../http/respond.ts';
import { liveObject } from '../lifecycle.ts';
import type { AclState, AclValue, Grant } from '../storage/types.ts';
import { MAX_XML_BYTES, asArray, parseXml, text } from '../xml.ts';
import { requireBucket } from './bucket.ts';
import { aclFrom, lowerHeaders } from './meta.ts';
import { owner } from './owner.ts';

const ALL_USERS = 'http://cam.qcloud.com/groups/global/AllUsers';

function render(ctx: Ctx, acl: AclState): Record<string, unknown> {
  const who = owner(ctx);
  const grants: Array<Record<string, unknown>> = [
    { Grantee: { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': 'CanonicalUser', ...who }, Permission: 'FULL_CONTROL' },
  ];
  const group = (perm: string) => ({
    Grantee: { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': 'Group', URI: ALL_USERS },
    Permission: perm,
  });
  if (acl.canned === 'public-read' || acl.canned === 'public-read-write') grants.push(group('READ'));
  if (acl.canned === 'public-read-write') grants.push(group('WRITE'));
  for (const g of acl.grants) {
    grants.push({
      Grantee: { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': 'CanonicalUser', ID: g.grantee, DisplayName: g.grantee },
      Permission: g.permission,
    });
  }
  return { AccessControlPolicy: { Owner: who, AccessControlList: { Grant: grants } } };
}

/** An ACL from the XML body: AllUsers READ/WRITE grants become the canned value, the rest are kept as grants. */
function parseAclXml(body: string): AclState {
  const doc = parseXml(body);
  const root = doc['AccessControlPolicy'] as Record<string, unknown> | undefined;
  const list = root?.['AccessControlList'] as Record<string, unknown> | undefined;
  if (!root || !list) throw err.malformedXml();
  const grants: Grant[] = [];
  let read = false;
  let write = false;
  for (const g of asArray(list['Grant'] as Record<string, unknown> | Record<string, unknown>[] | undefined)) {
    const grantee = (g['Grantee'] ?? {}) as Record<string, unknown>;
    const perm = text(g['Permission']).toUpperCase();
    if (text(grantee['URI']) === ALL_USERS) {
      if (perm === 'READ') read = true;
      else if (perm === 'WRITE') write = true;
      else if (perm === 'FULL_CONTROL') read = write = true;
      continue;
    }
    const id = text(grantee['ID']) || text(grantee['URI']);
    const ownerId = text((root['Owner'] as Record<string, unknown> | undefined)?.['ID']);
    if (id && id !== ownerId) grants.push({ permission: perm, grantee: id });
  }
  const canned: AclValue = read && write ? 'public-read-write' : read ? 'public-read' : 'private';
  return { canned, grants };
}

async function requestedAcl(ctx: Ctx, fallback: AclValue): Promise<AclState> {
  const hdrs = lowerHeaders(ctx);
  const body = await readSmallBody(ctx, MAX_XML_BYTES);
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
