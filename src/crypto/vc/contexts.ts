/** JSON-LD context URLs of VC 2.0 (kept apart from data-integrity.ts so naming them does not load the JSON-LD stack). */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** Maps terms no vocabulary defines (our document fields) to the issuer-dependent namespace, as VC 2.0 does. */
export const UNDEFINED_TERMS_CONTEXT = 'https://www.w3.org/ns/credentials/undefined-terms/v2';
