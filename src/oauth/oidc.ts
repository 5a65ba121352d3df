/**
 * The one place oidc-provider is loaded. Version 9.13.3 runs on Node 20.19+ (it is pinned
 * and tested here, DEPENDENCIES.md §4) but prints "Unsupported runtime" to stderr when it
 * is imported on Node 20; that line would pollute every CLI command's output, so exactly
 * that message is dropped while the module loads. Nothing else is silenced.
 */
const original = console.warn;
console.warn = (...args: unknown[]) => {
  // On a terminal the message comes wrapped in colour codes (ESC [ … m): compare without them.
  // eslint-disable-next-line no-control-regex
  if (typeof args[0] === 'string' && args[0].replace(/\u001b\[[0-9;]*m/g, '').startsWith('oidc-provider WARNING: Unsupported runtime')) return;
  original(...args);
};
const mod = await import('oidc-provider').finally(() => {
  console.warn = original;
});

export const Provider = mod.default;
export type Provider = InstanceType<typeof mod.default>;
export const errors = mod.errors;
export const interactionPolicy = mod.interactionPolicy;

/**
 * oidc-provider keeps each request's context in an AsyncLocalStorage. On Node 20 the first
 * `run()` switches on V8 promise hooks for the whole process and nothing switches them off,
 * so after one OAuth request every promise of every later request — citizen pages, the
 * partner APIs — pays a hook call (≈10% of the partner API's throughput, bench `partner`).
 * `trackOidcResponse` counts the responses oidc-provider is writing; a second after the
 * last one closes, with none started since, the storage is disabled, which switches the
 * hooks off again. The next OAuth request re-enables it (`run()` does so itself). Only
 * oidc-provider's code reads this storage, and only while it handles a request.
 */
let als: import('node:async_hooks').AsyncLocalStorage<unknown> | null = null;
try {
  const m = await import('oidc-provider/lib/helpers/als.js');
  if (typeof m.default?.disable === 'function' && typeof m.default.run === 'function') als = m.default;
} catch {
  // A later oidc-provider without this file: its hooks simply stay on.
}
let inFlight = 0;
let idle: NodeJS.Timeout | undefined;
export const OIDC_HOOKS_IDLE_MS = 1000;

export function trackOidcResponse(res: import('node:http').ServerResponse): void {
  if (!als) return;
  inFlight++;
  if (idle) clearTimeout(idle);
  idle = undefined;
  res.once('close', () => {
    if (--inFlight > 0) return;
    idle = setTimeout(() => {
      idle = undefined;
      if (inFlight === 0) als!.disable();
    }, OIDC_HOOKS_IDLE_MS);
    idle.unref();
  });
}

/** For tests: whether oidc-provider's storage (and with it the process's promise hooks) is on. */
export function oidcStorageEnabled(): boolean | null {
  return als ? (als as unknown as { enabled: boolean }).enabled === true : null;
}
