/**
 * Shared by the `<cos-uploader>` browser tests: a client on the run's emulator (static keys, or temporary keys
 * minted through the emulator's STS endpoint), mounting the element, waiting for events/conditions, and the
 * emulator's admin API (faults).
 */
import { type CosClient, getAuthorization, type CosClientOptions } from '@coskit/core';
import '../src/define.ts';
import type { CosUploader } from '../src/element/cos-uploader.component.ts';
import { testEnv, type TestEnv, clientFor } from '../../../test/support/env.ts';

export { testEnv };

/** A client with the emulator's permanent keys (fine in a test page; it warns in the console). */
export async function emulatorClient(options: Partial<CosClientOptions> = {}): Promise<CosClient> {
  return clientFor(await testEnv(), options);
}

/** Temporary keys from the emulator's `POST /__coskit/sts`, signed with the permanent key (qcloud-cos-sts shape). */
export async function mintTemporaryKeys(env: TestEnv, request: Record<string, unknown> = {}): Promise<unknown> {
  const url = new URL('/__coskit/sts', env.url);
  const authorization = await getAuthorization({
    secretId: env.secretId,
    secretKey: env.secretKey,
    method: 'POST',
    pathname: url.pathname,
    headers: { host: url.host },
  });
  const response = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(request) });
  if (!response.ok) throw new Error(`STS answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Replaces the emulator's fault rules (`[]` clears them). */
export async function setFaults(rules: unknown[]): Promise<void> {
  const env = await testEnv();
  const response = await fetch(new URL('/__coskit/faults', env.url), { method: 'PUT', body: JSON.stringify({ rules }) });
  if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
}

/** A unique key prefix per test, so tests never see each other's objects. */
export function uniquePrefix(label: string): string {
  return `element-test/${label}-${crypto.randomUUID().slice(0, 8)}/`;
}

/** A file of `size` pseudo-random bytes (random so CRC checks mean something). */
export function makeFile(name: string, size: number, type = 'application/octet-stream', lastModified = 1_700_000_000_000): File {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  return new File([bytes], name, { type, lastModified });
}

const mounted: HTMLElement[] = [];

/** Creates `<cos-uploader>` with attributes and properties, appends it to the body and waits for its first render. */
export async function mount(
  attributes: Record<string, string | true> = {},
  properties: Partial<CosUploader> = {},
  parent: HTMLElement = document.body,
): Promise<CosUploader> {
  const el = document.createElement('cos-uploader');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value === true ? '' : value);
  Object.assign(el, properties);
  parent.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}

/** Removes everything `mount` added (call in afterEach); cancels what is still running so nothing leaks. */
export function unmountAll(): void {
  for (const el of mounted.splice(0)) {
    const uploader = el as CosUploader;
    if (uploader.items.length > 0) uploader.cancelAll();
    el.remove();
  }
}

/** Resolves with the next `type` event on `target` (rejects after `timeout` ms). */
export function nextEvent<E extends Event = CustomEvent>(target: EventTarget, type: string, timeout = 20_000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeout} ms`)), timeout);
    target.addEventListener(
      type,
      (event) => {
        clearTimeout(timer);
        resolve(event as E);
      },
      { once: true },
    );
  });
}

/** Polls `condition` every animation frame until true (rejects after `timeout` ms with `what`). */
export async function waitFor(condition: () => boolean, what: string, timeout = 20_000): Promise<void> {
  const end = performance.now() + timeout;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** The element's shadow root, typed. */
export function shadow(el: CosUploader): ShadowRoot {
  return el.shadowRoot!;
}

/** Elements by `part` name inside the element. */
export function parts<T extends Element = HTMLElement>(el: CosUploader, name: string): T[] {
  return Array.from(shadow(el).querySelectorAll<T & Element>(`[part~="${name}"]`)) as T[];
}

/** The one element with `part` name (throws when absent, so a failing lookup names the part). */
export function part<T extends Element = HTMLElement>(el: CosUploader, name: string): T {
  const found = parts<T>(el, name)[0];
  if (!found) throw new Error(`no part "${name}" rendered`);
  return found;
}
