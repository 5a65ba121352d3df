// The Digital Bazaar Data Integrity stack and its JSON-LD contexts ship no TypeScript
// types; src/crypto/vc/ wraps them behind typed functions.
declare module '@digitalbazaar/vc';
declare module '@digitalbazaar/data-integrity';
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
declare module '@digitalbazaar/ed25519-multikey';
declare module '@digitalbazaar/did-method-key';
declare module '@digitalbazaar/credentials-context';
declare module '@digitalbazaar/multikey-context';
declare module 'did-context';
