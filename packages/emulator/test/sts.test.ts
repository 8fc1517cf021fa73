import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { policyAllows } from '../src/auth/policy.ts';
import type { RunningEmulator, StsResponse } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';
import { sign } from './support/signer.ts';

const R = 'qcs::cos:ap-guangzhou:uid/1250000000:coskit-test-1250000000';

describe('CAM policy evaluation', () => {
  it('matches actions and resources with * globs; deny wins; the old prefix// resource form is accepted', () => {
    const p = {
      statement: [
        { effect: 'allow', action: ['name/cos:Get*', 'name/cos:PutObject'], resource: [`${R}/docs/*`] },
        { effect: 'deny', action: ['name/cos:*'], resource: [`${R}/docs/secret/*`] },
      ],
    };
    assert.ok(policyAllows(p, 'GetObject', `${R}/docs/a.txt`));
    assert.ok(policyAllows(p, 'PutObject', `${R}/docs/x/y`));
    assert.ok(!policyAllows(p, 'DeleteObject', `${R}/docs/a.txt`));
    assert.ok(!policyAllows(p, 'GetObject', `${R}/other`));
    assert.ok(!policyAllows(p, 'GetObject', `${R}/docs/secret/k`));
    const old = { statement: [{ effect: 'allow', action: 'name/cos:PutObject', resource: 'qcs::cos:ap-guangzhou:uid/1250000000:prefix//1250000000/coskit-test/up/*' }] };
    assert.ok(policyAllows(old, 'PutObject', `${R}/up/file`));
    assert.ok(!policyAllows(old, 'PutObject', `${R}/down/file`));
    assert.ok(policyAllows({ statement: [{ effect: 'allow', action: '*', resource: '*' }] }, 'GetService', '*'));
  });
});

describe('temporary keys on the wire', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  const asCreds = (s: StsResponse) => ({ secretId: s.credentials.tmpSecretId, secretKey: s.credentials.tmpSecretKey, token: s.credentials.sessionToken });

  it('multi-delete checks DeleteObject per key; copy needs GetObject on the source and PutObject on the destination', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/a/1`, { body: '1' });
    await cos(emu, 'PUT', `/${BUCKET}/b/1`, { body: '1' });
    const sts = emu.mintTemporaryKeys({
      version: '2.0',
      statement: [
        { effect: 'allow', action: ['name/cos:DeleteMultipleObjects', 'name/cos:PutObject'], resource: [`${R}/*`] },
        { effect: 'allow', action: ['name/cos:DeleteObject'], resource: [`${R}/a/*`] },
      ],
    });
    const creds = asCreds(sts);
    const xml = '<Delete><Object><Key>a/1</Key></Object><Object><Key>b/1</Key></Object></Delete>';
    const r = await cos(emu, 'POST', `/${BUCKET}/`, { query: { delete: '' }, body: xml, creds });
    const text = await r.text();
    assert.equal(r.status, 200);
    assert.match(text, /<Deleted><Key>a\/1<\/Key><\/Deleted>/);
    assert.match(text, /<Error><Key>b\/1<\/Key><Code>AccessDenied<\/Code>/);
    const copy = await cos(emu, 'PUT', `/${BUCKET}/c/1`, { creds, headers: { 'x-cos-copy-source': `${BUCKET}.cos.ap-guangzhou.myqcloud.com/b/1` } });
    assert.equal(copy.status, 403);
  });

  it('a missing token is InvalidAccessKeyId; an expired token is 400 ExpiredToken', async () => {
    const sts = emu.mintTemporaryKeys({ bucket: BUCKET, prefix: '', durationSeconds: 60 });
    const creds = asCreds(sts);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { creds })).status, 200);
    const noToken = await cos(emu, 'GET', `/${BUCKET}/`, { creds: { secretId: creds.secretId, secretKey: creds.secretKey } });
    assert.match(await noToken.text(), /InvalidAccessKeyId/);
    emu.setClockOffset(120);
    try {
      const t = Math.floor(Date.now() / 1000) + 120;
      const r = await cos(emu, 'GET', `/${BUCKET}/`, { creds, keyTime: `${t - 1};${t + 60}` });
      assert.equal(r.status, 400);
      assert.match(await r.text(), /<Code>ExpiredToken<\/Code>/);
    } finally {
      emu.setClockOffset(0);
    }
  });

  it('presigned URLs work with a temporary key when the token rides in the query', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/pre/report 2024.pdf`, { body: 'pdf' });
    const sts = emu.mintTemporaryKeys({ bucket: BUCKET, prefix: 'pre/', actions: ['cos:GetObject'] });
    const url = new URL(`${emu.url}/${BUCKET}/pre/report%202024.pdf`);
    const auth = sign({
      secretId: sts.credentials.tmpSecretId,
      secretKey: sts.credentials.tmpSecretKey,
      method: 'GET',
      pathname: `/${BUCKET}/pre/report 2024.pdf`,
      query: { 'response-content-disposition': 'attachment; filename="r.pdf"' },
      headers: { host: url.host },
    });
    const target = `${url}?${auth}&x-cos-security-token=${sts.credentials.sessionToken}&response-content-disposition=${encodeURIComponent('attachment; filename="r.pdf"')}`;
    const r = await fetch(target);
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="r.pdf"');
    assert.equal(await r.text(), 'pdf');
    const noToken = await fetch(`${url}?${auth}`);
    assert.equal(noToken.status, 403);
  });

  it('the STS endpoint validates durationSeconds and accepts an explicit policy', async () => {
    const mint = (body: unknown) => cos(emu, 'POST', '/__coskit/sts', { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    assert.equal((await mint({ durationSeconds: 7201 })).status, 400);
    const ok = await mint({ durationSeconds: 7200, policy: { version: '2.0', statement: [{ effect: 'allow', action: ['name/cos:GetBucket'], resource: [`${R}/*`] }] } });
    assert.equal(ok.status, 200);
    const sts = (await ok.json()) as StsResponse;
    assert.equal(sts.expiredTime - sts.startTime, 7200);
    assert.match(sts.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { creds: asCreds(sts) })).status, 200);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/x`, { creds: asCreds(sts), body: 'x' })).status, 403);
  });
});
