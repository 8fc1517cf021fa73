/**
 * `npm run demo`: the emulator (data in `.coskit-data/`, bucket created), a credentials route minting temporary
 * keys scoped to `uploads/`, the script-tag build on its own "CDN" origin, and the Vite dev server for demo/.
 * With COS_SECRET_ID, COS_SECRET_KEY, COS_BUCKET and COS_REGION set, the same pages talk to real COS instead.
 *
 * Env: PORT (demo server, default 5173, 0 = any free port), EMULATOR_PORT (default 0), COSKIT_DATA (default
 * .coskit-data).
 */
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { cosBackend, cosSettingsFromEnv, emulatorBackend, type Backend, type EmulatorBackendOptions } from './server/backends.ts';
import { ensureIifeBuilt, startCdn, type RunningCdn } from './server/cdn.ts';
import { demoPlugin } from './server/plugin.ts';

export interface DemoOptions {
  /** Demo server port; 0 picks a free one. @default 5173 (the next free one if taken) */
  port?: number;
  /** Emulator settings (ignored when real COS is configured). */
  emulator?: EmulatorBackendOptions;
  /** Use real COS with these settings instead of the emulator. @default read from COS_* env vars */
  cos?: { secretId: string; secretKey: string; bucket: string; region: string } | undefined;
  /** Progress lines. @default console.log */
  log?: (line: string) => void;
  /** Watch sources and reload pages on edits. Tests turn it off so a page under test never reloads. @default true */
  watch?: boolean;
}

export interface RunningDemo {
  /** The page to open. */
  url: string;
  /** Origin serving the script-tag build. */
  cdnUrl: string;
  backend: Backend;
  close(): Promise<void>;
}

/** Starts everything `npm run demo` runs; `close()` stops it all. */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => console.log(line));
  const cos = 'cos' in options ? options.cos : cosSettingsFromEnv();
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const backend = cos ? await cosBackend(cos) : await emulatorBackend(options.emulator);
    opened.push(backend);
    // The script-tag page needs the IIFE; a failed build should not take the other pages down with it.
    await ensureIifeBuilt(log).catch((error: unknown) => log(`could not build coskit.iife.js (script-tag page disabled): ${String(error)}`));
    const cdn: RunningCdn = await startCdn();
    opened.push(cdn);
    const vite: ViteDevServer = await createServer({
      configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
      plugins: [demoPlugin({ backend, cdnUrl: cdn.url })],
      server: {
        port: options.port ?? 5173,
        strictPort: options.port === 0,
        ...(options.watch === false ? { hmr: false, watch: null } : {}),
      },
      logLevel: 'warn',
      clearScreen: false,
    });
    opened.push(vite);
    await vite.listen();
    const url = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${options.port}/`;
    return {
      url,
      cdnUrl: cdn.url,
      backend,
      close: () => closeAll(opened),
    };
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}

async function closeAll(opened: Array<{ close(): Promise<void> }>): Promise<void> {
  // Reverse order: the dev server stops before the storage it talks to.
  for (const item of opened.reverse()) await item.close().catch(() => {});
}

async function main(): Promise<void> {
  const port = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
  const emulatorPort = process.env.EMULATOR_PORT === undefined ? 0 : Number(process.env.EMULATOR_PORT);
  const demo = await startDemo({
    ...(port === undefined ? {} : { port }),
    emulator: { port: emulatorPort, dir: process.env.COSKIT_DATA ?? '.coskit-data', quiet: true },
  });
  const { mode, bucket, region, endpoint, prefix } = demo.backend.config;
  console.log(
    [
      '',
      `  coskit demo (${mode === 'emulator' ? 'local emulator' : 'real COS'}): bucket ${bucket}, region ${region}`,
      mode === 'emulator'
        ? `  storage        ${endpoint?.replace('{Bucket}', bucket).replace('{Region}', region)}/ (data in ${process.env.COSKIT_DATA ?? '.coskit-data'}/)`
        : '',
      `  temporary keys ${demo.url}api/sts (scoped to ${prefix}*)`,
      '',
      `  Open  ${demo.url}`,
      `        ${demo.url}script-tag.html  (script-tag build from ${demo.cdnUrl})`,
      `        ${demo.url}gallery.html`,
      '',
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n'),
  );
  const stop = () => {
    demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
