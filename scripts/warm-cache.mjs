#!/usr/bin/env node
// `npm ci` runs this (the `prepare` script): it loads the locker's TypeScript sources once
// through tsx, which compiles them and keeps the result in its cache, so that the first
// `npm start` on a fresh machine starts as fast as every later one (about a second less).
// Importing starts nothing; a failure here only costs that second, never the install.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const t0 = Date.now();
try {
  register();
  await import('../src/cli/index.ts');
  await import('../src/compose/sandbox-renderer.ts');
  process.stdout.write(`openlocker: sources compiled for a fast first start (${Date.now() - t0} ms)\n`);
} catch (err) {
  process.stdout.write(`openlocker: could not pre-compile the sources (${err instanceof Error ? err.message : err}); the first start will be a little slower\n`);
}
process.exit(0);
