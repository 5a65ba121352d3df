/**
 * A `CertificateDocument` as a W3C Verifiable Credential 2.0 (unsigned): the holder and
 * the document's fields become credentialSubject claims, each disclosable on its own
 * under SD-JWT. Derived claims are added where a verifier needs less than the source:
 * `age_over_18` (from the date of birth) lets an eAadhaar prove majority without the date.
 */
import type { CertificateDocument } from '../documents/certificate.ts';
import { UNDEFINED_TERMS_CONTEXT, VC_V2_CONTEXT } from '../../crypto/vc/contexts.ts';

function camel(s: string): string {
  const words = s.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('') || 'value';
}

export function ageOn(dob: string, on: Date): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--;
  return age;
}

export function documentToCredential(doc: CertificateDocument, issuer: { did: string; name: string }, now: Date): Record<string, unknown> {
  const subject: Record<string, unknown> = { name: doc.holder.name };
  if (doc.holder.nameHi) subject.nameHindi = doc.holder.nameHi;
  if (doc.holder.dob) {
    subject.birthDate = doc.holder.dob;
    subject.age_over_18 = ageOn(doc.holder.dob, now) >= 18;
  }
  if (doc.holder.gender) subject.gender = doc.holder.gender;
  if (doc.holder.guardianName) subject.guardianName = doc.holder.guardianName;
  if (doc.holder.uidLast4) subject.aadhaarLast4 = doc.holder.uidLast4;
  for (const f of doc.fields) if (!(f.key in subject)) subject[f.key] = f.value;
  for (const t of doc.tables ?? []) {
    const cols = t.columns.map(camel);
    subject[camel(t.caption)] = t.rows.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i] ?? ''])));
  }
  subject.documentUri = doc.uri;
  subject.documentType = doc.doctype;
  subject.documentNumber = doc.number;
  return {
    '@context': [VC_V2_CONTEXT, UNDEFINED_TERMS_CONTEXT],
    id: `urn:openlocker:document:${doc.uri}`,
    type: ['VerifiableCredential', 'DigiLockerDocument'],
    name: doc.title,
    issuer: { id: issuer.did, name: issuer.name },
    validFrom: `${doc.validFrom ?? doc.issuedOn}T00:00:00Z`,
    ...(doc.validUntil ? { validUntil: `${doc.validUntil}T23:59:59Z` } : {}),
    credentialSubject: subject,
  };
}
