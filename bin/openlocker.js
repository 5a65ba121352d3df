#!/usr/bin/env node
// The `openlocker` command. Runs the TypeScript sources directly through tsx, so a clean
// clone needs no build step: `npm ci && npm start`.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The largest ES-module libraries load here, through Node's own loader, before tsx's hooks
// are registered: with the hooks each of their hundreds of files makes a round trip to
// tsx's loader thread (about 1.5 s of every start). Later imports of the same packages from
// our TypeScript resolve to these very modules. oidc-provider warns "Unsupported runtime"
// on Node 20 when it loads; as in src/oauth/oidc.ts, exactly that line is dropped.
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
  warn(...args);
};
try {
  await Promise.all(['kysely', 'typebox', 'jose', 'fastify', 'oidc-provider', 'nodemailer', 'file-type', 'fast-xml-parser'].map((name) => import(name)));
} finally {
  console.warn = warn;
}

register();
const { runCli } = await import('../src/cli/index.ts');
await runCli(process.argv);
