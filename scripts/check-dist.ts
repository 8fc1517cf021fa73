/**
 * Checks the built packages the way a consumer meets them (run after `npm run build`):
 * - the emitted .d.ts resolve and type-check from a consumer under `moduleResolution` bundler and nodenext, with
 *   the `source` condition off (so `@coskit/*` resolve to dist/) and skipLibCheck off;
 * - `import('@coskit/core')` works in Node from dist/;
 * - dist/define.js still registers the tag, and dist/coskit.iife.js defines `window.CosKit`.
 *
 *   node --import tsx scripts/check-dist.ts
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

const CONSUMER = `
import { CosClient, getAuthorization, crc64, isCosServiceError, type CosClientOptions } from '@coskit/core';
import { UploadQueue, WorkerHasher, CosUploader } from '@coskit/uploader';
import '@coskit/uploader/define';
const options: CosClientOptions = { bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', credentials: async () => ({ credentials: { tmpSecretId: 'a', tmpSecretKey: 'b', sessionToken: 'c' }, expiredTime: 0 }) };
const client = new CosClient(options);
const element: CosUploader = document.createElement('cos-uploader');
element.addEventListener('cos-upload-success', (event) => console.log(event.detail.key.length, event.detail.crc64));
const signed: Promise<string> = getAuthorization({ secretId: 'a', secretKey: 'b', method: 'get', pathname: '/' });
console.log(client, crc64('x'), UploadQueue, WorkerHasher, signed, isCosServiceError(null));
`;

async function typecheck(dir: string): Promise<void> {
  const file = join(dir, 'consumer.ts');
  await writeFile(file, CONSUMER);
  for (const [module, moduleResolution] of [
    [ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
    [ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
  ] as const) {
    const program = ts.createProgram([file], {
      module,
      moduleResolution,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    const fromDist = program.getSourceFiles().some((f) => f.fileName.includes('/packages/core/dist/index.d.ts'));
    assert.deepEqual(errors, [], `type errors under ${ts.ModuleResolutionKind[moduleResolution]}`);
    assert.ok(fromDist, 'types came from packages/core/dist, not the sources');
    console.log(`ok  .d.ts resolve and type-check (moduleResolution ${ts.ModuleResolutionKind[moduleResolution]})`);
  }
}

// Inside the repo so node_modules/@coskit/* resolve; removed afterwards.
const dir = await mkdtemp(join(root, '.check-dist-'));
try {
  await typecheck(dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}

const core = (await import('@coskit/core')) as Record<string, unknown>;
for (const name of ['CosClient', 'getAuthorization', 'crc64']) assert.equal(typeof core[name], 'function', `@coskit/core exports ${name}`);
console.log(`ok  import('@coskit/core') from dist in Node: ${Object.keys(core).length} exports`);

const define = await readFile(join(root, 'packages/uploader/dist/define.js'), 'utf8');
assert.match(define, /customElements\.define\(\s*["']cos-uploader["']/, 'dist/define.js registers <cos-uploader>');
console.log('ok  dist/define.js registers <cos-uploader>');

const iife = await readFile(join(root, 'packages/uploader/dist/coskit.iife.js'), 'utf8');
assert.match(iife, /^var CosKit=/, 'dist/coskit.iife.js assigns the global CosKit');
assert.match(iife, /customElements\.define\(\s*[`"']cos-uploader[`"']/, 'dist/coskit.iife.js defines <cos-uploader>');
console.log('ok  dist/coskit.iife.js defines window.CosKit and <cos-uploader>');
