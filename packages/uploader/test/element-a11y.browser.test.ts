/**
 * `<cos-uploader>` under axe-core: no violations with files in every state in the list, rejections and the
 * unfinished-upload section shown, in light and dark, wide and narrow.
 */
import { expect } from 'chai';
import 'axe-core';
import type AxeCore from 'axe-core';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import type { CosUploader } from '../src/element/cos-uploader.component.ts';
import { emulatorClient, makeFile, mount, nextEvent, parts, setFaults, uniquePrefix, unmountAll, waitFor } from './element-helpers.ts';

// axe-core is a UMD script: without a CommonJS transform it has no default export, so it installs `window.axe`.
const axe = (globalThis as unknown as { axe: typeof AxeCore }).axe;

async function audit(el: CosUploader): Promise<void> {
  const result = await axe.run(el, { resultTypes: ['violations'] });
  const summary = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, 'axe violations').to.deep.equal([]);
}

/** An element with a done, a failed, a queued and a rejected file. */
async function populated(attributes: Record<string, string | true> = {}): Promise<CosUploader> {
  const client = await emulatorClient({ retry: { limit: 0 } });
  const prefix = uniquePrefix('a11y');
  await setFaults([{ op: 'PutObject', key: `${prefix}broken`, kind: 'error500', count: 1 }]);
  const el = await mount({ prefix, multiple: true, 'max-file-size': '1 MB', ...attributes }, { client });
  const complete = nextEvent(el, 'cos-queue-complete');
  el.addFiles([makeFile('report.pdf', 1000, 'application/pdf'), makeFile('broken.txt', 10, 'text/plain'), makeFile('huge.iso', 2 * 1024 * 1024)]);
  await complete;
  el.autoStart = false;
  el.addFiles([makeFile('later.txt', 10, 'text/plain')]);
  await el.updateComplete;
  await waitFor(() => parts(el, 'item').length === 3, 'three rows');
  return el;
}

describe('<cos-uploader> accessibility', function () {
  this.timeout(60_000);
  afterEach(async () => {
    unmountAll();
    await setFaults([]);
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
    await setViewport({ width: 800, height: 600 });
  });

  it('has no axe violations when empty', async () => {
    const el = await mount({ 'auto-start': 'false' }, { client: await emulatorClient() });
    await audit(el);
  });

  it('has no axe violations with files in the list (light)', async () => {
    const el = await populated();
    expect(el.items.map((i) => i.state).sort()).to.deep.equal(['done', 'failed', 'queued']);
    expect(parts(el, 'rejection')).to.have.length(1);
    await audit(el);
  });

  it('has no axe violations in dark mode, forced or from the system, and on a narrow screen', async () => {
    const forced = await populated({ theme: 'dark' });
    expect(getComputedStyle(forced).getPropertyValue('--cos-color-background').trim()).to.equal('#16191d');
    await audit(forced);
    unmountAll();
    await emulateMedia({ colorScheme: 'dark' });
    await setViewport({ width: 360, height: 640 });
    const system = await populated();
    expect(getComputedStyle(system).getPropertyValue('--cos-color-background').trim()).to.equal('#16191d');
    await audit(system);
    // theme="light" wins over the system's dark preference.
    system.theme = 'light';
    await system.updateComplete;
    expect(getComputedStyle(system).getPropertyValue('--cos-color-background').trim()).to.equal('#ffffff');
  });

  it('turns transitions off under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await populated();
    const bar = el.shadowRoot!.querySelector('.progress-bar')!;
    expect(getComputedStyle(bar).transitionDuration).to.equal('0s');
  });
});
