#!/usr/bin/env node
// The `openlocker` command. Runs the TypeScript sources directly through tsx, so a clean
// clone needs no build step: `npm ci && npm start`.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { runCli } = await import('../src/cli/index.ts');
await runCli(process.argv);
