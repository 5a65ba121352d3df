/**
 * The answers of DigiLocker's Authorized Partner meta APIs — POST
 * /public/oauth2/1/pull/issuers, /pull/doctype and /pull/parameters
 * (digilocker-authpartner.json: IssuerResponse, DocTypeResponse, SearchParametersResponse)
 * — built from the registry. The routes themselves need partner client authentication
 * (clientid + hmac = SHA-256(client_secret + clientid + ts)), which arrives with partner
 * registration; they mount these functions unchanged.
 *
 * Only connected issuers are listed: a partner can pull only from those. `orgid` is the
 * issuer id (the locker has one id per issuer).
 */
import { AppError } from '../errors.ts';
import { CATEGORY_LABELS } from './categories.ts';
import type { IssuerDeps } from './deps.ts';

const invalidParameter = (what: string) => new AppError('invalid', 'invalid_parameter', `The ${what} parameter is missing or invalid.`);

export async function partnerIssuers(deps: Pick<IssuerDeps, 'issuers'>): Promise<{ issuers: Array<{ name: string; description: string; categories: string; issuerid: string; orgid: string }> }> {
  const out = [];
  for (let page = 0; ; page++) {
    const { items, total } = await deps.issuers.list({ connectedOnly: true, offset: page * 100, limit: 100 });
    for (const i of items) {
      const full = await deps.issuers.get(i.id);
      out.push({ name: i.name, description: full?.description ?? i.name, categories: CATEGORY_LABELS[i.category].en, issuerid: i.id, orgid: i.id });
    }
    if ((page + 1) * 100 >= total) break;
  }
  return { issuers: out };
}

async function connectedIssuer(deps: Pick<IssuerDeps, 'issuers'>, orgid: unknown) {
  if (typeof orgid !== 'string' || orgid === '') throw invalidParameter('orgid');
  const issuer = await deps.issuers.get(orgid);
  if (!issuer || !issuer.connected) throw invalidParameter('orgid');
  return issuer;
}

export async function partnerDoctypes(deps: Pick<IssuerDeps, 'issuers'>, orgid: unknown): Promise<{ documents: Array<{ doctype: string; description: string }> }> {
  const issuer = await connectedIssuer(deps, orgid);
  return { documents: (await deps.issuers.doctypes(issuer.id)).map((d) => ({ doctype: d.code, description: d.name })) };
}

export async function partnerParameters(deps: Pick<IssuerDeps, 'issuers'>, orgid: unknown, doctype: unknown): Promise<Array<{ label: string; paramname: string; example: string; valuelist?: string[] }>> {
  const issuer = await connectedIssuer(deps, orgid);
  if (typeof doctype !== 'string' || doctype === '') throw invalidParameter('doctype');
  const d = await deps.issuers.doctype(issuer.id, doctype);
  if (!d) throw invalidParameter('doctype');
  return d.parameters.map((p) => ({ label: p.label, paramname: p.name, example: p.example ?? '', ...(p.values ? { valuelist: p.values.map((v) => v.value) } : {}) }));
}
