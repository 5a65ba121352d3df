/**
 * Everything the Issuer API client needs to call one issuer for one document type: the
 * effective Pull URI / Pull Doc URLs (a document type may override the issuer's), the
 * opened HMAC key and its encoding, the orgId and the timeout. Refuses, with DigiLocker's
 * codes, issuers that are unknown, disabled or not connected.
 */
import type { IssuerDeps } from './deps.ts';
import { issuerErrors } from './errors.ts';
import type { HmacEncoding } from './model.ts';

export interface IssuerEndpoint {
  issuerId: string;
  issuerName: string;
  /** `orgId` attribute of requests. */
  orgId: string;
  pullUriUrl: string;
  pullDocUrl: string;
  hmacKey: Buffer;
  hmacEncoding: HmacEncoding;
  /** Per-issuer timeout of one attempt; null = the client's default. */
  timeoutMs: number | null;
}

export async function issuerEndpoint(deps: Pick<IssuerDeps, 'issuers' | 'secrets'>, issuerId: string, doctypeCode: string): Promise<IssuerEndpoint> {
  const issuer = await deps.issuers.get(issuerId);
  if (!issuer) throw issuerErrors.unknownIssuer();
  const doctype = await deps.issuers.doctype(issuerId, doctypeCode);
  if (!doctype) throw issuerErrors.unknownDoctype();
  if (issuer.status !== 'active') throw issuerErrors.inactive(issuer.name);
  const pullUriUrl = doctype.pullUriUrl ?? issuer.pullUriUrl;
  const pullDocUrl = doctype.pullDocUrl ?? issuer.pullDocUrl;
  const sealed = await deps.issuers.sealedKey(issuerId);
  if (!pullUriUrl || !pullDocUrl || !sealed) throw issuerErrors.notConnected(issuer.name);
  let hmacKey: Buffer;
  try {
    hmacKey = deps.secrets.open(sealed, issuerId);
  } catch {
    // A key sealed under another master key (a restore without its key file): the operator
    // must register the key again. The citizen sees "not connected".
    throw issuerErrors.notConnected(issuer.name);
  }
  return {
    issuerId,
    issuerName: issuer.name,
    orgId: issuer.orgId ?? issuerId,
    pullUriUrl,
    pullDocUrl,
    hmacKey,
    hmacEncoding: issuer.hmacEncoding,
    timeoutMs: issuer.timeoutMs,
  };
}
