import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

/**
 * npm build of @coskit/core: one ES module (`dist/index.js`) for bundlers and browsers. Dependencies stay external
 * so an app that already ships fast-xml-parser does not get two copies; it is not minified because the app's
 * bundler minifies (and keeps our `/* @__PURE__ *\/` hints). Types come from `tsc -p tsconfig.build.json`.
 */
const external = Object.keys(pkg.dependencies ?? {});

export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: 'index',
    },
    rolldownOptions: {
      // `fast-xml-parser` and any deep import of it (`fast-xml-parser/src/...`).
      external: (id) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
    },
  },
});
