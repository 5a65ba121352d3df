/**
 * The sentences that explain each verification check, in English, by key. A check names
 * its sentence by key and parameters (`Verdict.check`); its `detail` — what the API and the
 * CLI show — is the English filled in here, and the verify page translates the same key
 * (web/verification/messages.ts holds the Hindi; the domain holds no other language), so
 * the English and the translation cannot drift apart.
 *
 * Keys are `<check id>.<case>`. `{name}` placeholders are filled with the parameters;
 * their names are checked by the compiler (`checkDetail('issuer_key.kid', { kid, … })`).
 */
export const CHECK_DETAILS = {
  // QR code (verify-qr.ts)
  'qr_format.jws': 'The QR code holds a signed, compressed payload (JWS).',
  'issuer_key.directory_down_qr': 'The issuer key directory could not be consulted, so the signature cannot be checked now. Try again later.',
  'issuer_key.unknown_qr': 'No issuer known to this locker has the key that signed this QR code.',
  'issuer_key.kid': 'Signed with key {kid} of {issuer_name} ({issuer_id}).',
  'qr_signature.bad_signature': 'The signature does not match the QR contents: it was altered or forged.',
  'qr_signature.malformed': 'The QR payload is not in the expected format.',
  'qr_signature.valid': 'The issuer signature over the QR contents is valid.',
  'issuer_match.qr': 'The QR code claims issuer {claimed_issuer} but was signed by {issuer_id}.',
  'document_hash.upload_pdf': 'The QR code carries the document hash; upload the PDF to check the document itself against it.',

  // Signed PDF (verify-pdf.ts)
  'pdf_signature_present.none': 'The PDF carries no digital signature.',
  'pdf_signature_present.one': 'The PDF carries one digital signature.',
  'pdf_signature_present.many': 'The PDF carries {count} digital signatures.',
  'pdf_signature.damaged': 'The signature is damaged: {problem}.',
  'pdf_signature.unreadable': 'The signature is damaged: unreadable.',
  'pdf_signature.valid': 'The signature over the content is valid.',
  'pdf_signature.forged': 'The signature does not match its certificate: it is forged or damaged.',
  'pdf_digest.mismatch': 'The signed content was changed after signing (digest mismatch).',
  'pdf_digest.match': 'The signed content is exactly what was signed.',
  'pdf_whole_document.covered': 'The signature covers the whole file.',
  'pdf_whole_document.appended': 'Content was added to the file after it was signed (an incremental update or appended data).',
  'issuer_key.directory_down_pdf': 'The issuer key directory could not be consulted, so the signer cannot be confirmed now. Try again later.',
  'issuer_key.unknown_certificate': 'The signing certificate ({subject}) belongs to no issuer known to this locker.',
  'issuer_key.certificate_kid': 'Signed with the certificate of {issuer_name} ({issuer_id}), key {kid}.',
  'certificate_validity.outside': 'The certificate was valid from {not_before} to {not_after}, not at the signing time.',
  'certificate_validity.valid': 'The certificate was valid at the signing time.',
  'certificate_chain.issued_by': 'The certificate was issued by {ca_name}.',
  'certificate_chain.broken': 'The certificate does not chain to its registered issuing CA.',
  'qr_payload.unreadable_attachments': 'The attachments of the PDF could not be read.',
  'qr_payload.absent': 'The PDF has no attached QR payload; its signature alone vouches for it.',
  'qr_payload.not_verified': 'The QR payload does not verify.',
  'qr_payload.other_issuer': 'The QR code was signed by {qr_issuer_id}, the PDF by {pdf_issuer_id}.',
  'qr_payload.same_issuer': 'The QR code printed on the document is signed by the same issuer.',
  'xml_signature.not_issuer': 'The attached certificate XML does not carry a valid signature of this issuer.',
  'xml_signature.other_document': 'The attached certificate XML is not the document the QR code vouches for.',
  'xml_signature.attached_valid': 'The attached certificate XML is signed by the issuer and matches the QR code.',

  // Certificate XML (verify-upload.ts)
  'issuer_key.directory_down': 'The issuer key directory could not be consulted. Try again later.',
  'issuer_key.unknown_xml': 'The XML is signed with a certificate of no issuer known to this locker.',
  'issuer_key.certificate': 'Signed with the certificate of {issuer_name} ({issuer_id}).',
  'xml_signature.valid': 'The XML signature is valid and covers the whole document.',
  'xml_signature.changed': 'The XML was changed after signing, or its signature is forged.',
  'kycres_signature.valid': 'The e-KYC answer inside (KycRes) also carries a valid signature of its own, by the same issuer key.',
  'kycres_signature.changed': 'The e-KYC answer inside (KycRes) was changed after it was signed, or its signature is forged.',

  // The signing key's status (verify-result.ts)
  'key_status.revoked': 'The issuer revoked this key on {revoked_at}.',
  'key_status.revoked_reason': 'The issuer revoked this key on {revoked_at} ({revocation_reason}).',
  'key_status.not_revoked': 'The issuer has not revoked this key.',
  'key_valid_at_signing.no_time': 'The signature states no signing time.',
  'key_valid_at_signing.future': 'The signature claims a signing time in the future.',
  'key_valid_at_signing.outside': 'The key was in use from {valid_from} to {valid_until}, not at the claimed signing time.',
  'key_valid_at_signing.outside_open': 'The key was in use from {valid_from} to now, not at the claimed signing time.',
  'key_valid_at_signing.rotated': 'Signed while the key was in use (it has since been rotated; old documents stay valid).',
  'key_valid_at_signing.in_use': 'Signed while the key was in use.',

  // Verifiable Credentials (verify-credential.ts)
  'issuer_key.unknown_credential_key': 'The key that signed this credential belongs to no issuer known to this locker.',
  'issuer_key.unknown_did': 'The key {did} belongs to no issuer known to this locker.',
  'credential_signature.failed': 'The credential does not verify: {reason}',
  'credential_signature.valid': 'The issuer signature and every disclosed claim check out.',
  'holder_binding.proved': 'The presenter proved possession of the holder key.',
  'issuer_match.credential': 'The credential names an issuer other than the one whose key signed it.',
  'credential_proof.absent': 'The credential carries no proof.',
  'credential_proof.offline': '{errors}',
  'credential_proof.failed': 'The proof does not verify: {errors}.',
  'credential_proof.invalid_signature': 'The proof does not verify: invalid signature.',
  'credential_proof.valid': 'The Data Integrity proof (eddsa-rdfc-2022) is valid.',
} as const;

export type CheckDetailKey = keyof typeof CHECK_DETAILS;

/**
 * Parameters that carry English text from elsewhere (a library's reason, a parser's
 * problem): a translation keeps them as they are, and a page marks them as English.
 */
export const ENGLISH_TEXT_PARAMS: ReadonlySet<string> = new Set(['problem', 'reason', 'errors']);

/** The placeholder names of a template: `'a {x} b {y}'` → `'x' | 'y'`. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The parameters a key needs: none, or exactly its placeholders. */
export type CheckDetailArgs<K extends CheckDetailKey> = [Placeholders<(typeof CHECK_DETAILS)[K]>] extends [never] ? [] : [params: Record<Placeholders<(typeof CHECK_DETAILS)[K]>, string | number>];

/** One sentence of a check's detail, by key (a detail may be several, e.g. the failures of an embedded QR). */
export interface CheckDetail {
  key: CheckDetailKey;
  params?: Record<string, string>;
}

export function checkDetail<K extends CheckDetailKey>(key: K, ...args: CheckDetailArgs<K>): CheckDetail {
  const given = args[0] as Record<string, string | number> | undefined;
  if (!given) return { key };
  return { key, params: Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)])) };
}

/** Fills `{name}` placeholders in one pass (a value containing braces is not filled again). */
export function fillPlaceholders(template: string, params: Record<string, string> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (m, p: string) => (params && Object.hasOwn(params, p) ? params[p]! : m));
}

/** The English sentence(s) of a detail, as the API's `detail` carries them. */
export function checkDetailText(parts: readonly CheckDetail[]): string {
  return parts.map((d) => fillPlaceholders(CHECK_DETAILS[d.key], d.params)).join(' ');
}
