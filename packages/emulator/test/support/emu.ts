import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/index.ts';
import { sign } from './signer.ts';

export const BUCKET = 'coskit-test-1250000000';
export const REGION = 'ap-guangzhou';

export function start(extra: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ host: '127.0.0.1', port: 0, memory: true, region: REGION, buckets: [BUCKET], quiet: true, ...extra });
}

export function vhost(emu: RunningEmulator, bucket = BUCKET): string {
  return `${bucket}.cos.${REGION}.localhost:${emu.port}`;
}

/**
 * Signed fetch against the emulator, path-style (`/{bucket}/{key}`) on 127.0.0.1 so no DNS is needed;
 * pass `host` to send a virtual-hosted Host header instead.
 */
export async function cos(
  emu: RunningEmulator,
  method: string,
  path: string,
  init: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: BodyInit;
    anonymous?: boolean;
    creds?: { secretId: string; secretKey: string; token?: string };
    signHeaders?: string[];
    keyTime?: string;
  } = {},
): Promise<Response> {
  const url = new URL(emu.url + path);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.append(k, v);
  const host = url.host;
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (!init.anonymous) {
    const creds = init.creds ?? emu;
    const signed: Record<string, string> = { host };
    for (const h of init.signHeaders ?? []) if (headers[h] !== undefined) signed[h] = headers[h]!;
    headers['Authorization'] = sign({
      secretId: creds.secretId,
      secretKey: creds.secretKey,
      method,
      pathname: decodeURIComponent(url.pathname),
      query: init.query ?? {},
      headers: signed,
      ...(init.keyTime ? { keyTime: init.keyTime } : {}),
    });
    if (init.creds?.token) headers['x-cos-security-token'] = init.creds.token;
  }
  // URLSearchParams encodes space as '+', which COS reads literally; send %20 instead.
  const target = `${url.origin}${url.pathname}${url.search.replace(/\+/g, '%20')}`;
  return fetch(target, { method, headers, ...(init.body !== undefined ? { body: init.body, duplex: 'half' } : {}) } as RequestInit);
}
