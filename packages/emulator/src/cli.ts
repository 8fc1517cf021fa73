#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.ts';
import type { EmulatorOptions } from './types.ts';

const USAGE = `Usage: coskit-emulator [--host 127.0.0.1] [--port 9000] [--dir .coskit-data | --memory]
                      [--region ap-guangzhou] [--bucket NAME-APPID ...] [--secret-id ID --secret-key KEY]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      dir: { type: 'string' },
      memory: { type: 'boolean' },
      region: { type: 'string' },
      bucket: { type: 'string', multiple: true },
      'secret-id': { type: 'string' },
      'secret-key': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.memory && values.dir) throw new Error('--dir and --memory are mutually exclusive');
  if ((values['secret-id'] === undefined) !== (values['secret-key'] === undefined)) {
    throw new Error('--secret-id and --secret-key go together');
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`bad --port ${values.port}`);
  const options: EmulatorOptions = {
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.dir !== undefined ? { dir: values.dir } : {}),
    ...(values.memory ? { memory: true } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values.bucket ? { buckets: values.bucket } : {}),
    ...(values['secret-id'] !== undefined ? { secretId: values['secret-id'], secretKey: values['secret-key']! } : {}),
    ...(values.quiet ? { quiet: true } : {}),
  };
  const emu = await startEmulator(options);
  process.stdout.write(`coskit-emulator listening on ${emu.url}\n`);
  process.stdout.write(`SecretId:  ${emu.secretId}\nSecretKey: ${emu.secretKey}\nRegion:    ${emu.region}\n`);
  const stop = () => {
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`coskit-emulator: ${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
});
