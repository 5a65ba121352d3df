/** oidc-provider's own AsyncLocalStorage (lib/helpers/als.js, not a public export; see src/oauth/oidc.ts). */
declare module 'oidc-provider/lib/helpers/als.js' {
  const als: import('node:async_hooks').AsyncLocalStorage<unknown>;
  export default als;
}
