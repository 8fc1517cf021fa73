/**
 * The gallery: thumbnails of the images under the demo prefix, each an `<img>` on a presigned GET URL, so the
 * browser fetches the bytes straight from storage with no credentials in headers.
 */
import { isCosError, listAllObjects, type CosClient } from '@coskit/core';
import { createClient, el, formatSize, loadConfig, showMode, type DemoConfig } from './client.ts';

const IMAGE = /\.(avif|gif|jpe?g|png|svg|webp|bmp|ico)$/i;

async function render(config: DemoConfig, client: CosClient): Promise<void> {
  const items: HTMLLIElement[] = [];
  for await (const object of listAllObjects(client, { prefix: config.prefix })) {
    if (!IMAGE.test(object.key)) continue;
    const src = await client.getObjectUrl({ key: object.key });
    const name = object.key.slice(config.prefix.length);
    items.push(
      el(
        'li',
        {},
        el(
          'figure',
          {},
          el('img', { src, alt: name, loading: 'lazy', decoding: 'async' }),
          el('figcaption', { textContent: `${name} · ${formatSize(object.size)}`, title: object.key }),
        ),
      ),
    );
  }
  document.getElementById('gallery')!.replaceChildren(...items);
  document.getElementById('empty')!.hidden = items.length > 0;
}

async function main(): Promise<void> {
  const config = await loadConfig();
  showMode(config);
  const client = createClient(config);
  const refresh = () =>
    render(config, client).catch((error: unknown) => {
      const log = document.getElementById('log')!;
      log.classList.add('error');
      log.textContent = `Listing failed: ${isCosError(error) ? `${error.code}: ${error.message}` : String(error)}`;
    });
  document.getElementById('refresh')!.addEventListener('click', () => void refresh());
  await refresh();
}

void main();
