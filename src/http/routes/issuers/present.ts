/** Domain objects → the snake_case wire shapes of schemas.ts. */
import type { Doctype, Issuer, IssuerSummary, IssuerWithDoctypes } from '../../../domain/issuers/model.ts';

export const presentSummary = (i: IssuerSummary) => ({ id: i.id, name: i.name, category: i.category, scope: i.scope, state: i.state, connected: i.connected, doctype_count: i.doctypeCount });

export const presentDoctype = (d: Doctype) => ({ code: d.code, name: d.name, formats: d.formats, parameters: d.parameters, profile_fields: d.profileFields });

export const presentPublicIssuer = (i: IssuerWithDoctypes) => ({ ...presentSummary(i), description: i.description, doctypes: i.doctypes.map(presentDoctype) });

export const presentAdminIssuer = (i: Issuer & { doctypes?: Doctype[] }) => ({
  ...presentSummary(i),
  description: i.description,
  status: i.status,
  source: i.source,
  org_id: i.orgId,
  pull_uri_url: i.pullUriUrl,
  pull_doc_url: i.pullDocUrl,
  hmac_key_set: i.hmacKeySet,
  hmac_key_hint: i.hmacKeyHint,
  hmac_encoding: i.hmacEncoding,
  timeout_ms: i.timeoutMs,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
  ...(i.doctypes ? { doctypes: i.doctypes.map((d) => ({ ...presentDoctype(d), pull_uri_url: d.pullUriUrl, pull_doc_url: d.pullDocUrl })) } : {}),
});
