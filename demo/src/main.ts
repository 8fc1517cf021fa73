/**
 * The main demo page: `<cos-uploader>` wired to the demo's storage, and a small playground on `CosClient`.
 */
import '@coskit/uploader/define';
import { isCosError, type CosClient, type ObjectSummary } from '@coskit/core';
import { createClient, el, formatSize, loadConfig, showMode, type DemoConfig } from './client.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function say(text: string, options: { error?: boolean; link?: string } = {}): void {
  const log = $<HTMLOutputElement>('pg-log');
  log.classList.toggle('error', options.error === true);
  log.replaceChildren(text);
  if (options.link) log.append(' ', el('a', { href: options.link, target: '_blank', rel: 'noopener', textContent: options.link }));
}

function describe(error: unknown): string {
  if (isCosError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

async function run(what: string, task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    console.warn(`${what} failed`, error);
    say(`${what} failed: ${describe(error)}`, { error: true });
  }
}

async function main(): Promise<void> {
  const config = await loadConfig();
  showMode(config);
  const client = createClient(config);
  setUpUploader(config, client);
  setUpPlayground(config, client);
}

function setUpUploader(config: DemoConfig, client: CosClient): void {
  const uploader = $<HTMLElementTagNameMap['cos-uploader']>('uploader');
  // Declarative wiring, as on any page: the element fetches temporary keys from `credentials-url` itself.
  uploader.setAttribute('bucket', config.bucket);
  uploader.setAttribute('region', config.region);
  uploader.setAttribute('prefix', config.prefix);
  if (config.endpoint) uploader.setAttribute('endpoint', config.endpoint);
  uploader.addEventListener('cos-upload-success', () => void refresh(config, client));
}

function setUpPlayground(config: DemoConfig, client: CosClient): void {
  const form = $<HTMLFormElement>('pg-upload');
  const fileInput = $<HTMLInputElement>('pg-file');
  const keyInput = $<HTMLInputElement>('pg-key');
  const progress = $<HTMLProgressElement>('pg-progress');
  keyInput.placeholder = `${config.prefix}<file name>`;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = fileInput.files?.[0];
    if (!file) return;
    const key = keyInput.value.trim() || `${config.prefix}${file.name}`;
    progress.hidden = false;
    progress.value = 0;
    void run('Upload', async () => {
      const result = await client.putObject({
        key,
        body: file,
        contentType: file.type || 'application/octet-stream',
        onProgress: ({ loaded, total }) => {
          progress.value = total ? (loaded / total) * 100 : 0;
        },
      });
      say(`Uploaded ${key} (ETag ${result.etag}, CRC-64 ${result.crc64 ?? 'n/a'}).`);
      form.reset();
      await refresh(config, client);
    }).finally(() => {
      progress.hidden = true;
    });
  });
  $('pg-refresh').addEventListener('click', () => void refresh(config, client));
  void refresh(config, client);
}

async function refresh(config: DemoConfig, client: CosClient): Promise<void> {
  await run('Listing', async () => {
    const page = await client.listObjects({ prefix: config.prefix, maxKeys: 100 });
    $('pg-rows').replaceChildren(...page.contents.map((object) => row(config, client, object)));
    $('pg-caption').hidden = page.contents.length > 0;
  });
}

function row(config: DemoConfig, client: CosClient, object: ObjectSummary): HTMLTableRowElement {
  const button = (label: string, className: string, action: () => Promise<void>) => {
    const b = el('button', { type: 'button', className, textContent: label });
    b.setAttribute('aria-label', `${label} ${object.key}`);
    b.addEventListener('click', () => void run(label, action));
    return b;
  };
  return el(
    'tr',
    {},
    el('td', { textContent: object.key }),
    el('td', { className: 'num', textContent: formatSize(object.size) }),
    el('td', { textContent: object.lastModified.toLocaleString() }),
    el(
      'td',
      { className: 'actions' },
      button('Download', '', async () => {
        const { body } = await client.getObject({ key: object.key, as: 'blob' });
        const url = URL.createObjectURL(body);
        const link = el('a', { href: url, download: object.key.slice(object.key.lastIndexOf('/') + 1) });
        link.click();
        // Revoking at once can cancel the download before the browser has read the Blob (seen in Firefox).
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        say(`Downloaded ${object.key} (${formatSize(body.size)}).`);
      }),
      ' ',
      button('Presign', '', async () => {
        const url = await client.getObjectUrl({ key: object.key, expires: 600 });
        say('GET URL valid for 10 minutes:', { link: url });
      }),
      ' ',
      button('Delete', 'danger', async () => {
        await client.deleteObject({ key: object.key });
        say(`Deleted ${object.key}.`);
        await refresh(config, client);
      }),
    ),
  );
}

main().catch((error: unknown) => say(`The demo could not start: ${describe(error)}`, { error: true }));
