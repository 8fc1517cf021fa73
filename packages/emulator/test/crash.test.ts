import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sign } from './support/signer.ts';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const BUCKET = 'crash-1250000000';
const creds = { secretId: 'AKIDcrashtest', secretKey: 'crash-test-key' };

async function launch(dir: string, port: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', CLI, '--port', String(port), '--dir', dir, '--bucket', BUCKET, '--secret-id', creds.secretId, '--secret-key', creds.secretKey, '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8');
  while (!out.includes('\n')) out += ((await once(child.stdout!, 'data')) as [string])[0];
  return { child, port: Number(/:(\d+)\n/.exec(out)![1]) };
}

function put(port: number, key: string, size: number) {
  const host = `127.0.0.1:${port}`;
  const auth = sign({ ...creds, method: 'PUT', pathname: `/${BUCKET}/${key}`, headers: { host } });
  const req = request({ host: '127.0.0.1', port, method: 'PUT', path: `/${BUCKET}/${key}`, headers: { Authorization: auth, 'Content-Length': String(size) } });
  return req;
}

describe('crash safety (kill -9 mid-upload)', () => {
  let root: string;
  let proc: { child: ChildProcess; port: number } | undefined;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'coskit-emu-crash-'));
  });
  after(async () => {
    if (proc && proc.child.exitCode === null) {
      proc.child.kill('SIGKILL');
      await once(proc.child, 'exit');
    }
    await rm(root, { recursive: true, force: true });
  });

  it('a process killed while overwriting an object leaves the previous version intact', async () => {
    const dir = join(root, 'data');
    proc = await launch(dir, 0);
    const first = put(proc.port, 'obj', 5);
    const done = new Promise<number>((ok, fail) => {
      first.on('response', (r) => {
        r.resume();
        ok(r.statusCode ?? 0);
      });
      first.on('error', fail);
    });
    first.end('first');
    assert.equal(await done, 200);

    // Half of a 1 MiB overwrite, then the server dies without warning.
    const second = put(proc.port, 'obj', 1024 * 1024);
    second.on('error', () => {});
    second.write(Buffer.alloc(512 * 1024, 9));
    await new Promise((r) => setTimeout(r, 300));
    proc.child.kill('SIGKILL');
    await once(proc.child, 'exit');

    proc = await launch(dir, 0);
    const body = await new Promise<string>((ok, fail) => {
      const host = `127.0.0.1:${proc!.port}`;
      const auth = sign({ ...creds, method: 'GET', pathname: `/${BUCKET}/obj`, headers: { host } });
      request({ host: '127.0.0.1', port: proc!.port, path: `/${BUCKET}/obj`, headers: { Authorization: auth } }, (r) => {
        let t = '';
        r.on('data', (d: Buffer) => (t += d.toString()));
        r.on('end', () => ok(t));
      })
        .on('error', fail)
        .end();
    });
    assert.equal(body, 'first');
    // The half-written temp file was discarded at start.
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    proc.child.kill('SIGTERM');
    await once(proc.child, 'exit');
  });
});
