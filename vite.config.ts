import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The demo's Vite config (`npm run demo` loads it through demo/serve.ts, which adds the API routes and starts the
 * emulator). Workspace packages resolve to their TypeScript sources through the `source` export condition, so
 * editing packages/* reloads the page without a build.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./demo'),
  // demo/public: files served as written (the script-tag page's script and styles, the shared CSS, the icon).
  publicDir: here('./demo/public'),
  appType: 'mpa',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  // Pre-bundling would freeze @coskit/* into node_modules/.vite and hide source edits. Their own dependencies are
  // listed so Vite bundles them at start: discovered later, they make Vite re-optimize and reload the first page
  // of a fresh clone mid-load.
  optimizeDeps: {
    exclude: ['@coskit/core', '@coskit/uploader'],
    include: ['lit', 'lit/decorators.js', 'lit/directive.js', 'lit/directives/repeat.js', 'idb-keyval', 'fast-xml-parser'],
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [here('.')] },
  },
  build: {
    outDir: here('./dist/demo'),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        index: here('./demo/index.html'),
        gallery: here('./demo/gallery.html'),
      },
    },
  },
});
