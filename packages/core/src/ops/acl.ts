/**
 * Object and bucket ACLs (Docs 7744, 7748, 7733, 7737): `GET/PUT /<key>?acl` and `GET/PUT /?acl`. A policy is set
 * either with headers (a canned `acl` and/or `grant*` lists) or with a full `accessControlPolicy` body, not both:
 * COS refuses the mix, so we say so before sending.
 */
import type { CosClient } from '../client.ts';
import { invalidArgument } from '../errors.ts';
import { md5Base64 } from '../checksum/index.ts';
import { list, text } from '../http/xml.ts';
import type { XmlNode } from '../http/types.ts';
import { assertKey, assertKnownKeys } from '../validate.ts';
import { checkInput, targetOf, type TargetOptions } from './common.ts';
import { grantHeaders, type BucketAcl, type GrantHeaders, type ObjectAcl } from './headers.ts';

export type AclPermission = 'READ' | 'WRITE' | 'FULL_CONTROL' | 'READ_ACP' | 'WRITE_ACP';

/** Who a grant is for: a CAM user (`CanonicalUser`, by `id`) or a group (`Group`, by `uri`, e.g. AllUsers). */
export interface AclGrantee {
  type: 'CanonicalUser' | 'Group';
  /** e.g. `qcs::cam::uin/100000000001:uin/100000000001`. */
  id?: string;
  /** e.g. `http://cam.qcloud.com/groups/global/AllUsers`. */
  uri?: string;
  displayName?: string;
}

export interface AclGrant {
  grantee: AclGrantee;
  permission: AclPermission;
}

/** An access control policy as COS returns it and as `accessControlPolicy` takes it. */
export interface AccessControlPolicy {
  owner: { id: string; displayName?: string };
  grants: AclGrant[];
}

export interface GetAclOutput extends AccessControlPolicy {
  owner: { id: string; displayName: string };
  /**
   * The canned ACL: COS's `x-cos-acl` answer when the response exposes it (it may say `default` for an object that
   * follows its bucket), else what the grants amount to when they are only the owner's and the public
   * (AllUsers / anyone) ones; `undefined` when other users hold grants (read `grants`).
   */
  cannedAcl: ObjectAcl | BucketAcl | undefined;
  requestId: string | undefined;
}

/** The AllUsers group, and the CAM principal that means "anyone". */
export const ALL_USERS_URI = 'http://cam.qcloud.com/groups/global/AllUsers';
const ANYONE_ID = 'qcs::cam::anyone:anyone';
const PERMISSIONS: readonly AclPermission[] = ['READ', 'WRITE', 'FULL_CONTROL', 'READ_ACP', 'WRITE_ACP'];

function parsePolicy(data: XmlNode): Omit<GetAclOutput, 'requestId'> {
  const ownerNode = data.Owner as XmlNode | undefined;
  const owner = { id: text(ownerNode, 'ID'), displayName: text(ownerNode, 'DisplayName') };
  const grants = list(data.AccessControlList as XmlNode | undefined, 'Grant').map((node): AclGrant => {
    const g = node.Grantee as XmlNode | undefined;
    const uri = text(g, 'URI');
    // The parser drops attributes (xsi:type); a URI is only ever carried by a Group grantee.
    const grantee: AclGrantee = uri ? { type: 'Group', uri } : { type: 'CanonicalUser', id: text(g, 'ID') };
    const displayName = text(g, 'DisplayName');
    if (displayName) grantee.displayName = displayName;
    return { grantee, permission: text(node, 'Permission') as AclPermission };
  });
  return { owner, grants, cannedAcl: summarize(owner.id, grants) };
}

/** Same rule as cos-js-sdk-v5's decodeAcl, but says "unknown" instead of "private" when other users have grants. */
function summarize(ownerId: string, grants: AclGrant[]): BucketAcl | undefined {
  const open = new Set<AclPermission>();
  for (const { grantee, permission } of grants) {
    if (grantee.uri?.endsWith('/groups/global/AllUsers') || grantee.id === ANYONE_ID) open.add(permission);
    else if (grantee.id !== ownerId) return undefined;
  }
  if (open.has('FULL_CONTROL') || (open.has('READ') && open.has('WRITE'))) return 'public-read-write';
  return open.has('READ') ? 'public-read' : 'private';
}

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** @internal The `<AccessControlPolicy>` body. Built by hand: the grantee needs its `xsi:type` attribute. */
export function policyXml(policy: AccessControlPolicy): string {
  if (typeof policy !== 'object' || policy === null) throw invalidArgument('accessControlPolicy must be { owner, grants }');
  assertKnownKeys(policy, ['owner', 'grants'], 'accessControlPolicy');
  if (typeof policy.owner?.id !== 'string' || policy.owner.id === '') throw invalidArgument('accessControlPolicy.owner.id is required');
  if (!Array.isArray(policy.grants)) throw invalidArgument('accessControlPolicy.grants must be an array');
  const name = (displayName: string | undefined): string =>
    displayName === undefined ? '' : `<DisplayName>${escapeXml(displayName)}</DisplayName>`;
  const grants = policy.grants.map(({ grantee, permission }, i) => {
    if (!PERMISSIONS.includes(permission)) throw invalidArgument(`grants[${i}].permission must be one of ${PERMISSIONS.join(', ')}`);
    const type = grantee?.type;
    let who: string;
    if (type === 'Group' && typeof grantee.uri === 'string' && grantee.uri) who = `<URI>${escapeXml(grantee.uri)}</URI>`;
    else if (type === 'CanonicalUser' && typeof grantee.id === 'string' && grantee.id) who = `<ID>${escapeXml(grantee.id)}</ID>${name(grantee.displayName)}`;
    else throw invalidArgument(`grants[${i}].grantee must be { type: 'CanonicalUser', id } or { type: 'Group', uri }`);
    return (
      `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${type}">${who}</Grantee>` +
      `<Permission>${permission}</Permission></Grant>`
    );
  });
  return (
    `<AccessControlPolicy><Owner><ID>${escapeXml(policy.owner.id)}</ID>${name(policy.owner.displayName)}</Owner>` +
    `<AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`
  );
}

interface PutAclCommon extends TargetOptions, GrantHeaders {
  /** The whole policy as a body; excludes `acl` and `grant*`. */
  accessControlPolicy?: AccessControlPolicy;
}

const GRANT_KEYS = ['grantRead', 'grantReadAcp', 'grantWriteAcp', 'grantFullControl'] as const;

async function putAcl(
  client: CosClient,
  input: PutAclCommon & { key?: string; acl?: string; grantWrite?: string },
  what: string,
): Promise<{ requestId: string | undefined }> {
  const headers: Record<string, string | undefined> = { 'x-cos-acl': input.acl, ...grantHeaders(input), 'x-cos-grant-write': input.grantWrite };
  const viaHeaders = Object.values(headers).some((v) => v !== undefined);
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw invalidArgument(`${what}: ${name} must be a non-empty string`);
  }
  let body: string | undefined;
  if (input.accessControlPolicy !== undefined) {
    if (viaHeaders) throw invalidArgument(`${what}: pass either accessControlPolicy or acl/grant* options, not both`);
    body = policyXml(input.accessControlPolicy);
    headers['Content-Type'] = 'application/xml';
    headers['Content-MD5'] = md5Base64(body);
  } else if (!viaHeaders) {
    throw invalidArgument(`${what}: nothing to set (pass acl, a grant* option or accessControlPolicy)`);
  }
  const response = await client.request({
    action: input.key === undefined ? 'PutBucketACL' : 'PutObjectACL',
    method: 'PUT',
    ...targetOf(input),
    ...(input.key === undefined ? {} : { key: input.key }),
    query: { acl: '' },
    headers,
    ...(body === undefined ? {} : { body }),
    responseType: 'none',
  });
  return { requestId: response.requestId };
}

async function getAcl(client: CosClient, input: TargetOptions & { key?: string }): Promise<GetAclOutput> {
  const response = await client.request({
    action: input.key === undefined ? 'GetBucketACL' : 'GetObjectACL',
    method: 'GET',
    ...targetOf(input),
    ...(input.key === undefined ? {} : { key: input.key }),
    query: { acl: '' },
  });
  const policy = parsePolicy(response.data);
  // Not readable cross-origin unless the bucket's CORS rule exposes x-cos-acl; the grants always are.
  const header = response.headers.get('x-cos-acl');
  if (header) policy.cannedAcl = header as ObjectAcl | BucketAcl;
  return { ...policy, requestId: response.requestId };
}

export interface GetObjectAclInput extends TargetOptions {
  key: string;
}

/** Reads an object's ACL: owner, grants and the canned ACL they amount to. */
export async function getObjectAcl(client: CosClient, input: GetObjectAclInput): Promise<GetAclOutput> {
  checkInput(client, input, ['key'], 'getObjectAcl');
  assertKey(input.key);
  return getAcl(client, input);
}

export interface PutObjectAclInput extends PutAclCommon {
  key: string;
  /** Canned ACL; `default` makes the object follow its bucket's ACL. */
  acl?: ObjectAcl;
}

/** Sets an object's ACL, by canned ACL / grant headers or by a full `accessControlPolicy`. */
export async function putObjectAcl(client: CosClient, input: PutObjectAclInput): Promise<{ requestId: string | undefined }> {
  checkInput(client, input, [...GRANT_KEYS, 'key', 'acl', 'accessControlPolicy'], 'putObjectAcl');
  assertKey(input.key);
  if (input.acl !== undefined && !['default', 'private', 'public-read'].includes(input.acl)) {
    throw invalidArgument(`putObjectAcl: acl must be "default", "private" or "public-read"; got ${JSON.stringify(input.acl)}`);
  }
  return putAcl(client, input, 'putObjectAcl');
}

/** Reads a bucket's ACL. */
export async function getBucketAcl(client: CosClient, input: TargetOptions = {}): Promise<GetAclOutput> {
  checkInput(client, input, [], 'getBucketAcl');
  return getAcl(client, input);
}

export interface PutBucketAclInput extends PutAclCommon {
  acl?: BucketAcl;
  /** Who may write (create/delete objects) in the bucket, e.g. `id="100000000001"`. */
  grantWrite?: string;
}

/** Sets a bucket's ACL, by canned ACL / grant headers or by a full `accessControlPolicy`. */
export async function putBucketAcl(client: CosClient, input: PutBucketAclInput): Promise<{ requestId: string | undefined }> {
  checkInput(client, input, [...GRANT_KEYS, 'grantWrite', 'acl', 'accessControlPolicy'], 'putBucketAcl');
  if (input.acl !== undefined && !['private', 'public-read', 'public-read-write'].includes(input.acl)) {
    throw invalidArgument(`putBucketAcl: acl must be "private", "public-read" or "public-read-write"; got ${JSON.stringify(input.acl)}`);
  }
  return putAcl(client, input, 'putBucketAcl');
}
