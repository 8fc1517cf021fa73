/**
 * `npm run demo`, end to end in Chromium: the demo server (in-memory emulator, credentials route, script-tag build
 * on its own origin, Vite) on free ports; each page loaded; files uploaded through the widget's own file input;
 * the image shown by the gallery through a presigned URL; no CSP violation and no console error anywhere.
 * Saves docs/screenshots/demo-{light,dark}.png taken mid-upload (a delay fault slows the big file's parts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CosClient, isCosServiceError, type StsCredentialsShape } from '@coskit/core';
import { startDemo, type RunningDemo } from '../../demo/serve.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../support/chromium.ts';

// Screenshots for a person to look at: test-results/ on every run; UPDATE_SCREENSHOTS=1 refreshes the README's copies.
const SCREENSHOTS = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOTS ? '../../docs/screenshots/' : '../../test-results/screenshots/', import.meta.url),
);
const MiB = 1024 * 1024;

/** What a page reported: CSP violations (from a `securitypolicyviolation` listener) and console errors. */
interface Problems {
  csp: string[];
  console: string[];
}

let demo: RunningDemo;
let context: BrowserContext;
let profile: string;

/** Opens `path` with listeners for CSP violations and console errors attached before any page script runs. */
async function open(path: string): Promise<{ page: Page; problems: Problems }> {
  const problems: Problems = { csp: [], console: [] };
  const page = await context.newPage();
  await page.exposeBinding('__reportCsp', (_source, line: string) => void problems.csp.push(line));
  // Injected by the DevTools protocol, so the page's own CSP does not block the listener itself.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(line: string): void }).__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.console.push(`${path}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.console.push(`${path}: uncaught ${error.message}`));
  await page.goto(new URL(path, demo.url).href);
  return { page, problems };
}

/** Puts files into `<cos-uploader>` through its inner `<input type=file>` (part="input"), as a user's pick would. */
async function pick(page: Page, files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
  await page.locator('cos-uploader input[type=file]').setInputFiles(files);
}

/** Resolves with the keys of `cos-upload-success` events once `count` of them arrived; rejects on `cos-upload-error`. */
function successes(page: Page, count: number): Promise<string[]> {
  return page.evaluate(
    (n) =>
      new Promise<string[]>((resolve, reject) => {
        const keys: string[] = [];
        const uploader = document.querySelector('cos-uploader')!;
        uploader.addEventListener('cos-upload-success', (e) => {
          keys.push((e as CustomEvent<{ key: string }>).detail.key);
          if (keys.length === n) resolve(keys);
        });
        uploader.addEventListener('cos-upload-error', (e) => {
          const error = (e as CustomEvent<{ error: { code?: string; message: string } }>).detail.error;
          reject(new Error(`upload failed: ${error.code ?? ''} ${error.message}`));
        });
      }),
    count,
  );
}

/** The total progress the element shows, 0..100 (its `role=progressbar` value). */
function totalPercent(page: Page): Promise<number> {
  return page.evaluate(() => {
    const bar = document.querySelector('cos-uploader')?.shadowRoot?.querySelector('[part~="total-progress"]');
    return Number(bar?.getAttribute('aria-valuenow') ?? 0);
  });
}

async function setFaults(config: object): Promise<void> {
  const response = await fetch(new URL('/__coskit/faults', demo.backend.emulatorUrl), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  assert.equal(response.status, 200, await response.text());
}

function assertClean(problems: Problems): void {
  assert.deepEqual(problems.csp, [], 'CSP violations');
  assert.deepEqual(problems.console, [], 'console errors');
}

describe('npm run demo', { timeout: 90_000 }, () => {
  let png: Buffer;

  before(async () => {
    demo = await startDemo({ port: 0, cos: undefined, emulator: { memory: true, port: 0, quiet: true }, log: () => {}, watch: false });
    profile = await mkdtemp(join(tmpdir(), 'coskit-demo-chromium-'));
    // A persistent context is how Playwright takes a fresh --user-data-dir.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS], viewport: { width: 1100, height: 900 } });
    const scratch = await context.newPage();
    await scratch.setContent(
      '<body style="margin:0;width:160px;height:120px;display:grid;place-items:center;background:linear-gradient(135deg,#0052d9,#4cc38a)">' +
        '<b style="font:700 28px system-ui;color:#fff">coskit</b></body>',
    );
    // A real PNG to upload (and for the gallery to decode): a screenshot of a small picture.
    png = await scratch.screenshot({ clip: { x: 0, y: 0, width: 160, height: 120 } });
    await scratch.close();
  });

  after(async () => {
    await context?.close();
    await demo?.close();
    await rm(profile, { recursive: true, force: true });
  });

  it('serves /api/config, and temporary keys that work under uploads/ and nowhere else', async () => {
    const config = (await (await fetch(new URL('/api/config', demo.url))).json()) as {
      mode: string;
      bucket: string;
      region: string;
      prefix: string;
      endpoint: string;
    };
    assert.equal(config.mode, 'emulator');
    assert.equal(config.prefix, 'uploads/');
    assert.match(config.endpoint, /^http:\/\/\{Bucket\}\.cos\.\{Region\}\.localhost:\d+$/);
    // Node does not resolve *.localhost: path-style on the emulator's loopback URL reaches the same bucket.
    const client = new CosClient({
      bucket: config.bucket,
      region: config.region,
      endpoint: demo.backend.emulatorUrl,
      forcePathStyle: true,
      credentials: async () => (await (await fetch(new URL('/api/sts', demo.url))).json()) as StsCredentialsShape,
    });
    await client.putObject({ key: 'uploads/keys-check.txt', body: 'inside the prefix' });
    const outside = await client.putObject({ key: 'elsewhere/keys-check.txt', body: 'outside' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(isCosServiceError(outside), `expected a service error, got ${String(outside)}`);
    assert.equal(outside.code, 'AccessDenied');
    await client.deleteObject({ key: 'uploads/keys-check.txt' });
  });

  it('uploads through the widget on the main page; screenshots mid-upload in light and dark', async () => {
    const { page, problems } = await open('/');
    // The first page of a cold checkout is compiled on demand by Vite: allow for that, and say what the page
    // reported if the element still never registered.
    await page.waitForFunction(() => customElements.get('cos-uploader') !== undefined, undefined, { timeout: 90_000 }).catch((error: unknown) => {
      throw new Error(`<cos-uploader> was never defined; page problems: ${JSON.stringify(problems)}`, { cause: error });
    });
    // 1 MB parts, each answered 2 s late, keep the big file in flight long enough to photograph.
    await page.locator('cos-uploader').evaluate((el) => el.setAttribute('part-size', '1MB'));
    await setFaults({ rules: [{ key: 'uploads/big', kind: 'delay', delayMs: 2000 }] });
    const done = successes(page, 2);
    await pick(page, [
      { name: 'photo.png', mimeType: 'image/png', buffer: png },
      { name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10 * MiB, 7) },
    ]);
    await page.waitForFunction(
      () => {
        const bar = document.querySelector('cos-uploader')?.shadowRoot?.querySelector('[part~="total-progress"]');
        const value = Number(bar?.getAttribute('aria-valuenow') ?? 0);
        return value >= 15 && value <= 85;
      },
      undefined,
      { timeout: 20_000, polling: 50 },
    );
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      // Reduced motion: colours and bars are final in the picture, not caught mid-transition.
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await writeFile(join(SCREENSHOTS, `demo-${scheme}.png`), await page.screenshot());
      assert.ok((await totalPercent(page)) < 100, `the ${scheme} screenshot shows an upload in progress`);
    }
    await setFaults({ rules: [] });
    assert.deepEqual((await done).sort(), ['uploads/big.bin', 'uploads/photo.png']);
    // The playground's table (CosClient.listObjects) lists both after the success events.
    await page.locator('#pg-rows td', { hasText: 'uploads/big.bin' }).waitFor();
    await page.locator('#pg-rows td', { hasText: 'uploads/photo.png' }).waitFor();
    assertClean(problems);
    await page.close();
  });

  it('shows the uploaded image in the gallery through a presigned URL', async () => {
    const { page, problems } = await open('/gallery.html');
    const img = page.locator('img[alt="photo.png"]');
    await img.waitFor();
    await page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('img[alt="photo.png"]');
      return image !== null && image.complete && image.naturalWidth > 0;
    });
    assert.match((await img.getAttribute('src')) ?? '', /[?&]q-signature=[0-9a-f]{40}/);
    assert.equal(await page.locator('img[alt="big.bin"]').count(), 0, 'only images are shown');
    assertClean(problems);
    await page.close();
  });

  it('uploads with only the script-tag build from another origin, under a strict CSP, hashing in a Blob-URL worker', async () => {
    const workers: string[] = [];
    const { page, problems } = await open('/script-tag.html');
    page.on('worker', (w) => workers.push(w.url()));
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.ok(csp && !csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), `strict CSP: ${csp}`);
    const scriptSrc = await page.locator('script[src$="coskit.iife.js"]').getAttribute('src');
    assert.notEqual(new URL(scriptSrc!).origin, new URL(demo.url).origin, 'the bundle comes from another origin');
    await page.waitForFunction(() => typeof (window as { CosKit?: { CosClient?: unknown } }).CosKit?.CosClient === 'function');
    const done = successes(page, 1);
    await pick(page, [{ name: 'from-script-tag.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from one script tag\n') }]);
    assert.deepEqual(await done, ['uploads/from-script-tag.txt']);
    assert.ok(workers.some((url) => url.startsWith('blob:')), `a Blob-URL hash worker ran (workers: ${workers.join(', ') || 'none'})`);
    // The page lists the bucket with `new CosKit.CosClient(...)` after the upload.
    await page.locator('#stored li', { hasText: 'uploads/from-script-tag.txt' }).waitFor();
    assertClean(problems);
    await page.close();
  });
});
