import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';

const ALL_USERS = 'http://cam.qcloud.com/groups/global/AllUsers';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'Grant' });

interface Grant {
  type: string;
  id?: string;
  displayName?: string;
  uri?: string;
  xmlns?: string;
  permission: string;
}

/** GET ?acl as plain grants, attributes included (xsi:type decides Group vs CanonicalUser). */
async function grantsOf(emu: RunningEmulator, path: string): Promise<{ owner: Record<string, string>; grants: Grant[] }> {
  const res = await cos(emu, 'GET', path, { query: { acl: '' } });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const policy = parser.parse(text).AccessControlPolicy;
  const grants = (policy.AccessControlList.Grant as Array<Record<string, Record<string, string> & string>>).map((g) => {
    const e = g['Grantee'] as unknown as Record<string, string>;
    return {
      type: e['@_xsi:type']!,
      xmlns: e['@_xmlns:xsi'],
      ...(e['ID'] !== undefined ? { id: e['ID'], displayName: e['DisplayName'] } : {}),
      ...(e['URI'] !== undefined ? { uri: e['URI'] } : {}),
      permission: g['Permission'] as unknown as string,
    };
  });
  return { owner: policy.Owner, grants };
}

const user = (id: string, permission: string): Grant => ({ type: 'CanonicalUser', xmlns: XSI, id, displayName: id, permission });
const group = (permission: string): Grant => ({ type: 'Group', xmlns: XSI, uri: ALL_USERS, permission });
const OWNER = 'qcs::cam::uin/1250000000:uin/1250000000';

describe('ACL grant headers', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  it('id="uin" and id="root/sub" are reported in qcs::cam::uin form, DisplayName = ID (Doc 7733)', async () => {
    const path = `/${BUCKET}/grants/ids.txt`;
    const put = await cos(emu, 'PUT', path, {
      body: 'x',
      headers: {
        'x-cos-grant-read': 'id="100000000011",id="100000000012"',
        'x-cos-grant-write-acp': 'id="100000000001/100000000011"',
        // The SDK docs show both the old uin="" form and IDs already in qcs::cam form.
        'x-cos-grant-read-acp': 'uin="100000000013"',
        'x-cos-grant-full-control': ' id="qcs::cam::uin/100000000002:uin/100000000002" ',
      },
    });
    assert.equal(put.status, 200, await put.text());
    const { owner, grants } = await grantsOf(emu, path);
    assert.deepEqual(owner, { ID: OWNER, DisplayName: OWNER });
    assert.deepEqual(grants, [
      user(OWNER, 'FULL_CONTROL'),
      user('qcs::cam::uin/100000000011:uin/100000000011', 'READ'),
      user('qcs::cam::uin/100000000012:uin/100000000012', 'READ'),
      user('qcs::cam::uin/100000000013:uin/100000000013', 'READ_ACP'),
      user('qcs::cam::uin/100000000001:uin/100000000011', 'WRITE_ACP'),
      user('qcs::cam::uin/100000000002:uin/100000000002', 'FULL_CONTROL'),
    ]);
  });

  it('uri="…AllUsers" is a Group grantee with <URI>; READ makes the object public, READ_ACP stays a grant', async () => {
    const path = `/${BUCKET}/grants/public.txt`;
    await cos(emu, 'PUT', path, { body: 'public' });
    assert.equal((await cos(emu, 'GET', path, { anonymous: true })).status, 403);
    const set = await cos(emu, 'PUT', path, {
      query: { acl: '' },
      headers: { 'x-cos-grant-read': `uri="${ALL_USERS}"`, 'x-cos-grant-read-acp': `uri="${ALL_USERS}",id="100000000011"` },
    });
    assert.equal(set.status, 200, await set.text());
    assert.equal((await cos(emu, 'GET', path, { anonymous: true })).status, 200);
    const { grants } = await grantsOf(emu, path);
    assert.deepEqual(grants, [
      user(OWNER, 'FULL_CONTROL'),
      group('READ'),
      user('qcs::cam::uin/100000000011:uin/100000000011', 'READ_ACP'),
      group('READ_ACP'),
    ]);
  });

  it('a new bucket stores its grant headers in reported form', async () => {
    const bucket = 'grants-1250000000';
    const put = await cos(emu, 'PUT', `/${bucket}/`, {
      headers: { 'x-cos-acl': 'private', 'x-cos-grant-write': 'id="100000000001/100000000011"', 'x-cos-grant-read': `uri="${ALL_USERS}"` },
    });
    assert.equal(put.status, 200, await put.text());
    const acl = await cos(emu, 'GET', `/${bucket}/`, { query: { acl: '' } });
    assert.equal(acl.headers.get('x-cos-acl'), 'public-read');
    const { grants } = await grantsOf(emu, `/${bucket}/`);
    assert.deepEqual(grants, [user(OWNER, 'FULL_CONTROL'), group('READ'), user('qcs::cam::uin/100000000001:uin/100000000011', 'WRITE')]);
  });

  it('malformed grant headers are 400 InvalidArgument and change nothing', async () => {
    const path = `/${BUCKET}/grants/bad.txt`;
    await cos(emu, 'PUT', path, { body: 'bad' });
    for (const value of ['100000000011', 'id=100000000011', 'id="alice"', 'id=""', 'uri="AllUsers"', 'id="1",,id="2"']) {
      const res = await cos(emu, 'PUT', path, { query: { acl: '' }, headers: { 'x-cos-grant-read': value } });
      assert.equal(res.status, 400, value);
      assert.match(await res.text(), /<Code>InvalidArgument<\/Code>/, value);
    }
    const created = await cos(emu, 'PUT', '/never-1250000000/', { headers: { 'x-cos-grant-read': 'id="x"' } });
    assert.equal(created.status, 400);
    assert.equal((await cos(emu, 'HEAD', '/never-1250000000/')).status, 404);
    assert.deepEqual((await grantsOf(emu, path)).grants, [user(OWNER, 'FULL_CONTROL')]);
  });

  it('an AccessControlPolicy body is kept as sent; qcs::cam::anyone:anyone counts as everyone', async () => {
    const path = `/${BUCKET}/grants/body.txt`;
    await cos(emu, 'PUT', path, { body: 'body' });
    const xml = `<AccessControlPolicy><Owner><ID>${OWNER}</ID></Owner><AccessControlList>
<Grant><Grantee xmlns:xsi="${XSI}" xsi:type="CanonicalUser"><ID>qcs::cam::uin/100000000001:uin/100000000011</ID></Grantee><Permission>WRITE</Permission></Grant>
<Grant><Grantee xmlns:xsi="${XSI}" xsi:type="CanonicalUser"><ID>qcs::cam::anyone:anyone</ID></Grantee><Permission>READ</Permission></Grant>
<Grant><Grantee xmlns:xsi="${XSI}" xsi:type="Group"><URI>http://cam.qcloud.com/groups/global/AuthenticatedUsers</URI></Grantee><Permission>READ</Permission></Grant>
</AccessControlList></AccessControlPolicy>`;
    const set = await cos(emu, 'PUT', path, { query: { acl: '' }, body: xml });
    assert.equal(set.status, 200, await set.text());
    assert.equal((await cos(emu, 'GET', path, { anonymous: true })).status, 200);
    const { grants } = await grantsOf(emu, path);
    assert.deepEqual(grants, [
      user(OWNER, 'FULL_CONTROL'),
      group('READ'),
      user('qcs::cam::uin/100000000001:uin/100000000011', 'WRITE'),
      { type: 'Group', xmlns: XSI, uri: 'http://cam.qcloud.com/groups/global/AuthenticatedUsers', permission: 'READ' },
    ]);
    const bad = await cos(emu, 'PUT', path, { query: { acl: '' }, body: xml.replace('<Permission>WRITE</Permission>', '<Permission>ALL</Permission>') });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /<Code>MalformedXML<\/Code>/);
  });
});
