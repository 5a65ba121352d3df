/**
 * The one place oidc-provider is loaded. Version 9.13.3 runs on Node 20.19+ (it is pinned
 * and tested here, DEPENDENCIES.md §4) but prints "Unsupported runtime" to stderr when it
 * is imported on Node 20; that line would pollute every CLI command's output, so exactly
 * that message is dropped while the module loads. Nothing else is silenced.
 */
const original = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
  original(...args);
};
const mod = await import('oidc-provider').finally(() => {
  console.warn = original;
});

export const Provider = mod.default;
export type Provider = InstanceType<typeof mod.default>;
export const errors = mod.errors;
export const interactionPolicy = mod.interactionPolicy;
