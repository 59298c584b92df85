#!/usr/bin/env node
// Runs the TypeScript sources directly, so a fresh clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
try {
  // exitCode, not exit(): output still queued for a pipe is written before the process ends.
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`root-monitor: unexpected error: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
}
