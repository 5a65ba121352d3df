/**
 * What the Fastify wrappers learn about a token request before oidc-provider handles it
 * (the DigiLocker version of the endpoint, the consent's expiry), attached to the request
 * object oidc-provider receives, for its TTL functions and the response shaping.
 */
import type { IncomingMessage } from 'node:http';

export interface TokenRequestContext {
  /** `1/token`: DigiLocker's user fields in the response, no id_token. */
  v1: boolean;
  /** Epoch ms after which the consent behind this request ends (caps token lifetimes). */
  consentValidTill?: number;
}

const contexts = new WeakMap<object, TokenRequestContext>();

export function setTokenContext(req: IncomingMessage, c: TokenRequestContext): void {
  contexts.set(req, c);
}

export function tokenContext(req: object | undefined): TokenRequestContext | undefined {
  return req ? contexts.get(req) : undefined;
}
