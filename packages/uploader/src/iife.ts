/// <reference types="vite/client" />
/**
 * Entry of `dist/coskit.iife.js`, the build for a plain `<script>` tag: exposes `window.CosKit` (the core client,
 * errors and helpers, plus the uploader's classes) and defines `<cos-uploader>`.
 *
 * The hash worker is bundled into this file (Vite's `?worker&inline`) and started from a Blob URL. A worker URL on
 * the script's own origin would be refused whenever the script comes from a CDN (browsers only start same-origin
 * worker scripts), and `import.meta.url` does not exist in a classic script anyway. CSP: `worker-src blob:`; if it
 * is refused, the pool hashes in the page instead.
 */
import HashWorker from './workers/hash.worker.ts?worker&inline';
import { setDefaultWorkerFactory } from './workers/pool.ts';

setDefaultWorkerFactory(() => new HashWorker({ name: 'coskit-hash' }));

export * from '@coskit/core';
export * from './index.ts';
// Registers the tag. Module order does not matter for the factory: pools read it when their first hash starts.
export * from './define.ts';
