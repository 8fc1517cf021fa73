import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

/**
 * Two builds of @coskit/uploader (package.json `build` runs both):
 * - `vite build`: the npm ES modules `dist/index.js` and `dist/define.js`. Dependencies (@coskit/core, lit,
 *   idb-keyval, spark-md5) stay external so apps dedupe them; the hash worker is emitted as its own chunk through
 *   `new Worker(new URL(…, import.meta.url))`, which Vite, webpack 5 and esbuild-based bundlers all understand.
 *   Also writes `custom-elements.json`.
 * - `vite build --mode iife`: `dist/coskit.iife.js`, everything bundled and minified for a plain `<script>` tag;
 *   `src/iife.ts` inlines the worker so it starts from a Blob URL when the script comes from another origin.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const external = Object.keys(pkg.dependencies ?? {});
// Workspace packages are bundled from their TypeScript sources: no need to build @coskit/core first.
const conditions = ['source', ...defaultClientConditions];

const srcDir = here('./src/');

/**
 * package.json `sideEffects` names define.ts, but the `customElements.define()` lives in element/cos-uploader.ts,
 * which define.ts imports for that effect. Vite's resolver applies the field to our own modules too, so the build
 * dropped the registration. Our sources keep their side effects in our builds (tree-shaking them is the app
 * bundler's job, with the package.json list); dependencies still follow their own package.json.
 */
function keepOwnSideEffects(): Plugin {
  return {
    name: 'coskit-keep-own-side-effects',
    enforce: 'post',
    transform(code, id) {
      return id.startsWith(srcDir) ? { code, map: null, moduleSideEffects: true } : undefined;
    },
  };
}

/** Regenerates custom-elements.json after the npm build (kept out of package.json's script on purpose: one command). */
function customElementsManifest(): Plugin {
  return {
    name: 'coskit-custom-elements-manifest',
    apply: 'build',
    closeBundle() {
      execFileSync(process.execPath, [here('../../node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze'], {
        cwd: here('.'),
        stdio: 'inherit',
      });
    },
  };
}

export default defineConfig(({ mode }) =>
  mode === 'iife'
    ? {
        resolve: { conditions },
        // Lib mode leaves `process.env.NODE_ENV` for the app's bundler; a script tag has none.
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        // Classic worker inside the IIFE: module workers from Blob URLs work too, but classic ones load everywhere.
        worker: { format: 'iife' },
        plugins: [keepOwnSideEffects()],
        build: {
          target: 'es2022',
          outDir: 'dist',
          // Runs after the ESM build into the same folder.
          emptyOutDir: false,
          minify: true,
          sourcemap: true,
          lib: {
            entry: here('./src/iife.ts'),
            formats: ['iife'],
            name: 'CosKit',
            fileName: () => 'coskit.iife.js',
          },
          rolldownOptions: {
            onwarn(warning, warn) {
              // pool.ts's default `new Worker(new URL(…, import.meta.url))` never runs here: iife.ts sets the
              // default factory first. (The worker file it references is still emitted to dist/assets.)
              if (warning.code === 'EMPTY_IMPORT_META' && warning.id?.endsWith('/workers/pool.ts')) return;
              warn(warning);
            },
          },
        },
      }
    : {
        resolve: { conditions },
        worker: { format: 'es' },
        plugins: [keepOwnSideEffects(), customElementsManifest()],
        // Relative asset URLs: the worker is found next to the module (`new URL('./assets/…', import.meta.url)`),
        // wherever the app serves node_modules from.
        base: './',
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: true,
          minify: false,
          sourcemap: true,
          lib: {
            entry: { index: here('./src/index.ts'), define: here('./src/define.ts') },
            formats: ['es'],
          },
          rolldownOptions: {
            external: (id) => external.some((dep) => id === dep || id.startsWith(`${dep}/`)),
          },
        },
      },
);
