import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/index.ts';
import { BUCKET, cos, start } from './support/emu.ts';

const RULES = `<LifecycleConfiguration>
<Rule><ID>tmp</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
<Rule><ID>off</ID><Filter><Prefix>off/</Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>
</LifecycleConfiguration>`;

describe('lifecycle', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await start({ lifecycleIntervalMs: 50 });
  });
  after(() => emu.close());

  it('stores, returns and deletes the configuration', async () => {
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/`, { query: { lifecycle: '' } })).status, 404);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/`, { query: { lifecycle: '' }, body: RULES })).status, 200);
    const got = await (await cos(emu, 'GET', `/${BUCKET}/`, { query: { lifecycle: '' } })).text();
    assert.match(got, /<ID>tmp<\/ID><Filter><Prefix>tmp\/<\/Prefix><\/Filter><Status>Enabled<\/Status><Expiration><Days>1<\/Days><\/Expiration>/);
    assert.equal((await cos(emu, 'PUT', `/${BUCKET}/`, { query: { lifecycle: '' }, body: '<LifecycleConfiguration><Rule><Status>Maybe</Status></Rule></LifecycleConfiguration>' })).status, 400);
  });

  it('expires matching objects once their days have passed (lazily on access and by the sweeper)', async () => {
    await cos(emu, 'PUT', `/${BUCKET}/`, { query: { lifecycle: '' }, body: RULES });
    for (const k of ['tmp/a', 'tmp/b', 'off/a', 'keep/a']) await cos(emu, 'PUT', `/${BUCKET}/${k}`, { body: k });
    assert.equal((await cos(emu, 'GET', `/${BUCKET}/tmp/a`)).status, 200);
    const offset = 2 * 86400 + 60;
    emu.setClockOffset(offset);
    const t = Math.floor(Date.now() / 1000) + offset;
    try {
      assert.equal((await cos(emu, 'GET', `/${BUCKET}/tmp/a`, { keyTime: `${t - 1};${t + 600}` })).status, 404);
      await sleep(200);
      emu.setClockOffset(0);
      const list = await (await cos(emu, 'GET', `/${BUCKET}/`)).text();
      assert.doesNotMatch(list, /<Key>tmp\//);
      assert.match(list, /<Key>off\/a<\/Key>/);
      assert.match(list, /<Key>keep\/a<\/Key>/);
    } finally {
      emu.setClockOffset(0);
    }
    assert.equal((await cos(emu, 'DELETE', `/${BUCKET}/`, { query: { lifecycle: '' } })).status, 204);
  });
});
