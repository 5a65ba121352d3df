#!/usr/bin/env node
// The `openlocker` command. It runs the precompiled build of src/ (scripts/build.mjs:
// made by `npm ci`, and again on the first start after a source changes, in about 0.3 s),
// so a clean clone needs no separate build step: `npm ci && npm start`. If no build can be
// made, or OPENLOCKER_FROM_SOURCE=1 is set (stack traces with TypeScript line numbers),
// it compiles the TypeScript sources on the fly through tsx instead.
import { pathToFileURL } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function fromBuild() {
  if (process.env.OPENLOCKER_FROM_SOURCE === '1') return null;
  let entry;
  try {
    const { ensureBuild } = await import('../scripts/build.mjs');
    entry = await ensureBuild();
  } catch (err) {
    if (process.env.DEBUG) process.stderr.write(`openlocker: no precompiled build (${err instanceof Error ? err.message : err}); compiling the sources\n`);
    return null;
  }
  return import(pathToFileURL(entry).href);
}

async function fromSource() {
  const { register } = await import('tsx/esm/api');
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
  return import('../src/cli/index.ts');
}

const { runCli } = (await fromBuild()) ?? (await fromSource());
await runCli(process.argv);
