import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

describe('coskit-emulator CLI', () => {
  it('prints one listening line with the chosen port, then the credentials in use', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, '--port', '0', '--memory', '--bucket', 'cli-1250000000', '--secret-id', 'AKIDcli', '--secret-key', 'cli-key'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      while (!/SecretKey:.*\n/.test(out)) {
        const [chunk] = (await once(child.stdout, 'data')) as [string];
        out += chunk;
      }
      const lines = out.trim().split('\n');
      assert.match(lines[0]!, /^coskit-emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(lines.some((l) => l.includes('AKIDcli')));
      assert.ok(lines.some((l) => l.includes('cli-key')));
      const url = lines[0]!.split(' ').pop()!;
      const r = await fetch(`${url}/cli-1250000000/`);
      assert.equal(r.status, 403);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('refuses unknown flags', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, '--bogus'], { stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 2);
  });
});
