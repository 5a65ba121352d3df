/** Helpers for issued-documents tests: a sandbox registered in a test app, citizens named like sandbox people. */
import { afterAll, beforeAll } from 'vitest';
import type { TestApp } from './app.ts';
import { registerSandboxIssuers, startTestSandbox, type TestSandbox } from './sandbox.ts';

/** Starts a sandbox (own in-memory store) for the suite and registers its issuers in the app. */
export function useSandbox(get: () => TestApp, options: { slowMs?: number } = {}): () => TestSandbox {
  let sb: TestSandbox | undefined;
  beforeAll(async () => {
    sb = await startTestSandbox({ slowMs: options.slowMs ?? 3000 });
    await registerSandboxIssuers(get().deps, sb);
  });
  afterAll(async () => {
    await sb?.close();
  });
  return () => {
    if (!sb) throw new Error('sandbox not started');
    return sb;
  };
}

export const json = { 'content-type': 'application/json' };
