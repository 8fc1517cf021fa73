/**
 * The script-tag build, served the way a CDN would serve it: from its own origin (another port), so the demo
 * proves `coskit.iife.js` and its hash worker work when the script's origin differs from the page's.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const uploaderDir = fileURLToPath(new URL('../../packages/uploader/', import.meta.url));
const distDir = join(uploaderDir, 'dist');
/** Path of the IIFE bundle the script-tag page loads. */
export const IIFE_FILE = join(distDir, 'coskit.iife.js');
const SOURCE_DIRS = [join(uploaderDir, 'src'), fileURLToPath(new URL('../../packages/core/src/', import.meta.url))];

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/**
 * Builds `dist/coskit.iife.js` when it is missing or older than the sources (core's included), so a fresh clone and
 * an edited source tree both serve what the sources say. Returns whether it built.
 */
export async function ensureIifeBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  const built = await stat(IIFE_FILE).then((s) => s.mtimeMs, () => 0);
  const sources = Math.max(...(await Promise.all(SOURCE_DIRS.map(newestMtime))));
  if (built > sources) return false;
  log(built ? 'sources changed: rebuilding dist/coskit.iife.js…' : 'building dist/coskit.iife.js (first run)…');
  await build({
    root: uploaderDir,
    configFile: join(uploaderDir, 'vite.config.ts'),
    mode: 'iife',
    logLevel: 'warn',
  });
  return true;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface RunningCdn {
  /** `http://127.0.0.1:PORT` — the origin the script-tag page loads the bundle from. */
  url: string;
  close(): Promise<void>;
}

/** A read-only static server over `packages/uploader/dist`, with the CORS headers a CDN sends. */
export async function startCdn(options: { host?: string; port?: number } = {}): Promise<RunningCdn> {
  const root = resolve(distDir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://cdn').pathname);
    const file = resolve(root, `.${path}`);
    const type = TYPES[extname(file)];
    // Only files inside dist/, only the types a bundle consists of.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(root + sep) || !type) {
      res.writeHead(404).end();
      return;
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file');
        res.writeHead(200, {
          'content-type': type,
          'content-length': s.size,
          'cache-control': 'no-cache',
          'access-control-allow-origin': '*',
          'cross-origin-resource-policy': 'cross-origin',
          'x-content-type-options': 'nosniff',
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', ok);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        // Browsers keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
