/**
 * APPEND Object and ACLs against the emulator: request shape, the two 409s, recovery from a lost append response,
 * and object/bucket ACLs set by canned value, grant headers or a policy body, then read back and summarized.
 */
import { expect } from 'chai';
import { CosClient, crc64, md5Base64, ALL_USERS_URI } from '@coskit/core';
import { clientFor, testEnv, type TestEnv } from '../support/env.ts';
import { mswWorker, recordRequests } from '../support/msw.ts';
import { expectCosError, expectInvalidArgument } from '../support/assert.ts';

let env: TestEnv;
let client: CosClient;
const run = `append-acl/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}/`;

before(async () => {
  env = await testEnv();
  client = clientFor(env, { retry: { limit: 0 } });
  await mswWorker();
});

async function setFaults(rules: unknown[]): Promise<void> {
  const response = await fetch(new URL('/__coskit/faults', env.url), { method: 'PUT', body: JSON.stringify({ rules }) });
  expect(response.status, await response.clone().text()).to.equal(200);
}

describe('appendObject', () => {
  it('creates an appendable object at 0 and continues at the returned position', async () => {
    const key = `${run}log.txt`;
    const log = await recordRequests();
    const first = await client.appendObject({ key, position: 0, body: 'hello ', contentType: 'text/plain', meta: { source: 'append' } });
    const second = await client.appendObject({ key, position: first.nextPosition, body: new Blob(['world']), contentMd5: true });
    log.stop();
    const url = new URL(log.requests[1]!.url);
    expect([log.requests[1]!.method, url.search]).to.deep.equal(['POST', '?append&position=6']);
    expect(log.requests[1]!.headers.get('content-md5')).to.equal(md5Base64('world'));
    expect(first.nextPosition).to.equal(6);
    expect(second.nextPosition).to.equal(11);
    expect(second.crc64).to.equal(crc64('hello world'));
    expect(second.etag).to.match(/^".+"$/);
    const head = await client.headObject({ key });
    expect([head.objectType, head.size, head.contentType]).to.deep.equal(['appendable', 11, 'text/plain']);
    expect((await client.getObject({ key, as: 'text' })).body).to.equal('hello world');
  });

  it('surfaces AppendPositionErr (409) for a wrong position and ObjectNotAppendable (409) for a normal object', async () => {
    const key = `${run}positions.txt`;
    await client.appendObject({ key, position: 0, body: 'abc' });
    for (const position of [0, 2, 4]) {
      const error = await expectCosError(client.appendObject({ key, position, body: 'x' }), 'AppendPositionErr', 'CosServiceError');
      expect(error.status).to.equal(409);
    }
    const normal = `${run}normal.txt`;
    await client.putObject({ key: normal, body: 'normal' });
    const error = await expectCosError(client.appendObject({ key: normal, position: 6, body: 'x' }), 'ObjectNotAppendable', 'CosServiceError');
    expect(error.status).to.equal(409);
  });

  it('treats an append whose response was lost as done when the object ends with exactly its bytes', async () => {
    const key = `${run}lost.txt`;
    const retrying = clientFor(env, { retry: { limit: 2, baseDelay: 5, maxDelay: 20 } });
    await retrying.appendObject({ key, position: 0, body: 'first,' });
    await setFaults([{ op: 'AppendObject', kind: 'lostResponse', count: 1 }]);
    try {
      const out = await retrying.appendObject({ key, position: 6, body: 'second' });
      expect(out.nextPosition).to.equal(12);
      expect(out.crc64).to.equal(crc64('first,second'));
    } finally {
      await setFaults([]);
    }
    expect((await retrying.getObject({ key, as: 'text' })).body).to.equal('first,second');
    // The same (position, body) again is the same append: done, nothing added.
    const again = await client.appendObject({ key, position: 6, body: 'second' });
    expect(again.nextPosition).to.equal(12);
    expect((await client.headObject({ key })).size).to.equal(12);
    // Other bytes of the same length at that position are someone else's append: still an error.
    await expectCosError(client.appendObject({ key, position: 6, body: 'SECOND' }), 'AppendPositionErr');
    await expectCosError(client.appendObject({ key, position: 6, body: 'secon' }), 'AppendPositionErr');
  });

  it('rejects negative, fractional and missing positions and bad bodies before the network', async () => {
    for (const position of [-1, 1.5, Number.NaN, undefined, '0']) {
      await expectInvalidArgument(() => client.appendObject({ key: `${run}p`, position: position as number, body: 'x' }));
    }
    await expectInvalidArgument(() => client.appendObject({ key: `${run}p`, position: 0, body: 7 as never }));
    await expectInvalidArgument(() => client.appendObject({ key: '/p', position: 0, body: 'x' }));
    await expectInvalidArgument(() => client.appendObject({ key: `${run}p`, position: 0, body: 'x', offset: 0 } as never));
  });
});

describe('object and bucket ACLs', () => {
  it('sets an object ACL by canned value and reads the grants and summary back', async () => {
    const key = `${run}acl.txt`;
    await client.putObject({ key, body: 'acl' });
    const initial = await client.getObjectAcl({ key });
    expect(initial.owner.id).to.be.a('string').and.not.empty;
    expect(initial.grants).to.deep.equal([{ grantee: { type: 'CanonicalUser', id: initial.owner.id, displayName: initial.owner.displayName }, permission: 'FULL_CONTROL' }]);
    // x-cos-acl is not exposed to the page by default, so the summary comes from the grants.
    expect(initial.cannedAcl).to.equal('private');

    const log = await recordRequests();
    await client.putObjectAcl({ key, acl: 'public-read' });
    log.stop();
    expect([log.requests[0]!.method, new URL(log.requests[0]!.url).search]).to.deep.equal(['PUT', '?acl']);
    expect(log.requests[0]!.headers.get('x-cos-acl')).to.equal('public-read');
    const open = await client.getObjectAcl({ key });
    expect(open.grants).to.deep.include({ grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' });
    expect(open.cannedAcl).to.equal('public-read');
  });

  it('sets grants by header and by an AccessControlPolicy body (Content-MD5 signed)', async () => {
    const key = `${run}grants.txt`;
    await client.putObject({ key, body: 'grants' });
    await client.putObjectAcl({ key, grantRead: 'id="100000000011"' });
    const byHeader = await client.getObjectAcl({ key });
    // COS reports a header grantee id="UIN" in its CAM form.
    const uin = 'qcs::cam::uin/100000000011:uin/100000000011';
    expect(byHeader.grants).to.deep.include({ grantee: { type: 'CanonicalUser', id: uin, displayName: uin }, permission: 'READ' });
    expect(byHeader.cannedAcl).to.equal(undefined);

    const { owner } = byHeader;
    const log = await recordRequests();
    await client.putObjectAcl({
      key,
      accessControlPolicy: {
        owner,
        grants: [
          { grantee: { type: 'CanonicalUser', id: owner.id }, permission: 'FULL_CONTROL' },
          { grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' },
          { grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'WRITE' },
        ],
      },
    });
    log.stop();
    const sent = log.requests[0]!;
    const body = await sent.clone().text().catch(() => '');
    expect(sent.headers.get('content-type')).to.equal('application/xml');
    if (body) expect(sent.headers.get('content-md5')).to.equal(md5Base64(body));
    const byBody = await client.getObjectAcl({ key });
    expect(byBody.cannedAcl).to.equal('public-read-write');
    expect(byBody.grants.filter((g) => g.grantee.type === 'Group').map((g) => g.permission).sort()).to.deep.equal(['READ', 'WRITE']);
  });

  it('reads and sets the bucket ACL, then puts it back', async () => {
    const before = await client.getBucketAcl();
    expect(before.cannedAcl).to.equal('private');
    try {
      await client.putBucketAcl({ acl: 'public-read' });
      const open = await client.getBucketAcl();
      expect(open.cannedAcl).to.equal('public-read');
      expect(open.grants).to.deep.include({ grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' });
    } finally {
      await client.putBucketAcl({ acl: 'private' });
    }
    expect((await client.getBucketAcl()).cannedAcl).to.equal('private');
  });

  it('rejects ACL mistakes before the network', async () => {
    const policy = { owner: { id: 'o' }, grants: [] };
    await expectInvalidArgument(() => client.putObjectAcl({ key: 'k' }));
    await expectInvalidArgument(() => client.putObjectAcl({ key: 'k', acl: 'private', accessControlPolicy: policy }));
    await expectInvalidArgument(() => client.putObjectAcl({ key: 'k', acl: 'public-read-write' as never }));
    await expectInvalidArgument(() => client.putObjectAcl({ key: 'k', grantRead: '' }));
    await expectInvalidArgument(() =>
      client.putObjectAcl({ key: 'k', accessControlPolicy: { owner: { id: 'o' }, grants: [{ grantee: { type: 'Group' }, permission: 'READ' }] } }),
    );
    await expectInvalidArgument(() =>
      client.putObjectAcl({ key: 'k', accessControlPolicy: { owner: { id: 'o' }, grants: [{ grantee: { type: 'CanonicalUser', id: 'x' }, permission: 'ALL' as never }] } }),
    );
    await expectInvalidArgument(() => client.putBucketAcl({ acl: 'default' as never }));
    await expectInvalidArgument(() => client.getObjectAcl({ key: '' }));
    await expectInvalidArgument(() => client.getBucketAcl({ bucket: 'nope' }));
  });
});
