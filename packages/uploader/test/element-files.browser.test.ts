/**
 * `<cos-uploader>`: which files get in (limits with reasons), folders and drops, keys, safe rendering, language.
 * `auto-start="false"` keeps these tests off the upload path; the upload tests are in element-upload.
 */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type { CosUploader } from '../src/element/cos-uploader.component.ts';
import { filesFromSource, type EntryLike } from '../src/element/drop.ts';
import type { CosFileRejectedDetail } from '../src/element/events.ts';
import { expectInvalidArgument } from '../../../test/support/assert.ts';
import { emulatorClient, makeFile, mount, part, parts, uniquePrefix, unmountAll, waitFor } from './element-helpers.ts';

async function idle(prefix = uniquePrefix('files'), attributes: Record<string, string | true> = {}): Promise<CosUploader> {
  return mount({ 'auto-start': 'false', prefix, ...attributes }, { client: await emulatorClient() });
}

function collectRejections(el: CosUploader): CosFileRejectedDetail[] {
  const out: CosFileRejectedDetail[] = [];
  el.addEventListener('cos-file-rejected', (e) => out.push(e.detail));
  return out;
}

describe('<cos-uploader> adding files', () => {
  afterEach(unmountAll);

  it('applies accept, size, count and total limits, showing and emitting each reason', async () => {
    const el = await mount(
      { 'auto-start': 'false', multiple: true, accept: 'image/*,.pdf', 'max-file-size': '1 KB', 'min-file-size': '10', 'max-files': '3', 'max-total-size': '1750' },
      { client: await emulatorClient() },
    );
    const rejected = collectRejections(el);
    const added: string[] = [];
    el.addEventListener('cos-file-added', (e) => added.push(e.detail.item.file.name));
    const items = el.addFiles([
      makeFile('a.png', 800, 'image/png'),
      makeFile('notes.txt', 100, 'text/plain'),
      makeFile('big.png', 1025, 'image/png'),
      makeFile('tiny.png', 9, 'image/png'),
      makeFile('doc.PDF', 900, ''),
      makeFile('b.png', 400, 'image/png'),
      makeFile('c.png', 100, 'image/png'),
    ]);
    expect(items.map((i) => i.file.name)).to.deep.equal(['a.png', 'doc.PDF']);
    expect(added).to.deep.equal(['a.png', 'doc.PDF']);
    expect(rejected.map((r) => [r.file.name, r.reason])).to.deep.equal([
      ['notes.txt', 'type'],
      ['big.png', 'too-large'],
      ['tiny.png', 'too-small'],
      ['b.png', 'total-too-large'],
      ['c.png', 'total-too-large'],
    ]);
    el.addFiles([makeFile('d.png', 10, 'image/png'), makeFile('e.png', 10, 'image/png')]);
    expect(el.items.map((i) => i.file.name)).to.deep.equal(['a.png', 'doc.PDF', 'd.png']);
    expect(rejected.at(-1)).to.include({ reason: 'too-many' });
    await el.updateComplete;
    const rows = parts(el, 'rejection').map((row) => row.textContent!.replace(/\s+/g, ' '));
    expect(rows[0]).to.contain('notes.txt').and.contain('not accepted').and.contain('image/*,.pdf');
    expect(rows[1]).to.contain('big.png').and.contain('1 KB');
    expect(rows.at(-1)).to.contain('e.png').and.contain('More than 3');
    // Dismissing a rejection removes its row.
    part<HTMLButtonElement>(el, 'dismiss-button').click();
    await el.updateComplete;
    expect(parts(el, 'rejection')).to.have.length(rows.length - 1);
  });

  it('rejects the same file twice, and adds one file per pick without `multiple`', async () => {
    const el = await idle();
    const rejected = collectRejections(el);
    const file = makeFile('same.bin', 50);
    el.addFiles([file, makeFile('second.bin', 50)]);
    el.addFiles([file]);
    expect(el.items.map((i) => i.file.name)).to.deep.equal(['same.bin']);
    expect(rejected.map((r) => r.reason)).to.deep.equal(['too-many', 'duplicate']);
  });

  it('throws a typed InvalidArgument before any request for a malformed limit or a missing configuration', async () => {
    const el = await idle(uniquePrefix('bad'), { 'max-file-size': 'lots' });
    const error = await expectInvalidArgument(async () => el.addFiles([makeFile('x.bin', 5)]));
    expect(error.message).to.contain('max-file-size');
    const bare = await mount({});
    await expectInvalidArgument(async () => bare.addFiles([makeFile('y.bin', 5)]));
    // Picking files in the UI shows the problem instead of throwing.
    const input = shadowInput(bare);
    const data = new DataTransfer();
    data.items.add(makeFile('z.bin', 5));
    input.files = data.files;
    input.dispatchEvent(new Event('change'));
    await bare.updateComplete;
    expect(part(bare, 'error').textContent).to.contain('credentials');
    expect(part(bare, 'error').getAttribute('role')).to.equal('alert');
  });

  it('names objects from prefix + safe relative path by default, from key-template tokens, or from keyFor', async () => {
    const prefix = uniquePrefix('keys');
    const el = await idle(prefix, { multiple: true });
    el.addFiles([
      { file: makeFile('a.txt', 3), relativePath: 'docs/2024/a.txt' },
      { file: makeFile('evil.txt', 3), relativePath: '../../etc//./evil.txt' },
    ]);
    expect(el.items.map((i) => i.key)).to.deep.equal([`${prefix}docs/2024/a.txt`, `${prefix}etc/evil.txt`]);
    expect(el.items[0]!.relativePath).to.equal('docs/2024/a.txt');

    const templated = await idle('up/', { multiple: true, 'key-template': '{prefix}{date}/{dir}{name}-{size}{ext}' });
    templated.addFiles([{ file: makeFile('Photo.JPG', 7), relativePath: 'trip/Photo.JPG' }]);
    const today = new Date().toISOString().slice(0, 10);
    expect(templated.items[0]!.key).to.equal(`up/${today}/trip/Photo-7.jpg`);

    const uuid = await idle('u/', { 'key-template': '{prefix}{uuid}{ext}' });
    uuid.addFiles([makeFile('x.tar.gz', 1)]);
    expect(uuid.items[0]!.key).to.match(/^u\/[0-9a-f-]{36}\.gz$/);

    const custom = await idle();
    custom.keyFor = (file, relativePath) => `custom/${relativePath ?? 'loose'}/${file.size}`;
    custom.addFiles([makeFile('k.bin', 11)]);
    expect(custom.items[0]!.key).to.equal('custom/loose/11');
  });

  it('walks dropped folders (all readEntries batches) keeping relative paths', async () => {
    const file = (path: string): EntryLike => ({
      isFile: true,
      isDirectory: false,
      name: path.split('/').pop()!,
      fullPath: `/${path}`,
      file: (ok) => ok(makeFile(path.split('/').pop()!, 4)),
    });
    const dir = (path: string, children: EntryLike[], batch = 100): EntryLike => ({
      isFile: false,
      isDirectory: true,
      name: path.split('/').pop()!,
      fullPath: `/${path}`,
      createReader: () => {
        let offset = 0;
        return {
          readEntries: (ok) => {
            ok(children.slice(offset, offset + batch));
            offset += batch;
          },
        };
      },
    });
    const many = Array.from({ length: 5 }, (_, i) => file(`photos/2024/p${i}.jpg`));
    const tree = dir('photos', [file('photos/cover.jpg'), dir('photos/2024', many, 2)], 1);
    const found = await filesFromSource({ entries: [tree, file('loose.txt')], files: [] });
    expect(found.map((f) => f.relativePath ?? f.file.name)).to.deep.equal([
      'photos/cover.jpg',
      'photos/2024/p0.jpg',
      'photos/2024/p1.jpg',
      'photos/2024/p2.jpg',
      'photos/2024/p3.jpg',
      'photos/2024/p4.jpg',
      'loose.txt',
    ]);
  });

  it('adds dropped and pasted files, and highlights the drop zone while dragging', async () => {
    const el = await idle(uniquePrefix('drop'), { multiple: true });
    const base = part(el, 'base');
    const data = new DataTransfer();
    data.items.add(makeFile('dropped-1.txt', 5, 'text/plain'));
    data.items.add(makeFile('dropped-2.txt', 6, 'text/plain'));
    base.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true, composed: true }));
    await el.updateComplete;
    expect(part(el, 'dropzone').hasAttribute('data-dragging')).to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, composed: true });
    base.dispatchEvent(drop);
    expect(drop.defaultPrevented, 'drop handled (no navigation to the file)').to.equal(true);
    await waitFor(() => el.items.length === 2, 'dropped files in the list');
    expect(part(el, 'dropzone').hasAttribute('data-dragging')).to.equal(false);

    const clip = new DataTransfer();
    clip.items.add(makeFile('pasted.png', 8, 'image/png'));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clip, bubbles: true, cancelable: true }));
    await waitFor(() => el.items.length === 3, 'pasted file in the list');
    expect(el.items.map((i) => i.file.name).sort()).to.deep.equal(['dropped-1.txt', 'dropped-2.txt', 'pasted.png']);
  });

  it('ignores drops, pastes and the picker while disabled', async () => {
    const el = await idle(uniquePrefix('disabled'), { multiple: true, disabled: true });
    const data = new DataTransfer();
    data.items.add(makeFile('nope.txt', 5, 'text/plain'));
    part(el, 'base').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(el.items).to.have.length(0);
    expect(part<HTMLButtonElement>(el, 'browse-button').disabled).to.equal(true);
  });

  it('renders hostile file names as text', async () => {
    const el = await idle(uniquePrefix('xss'), { multiple: true, 'max-file-size': '100' });
    const names = ['<img src=x onerror="window.__pwned=1">.png', '"><script>window.__pwned=2</script>.txt', '<b>big</b>.bin'];
    el.addFiles([makeFile(names[0]!, 10, 'image/png'), makeFile(names[1]!, 10, 'text/plain'), makeFile(names[2]!, 500)]);
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const root = el.shadowRoot!;
    expect(root.querySelector('img[src="x"]'), 'no <img> made from a name').to.equal(null);
    expect(root.querySelector('script, b')).to.equal(null);
    expect(parts(el, 'item-name').map((n) => n.textContent)).to.deep.equal(names.slice(0, 2));
    expect(part(el, 'rejection-name').textContent).to.equal(names[2]);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('makes thumbnails lazily for images and revokes their object URLs', async () => {
    const el = await idle(uniquePrefix('thumbs'), { multiple: true });
    const canvas = new OffscreenCanvas(8, 8);
    canvas.getContext('2d')!.fillRect(0, 0, 8, 8);
    const png = new File([await canvas.convertToBlob({ type: 'image/png' })], 'dot.png', { type: 'image/png' });
    el.addFiles([png, makeFile('data.bin', 10)]);
    await waitFor(() => parts(el, 'thumbnail-image').length === 1, 'the thumbnail image');
    const img = part<HTMLImageElement>(el, 'thumbnail-image');
    await waitFor(() => img.complete && img.naturalWidth === 8, 'the thumbnail to load');
    let revoked = false;
    await fetch(img.src).catch(() => (revoked = true));
    expect(revoked, 'object URL revoked after load').to.equal(true);
    expect(img.alt).to.equal('');
  });

  it('speaks Simplified Chinese under lang="zh-CN" and follows lang changes and string overrides', async () => {
    const host = document.createElement('div');
    host.lang = 'zh-CN';
    document.body.append(host);
    try {
      const el = await mount({ 'auto-start': 'false', 'max-file-size': '1KB' }, { client: await emulatorClient() }, host);
      expect(part(el, 'browse-button').textContent!.trim()).to.equal('选择文件');
      const rejected = collectRejections(el);
      el.addFiles([makeFile('大文件.bin', 2048)]);
      await el.updateComplete;
      expect(rejected[0]!.message).to.equal('超过大小上限 1 KB');
      expect(part(el, 'rejection-reason').textContent).to.equal('超过大小上限 1 KB');
      el.setAttribute('lang', 'en');
      await waitFor(() => part(el, 'browse-button').textContent!.trim() === 'Choose files', 'English after lang="en"');
      el.strings = { browse: 'Pick files', states: { queued: 'Waiting' } };
      el.addFiles([makeFile('ok.bin', 10)]);
      await el.updateComplete;
      expect(part(el, 'browse-button').textContent!.trim()).to.equal('Pick files');
      expect(part(el, 'item-state').textContent).to.equal('Waiting');
    } finally {
      host.remove();
    }
  });

  it('picks folders with `directory`, takes slotted drop-zone and empty-state content, and goes compact when narrow', async () => {
    const el = await idle(uniquePrefix('layout'), { directory: true });
    expect(part(el, 'browse-button').textContent!.trim()).to.equal('Choose a folder');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    expect(input.webkitdirectory).to.equal(true);
    expect(input.multiple).to.equal(true);

    const slotted = await idle();
    slotted.innerHTML = '<span slot="drop-zone">Put invoices here</span><em slot="empty">Nothing yet</em>';
    const drop = part(slotted, 'drop-label').querySelector('slot')!;
    const empty = part(slotted, 'empty').querySelector('slot')!;
    expect(drop.assignedElements().map((e) => e.textContent)).to.deep.equal(['Put invoices here']);
    expect(empty.assignedElements().map((e) => e.textContent)).to.deep.equal(['Nothing yet']);

    slotted.addFiles([makeFile('row.bin', 10)]);
    await slotted.updateComplete;
    const thumbnail = part(slotted, 'thumbnail');
    expect(getComputedStyle(thumbnail).display).to.not.equal('none');
    slotted.style.width = '320px';
    await waitFor(() => getComputedStyle(thumbnail).display === 'none', 'the compact layout (no thumbnails)');
  });

  it('opens the file picker from the keyboard (Tab, then Enter or Space)', async () => {
    const el = await idle();
    const input = shadowInput(el);
    let opened = 0;
    input.addEventListener('click', (e) => {
      e.preventDefault(); // no native dialog in the test browser
      opened++;
    });
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    try {
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'browse-button'));
      await sendKeys({ press: 'Enter' });
      await sendKeys({ press: 'Space' });
      expect(opened).to.equal(2);
    } finally {
      before.remove();
    }
  });
});

function shadowInput(el: CosUploader): HTMLInputElement {
  return el.shadowRoot!.querySelector('input[type=file]')!;
}
