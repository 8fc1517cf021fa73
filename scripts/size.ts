/**
 * Prints the min+gzip sizes of what users download: the core ESM bundle, the uploader ESM bundle (core, Lit and
 * idb-keyval included, as an app ships it), its hash worker, and the script-tag IIFE (built by the uploader's Vite
 * config into a temp folder, so dist/ is left alone).
 *
 *   node --conditions=source --import tsx scripts/size.ts [--json]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build as esbuild, type Plugin } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  name: string;
  min: number;
  gzip: number;
  brotli: number;
}

function measure(name: string, code: Uint8Array): Row {
  return {
    name,
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}

const uploaderSrc = join(root, 'packages/uploader/src');

/**
 * The uploader's sources keep their side effects (the worker's message handler, the tag registration imported by
 * define.ts): package.json `sideEffects` lists define.ts only, which would let esbuild drop them from the source build.
 */
const keepUploaderEffects: Plugin = {
  name: 'keep-uploader-effects',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.resolveDir.startsWith(uploaderSrc) ? { path: join(args.resolveDir, args.path), sideEffects: true } : undefined,
    );
  },
};

/** One minified ESM bundle of `contents` with every dependency inlined (what a bundler would emit). */
async function bundle(name: string, source: { contents: string } | { entry: string }): Promise<Row> {
  const result = await esbuild({
    ...('entry' in source
      ? { entryPoints: [join(root, source.entry)] }
      : { stdin: { contents: source.contents, resolveDir: root, loader: 'ts' as const, sourcefile: 'entry.ts' } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    legalComments: 'none',
    // The worker is a separate file (`new URL('./hash.worker.ts', import.meta.url)`), measured on its own line.
    logLevel: 'error',
    plugins: [keepUploaderEffects],
  });
  return measure(name, result.outputFiles[0]!.contents);
}

async function iife(): Promise<Row> {
  const outDir = await mkdtemp(join(tmpdir(), 'coskit-size-'));
  try {
    await viteBuild({
      root: join(root, 'packages/uploader'),
      configFile: join(root, 'packages/uploader/vite.config.ts'),
      mode: 'iife',
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    return measure('uploader IIFE (dist/coskit.iife.js, worker inlined)', await readFile(join(outDir, 'coskit.iife.js')));
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

const rows = [
  await bundle('core ESM (@coskit/core, all exports)', { contents: `export * from '@coskit/core';` }),
  await bundle('uploader ESM (@coskit/uploader + define, with core, lit, idb-keyval)', {
    contents: `export * from '@coskit/uploader'; import '@coskit/uploader/define';`,
  }),
  await bundle('hash worker (separate file in the ESM build)', { entry: 'packages/uploader/src/workers/hash.worker.ts' }),
  await iife(),
];

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
  console.log(`${'bundle'.padEnd(72)}${'min'.padStart(9)}${'gzip'.padStart(9)}${'brotli'.padStart(9)}`);
  for (const r of rows) console.log(`${r.name.padEnd(72)}${kb(r.min)}${kb(r.gzip)}${kb(r.brotli)}`);
}
