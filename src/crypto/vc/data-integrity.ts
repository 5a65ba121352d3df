/**
 * W3C Verifiable Credentials 2.0 with Data Integrity proofs (`eddsa-rdfc-2022`), via the
 * Digital Bazaar stack (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022-cryptosuite,
 * ed25519-multikey, did-method-key). JSON-LD contexts are bundled from their npm packages
 * and the document loader refuses everything else: no network, ever. `did:key` is
 * resolved locally (the DID is the public key).
 */
import type crypto from 'node:crypto';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as didContext from 'did-context';

import { UNDEFINED_TERMS_CONTEXT, VC_V2_CONTEXT } from './contexts.ts';
export { UNDEFINED_TERMS_CONTEXT, VC_V2_CONTEXT };

const CONTEXTS = new Map<string, unknown>([
  ...(credentialsContext.contexts as Map<string, unknown>),
  ...(didContext.contexts as Map<string, unknown>),
  ...(multikeyContext.contexts as Map<string, unknown>),
]);

const didKeyDriver = didKey.driver();
didKeyDriver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from });

export class DocumentNotBundled extends Error {}

export async function documentLoader(url: string): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> {
  const ctx = CONTEXTS.get(url);
  if (ctx) return { contextUrl: null, documentUrl: url, document: ctx };
  if (url.startsWith('did:key:')) return { contextUrl: null, documentUrl: url, document: await didKeyDriver.get({ url }) };
  throw new DocumentNotBundled(`${url} is not bundled; only the VC 2.0, DID and Multikey contexts and did:key are resolved (no network).`);
}

/** did:key and verification method of an Ed25519 key. */
export async function didKeyOf(privateKey: crypto.KeyObject) {
  const jwk = privateKey.export({ format: 'jwk' });
  const keyPair = await Ed25519Multikey.fromJwk({ jwk, secretKey: true });
  const did = `did:key:${keyPair.publicKeyMultibase as string}`;
  keyPair.id = `${did}#${keyPair.publicKeyMultibase as string}`;
  keyPair.controller = did;
  return { did, keyPair };
}

export async function issueDataIntegrityVc(credential: Record<string, unknown>, privateKey: crypto.KeyObject): Promise<Record<string, unknown>> {
  const { keyPair } = await didKeyOf(privateKey);
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
  return vc.issue({ credential, suite, documentLoader });
}

export async function signDataIntegrityVp(presentation: Record<string, unknown>, privateKey: crypto.KeyObject, challenge: string, domain?: string): Promise<Record<string, unknown>> {
  const { keyPair } = await didKeyOf(privateKey);
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
  return vc.signPresentation({ presentation, suite, challenge, ...(domain ? { domain } : {}), documentLoader });
}

export function createPresentation(credentials: unknown[], holder?: string): Record<string, unknown> {
  return vc.createPresentation({ verifiableCredential: credentials, ...(holder ? { holder } : {}) });
}

export interface DiOutcome {
  verified: boolean;
  /** The verification methods (did:key URLs) whose proofs held, in order. */
  verificationMethods: string[];
  errors: string[];
}

function errorsOf(r: { error?: { errors?: Error[]; message?: string } }): string[] {
  const e = r.error;
  if (!e) return [];
  return e.errors?.length ? e.errors.map((x) => x.message) : [e.message ?? 'verification failed'];
}

export async function verifyDataIntegrityVc(credential: unknown): Promise<DiOutcome> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  try {
    const r = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus: undefined });
    return { verified: Boolean(r.verified), verificationMethods: (r.results ?? []).filter((x: { verified: boolean }) => x.verified).map((x: { proof: { verificationMethod: string } }) => x.proof.verificationMethod), errors: errorsOf(r) };
  } catch (err) {
    return { verified: false, verificationMethods: [], errors: [(err as Error).message] };
  }
}

export async function verifyDataIntegrityVp(presentation: unknown, challenge: string | undefined, domain?: string): Promise<DiOutcome & { credentialResults: DiOutcome[] }> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  try {
    const r = await vc.verify({ presentation, suite, documentLoader, ...(challenge ? { challenge } : { unsignedPresentation: true }), ...(domain ? { domain } : {}) });
    const creds = (r.credentialResults ?? []).map((c: { verified: boolean; results?: Array<{ verified: boolean; proof: { verificationMethod: string } }>; error?: { errors?: Error[]; message?: string } }) => ({
      verified: Boolean(c.verified),
      verificationMethods: (c.results ?? []).filter((x) => x.verified).map((x) => x.proof.verificationMethod),
      errors: errorsOf(c),
    }));
    const pr = r.presentationResult as { verified?: boolean; results?: Array<{ verified: boolean; proof: { verificationMethod: string } }> } | undefined;
    return { verified: Boolean(r.verified), verificationMethods: (pr?.results ?? []).filter((x) => x.verified).map((x) => x.proof.verificationMethod), errors: errorsOf(r), credentialResults: creds };
  } catch (err) {
    return { verified: false, verificationMethods: [], errors: [(err as Error).message], credentialResults: [] };
  }
}
