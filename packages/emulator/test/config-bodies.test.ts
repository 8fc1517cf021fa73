import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';

const md5b64 = (s: string) => createHash('md5').update(s).digest('base64');

const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`;
const LIFECYCLE = `<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>
<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
<Transition><Date>2099-01-01T00:00:00+08:00</Date><StorageClass>ARCHIVE</StorageClass></Transition></Rule></LifecycleConfiguration>`;
const ACL = `<AccessControlPolicy><Owner><ID>qcs::cam::uin/1250000000:uin/1250000000</ID></Owner><AccessControlList>
<Grant><Grantee><URI>http://cam.qcloud.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`;

describe('bucket configuration bodies', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start();
  });
  after(() => emu.close());

  it('?cors, ?lifecycle and ?acl bodies are checked against Content-MD5 (BadDigest / InvalidDigest), nothing stored on failure', async () => {
    for (const [sub, body] of [['cors', CORS], ['lifecycle', LIFECYCLE], ['acl', ACL]] as const) {
      const wrong = await cos(emu, 'PUT', `/${BUCKET}/`, { query: { [sub]: '' }, body, headers: { 'Content-MD5': md5b64(`${body} `) } });
      assert.equal(wrong.status, 400, sub);
      assert.match(await wrong.text(), /<Code>BadDigest<\/Code>/, sub);
      const malformed = await cos(emu, 'PUT', `/${BUCKET}/`, { query: { [sub]: '' }, body, headers: { 'Content-MD5': 'not-md5' } });
      assert.equal(malformed.status, 400, sub);
      assert.match(await malformed.text(), /<Code>InvalidDigest<\/Code>/, sub);
    }
    assert.doesNotMatch(await (await cos(emu, 'GET', `/${BUCKET}/`, { query: { cors: '' } })).text(), /a\.example\.com/);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { query: { lifecycle: '' } })).status, 404);
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { query: { acl: '' } })).headers.get('x-cos-acl'), 'private');

    for (const [sub, body] of [['cors', CORS], ['lifecycle', LIFECYCLE], ['acl', ACL]] as const) {
      const ok = await cos(emu, 'PUT', `/${BUCKET}/`, { query: { [sub]: '' }, body, headers: { 'Content-MD5': md5b64(body) } });
      assert.equal(ok.status, 200, `${sub}: ${await ok.text()}`);
    }
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { query: { acl: '' } })).headers.get('x-cos-acl'), 'public-read');
  });

  it('lifecycle Transition rules are stored and returned; a rule without any action is MalformedXML, bad values InvalidArgument', async () => {
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/`, { query: { lifecycle: '' }, body: LIFECYCLE })).status, 200);
    const got = await (await cos(emu, 'GET', `/${BUCKET}/`, { query: { lifecycle: '' } })).text();
    assert.match(
      got,
      /<Status>Enabled<\/Status><Transition><Days>30<\/Days><StorageClass>STANDARD_IA<\/StorageClass><\/Transition><Transition><Date>2099-01-01T00:00:00\+08:00<\/Date><StorageClass>ARCHIVE<\/StorageClass><\/Transition><\/Rule>/,
    );
    const put = (rule: string) =>
      cos(emu, 'PUT', `/${BUCKET}/`, { query: { lifecycle: '' }, body: `<LifecycleConfiguration><Rule><ID>x</ID><Status>Enabled</Status>${rule}</Rule></LifecycleConfiguration>` });
    const empty = await put('<Filter><Prefix>a/</Prefix></Filter>');
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /<Code>MalformedXML<\/Code>/);
    const badClass = await put('<Transition><Days>1</Days><StorageClass>COLD</StorageClass></Transition>');
    assert.equal(badClass.status, 400);
    assert.match(await badClass.text(), /<Code>InvalidArgument<\/Code>/);
    const badAbort = await put('<AbortIncompleteMultipartUpload><DaysAfterInitiation>soon</DaysAfterInitiation></AbortIncompleteMultipartUpload>');
    assert.equal(badAbort.status, 400);
    assert.match(await badAbort.text(), /<Code>InvalidArgument<\/Code>/);
    // The stored configuration is untouched by the refused ones.
    assert.match(await (await cos(emu, 'GET', `/${BUCKET}/`, { query: { lifecycle: '' } })).text(), /<StorageClass>ARCHIVE<\/StorageClass>/);
  });
});
