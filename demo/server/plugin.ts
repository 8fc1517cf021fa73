/**
 * The demo's server side, as a Vite plugin: `/api/config` (where the bucket is), `/api/sts` (temporary keys scoped
 * to the demo prefix) and the script-tag page, which is served as written (no Vite client injected) with the
 * origins of the CDN and the storage filled into its Content-Security-Policy.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import type { Backend } from './backends.ts';

const SCRIPT_TAG_PAGE = fileURLToPath(new URL('../script-tag.html', import.meta.url));

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

export interface DemoPluginContext {
  backend: Backend;
  /** Origin serving `coskit.iife.js`. */
  cdnUrl: string;
}

/** The fields of the script-tag page filled in per run. */
export function renderScriptTagPage(template: string, context: DemoPluginContext): string {
  return template
    .replaceAll('%COSKIT_CDN%', context.cdnUrl)
    .replaceAll('%COSKIT_STORAGE%', context.backend.config.connectSources.join(' '));
}

/** Registers the demo routes ahead of Vite's own middlewares. */
export function demoPlugin(context: DemoPluginContext): Plugin {
  const { backend } = context;
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    '/api/config': async (_req, res) => {
      const { mode, bucket, region, endpoint, protocol, prefix } = backend.config;
      json(res, 200, { mode, bucket, region, endpoint, protocol, prefix });
    },
    // A real app authenticates its user here before minting keys; the demo has no users.
    '/api/sts': async (_req, res) => {
      try {
        json(res, 200, await backend.mintCredentials());
      } catch (error) {
        json(res, 502, { error: error instanceof Error ? error.message : String(error) });
      }
    },
    '/script-tag.html': async (_req, res) => {
      const html = renderScriptTagPage(await readFile(SCRIPT_TAG_PAGE, 'utf8'), context);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    },
  };
  return {
    name: 'coskit-demo',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const route = routes[new URL(req.url ?? '/', 'http://demo').pathname];
        if (!route) return next();
        route(req, res).catch(next);
      });
    },
  };
}
