/**
 * The answer of every verification: one of five statuses — never a bare "invalid" — with
 * the issuer, the signing time, each check made and the fields the signature vouches for.
 *
 * - valid: every check passed.
 * - tampered: a signature does not match the bytes (changed after signing, or forged).
 * - revoked: the signing key was revoked, or signed outside its validity period.
 * - unknown_issuer: no trusted key of any issuer signed it (or it is not signed at all).
 * - undetermined: the key directory or key log could not be consulted, so nothing can be
 *   said either way; try again later.
 */
import { checkDetail, checkDetailText, type CheckDetail, type CheckDetailArgs, type CheckDetailKey } from './check-details.ts';
import type { IssuerKey } from './ports.ts';

export type VerifyStatus = 'valid' | 'tampered' | 'revoked' | 'unknown_issuer' | 'undetermined';
export type CheckResult = 'passed' | 'failed' | 'skipped' | 'error';

export interface VerifyCheck {
  /** Stable identifier, e.g. `pdf_digest`, `qr_signature`, `key_status`. */
  id: string;
  result: CheckResult;
  /** One sentence a person can read (English). */
  detail: string;
  /**
   * The same detail by catalogue key and parameters (check-details.ts), for pages to
   * translate. Not part of the API answer (its schema carries `detail` only).
   */
  detailParts?: CheckDetail[];
}

export interface VerifyResult {
  status: VerifyStatus;
  /** What was verified: a PDF, a QR code (text or image), a certificate XML, a credential. */
  source: 'pdf' | 'qr' | 'xml' | 'credential';
  issuer_id: string | null;
  issuer_name: string | null;
  /** ISO-8601 signing time as the signature claims it. */
  signed_at: string | null;
  key_id: string | null;
  checks: VerifyCheck[];
  /** The fields the signature vouches for (empty unless the signature checked out). */
  fields: Record<string, string>;
}

/** A check as the Verdict makes it: its detail always by key. */
export type VerdictCheck = VerifyCheck & { detailParts: CheckDetail[] };

/** Collects checks and the facts that decide the status, in precedence order. */
export class Verdict {
  readonly checks: VerdictCheck[] = [];
  tampered = false;
  unknownIssuer = false;
  revoked = false;
  undetermined = false;

  /** Adds check `id` explained by the sentence `key` of check-details.ts (its English becomes `detail`). */
  check<K extends CheckDetailKey>(id: string, result: CheckResult, key: K, ...params: CheckDetailArgs<K>): this {
    return this.checkParts(id, result, [checkDetail(key, ...params)]);
  }

  /** Adds check `id` explained by several sentences, in order. */
  checkParts(id: string, result: CheckResult, parts: CheckDetail[]): this {
    this.checks.push({ id, result, detail: checkDetailText(parts), detailParts: parts });
    return this;
  }

  get status(): VerifyStatus {
    if (this.tampered) return 'tampered';
    if (this.unknownIssuer) return 'unknown_issuer';
    if (this.revoked) return 'revoked';
    if (this.undetermined) return 'undetermined';
    return 'valid';
  }
}

/** Clocks disagree a little; a signature a few minutes outside a validity bound is not suspicious. */
const SKEW_MS = 5 * 60_000;

/** Adds `key_status` and `key_valid_at_signing` for `key` used at `signedAt`. */
export function checkKeyStatus(v: Verdict, key: IssuerKey, signedAt: Date | null, now: Date): void {
  if (key.revokedAt) {
    v.revoked = true;
    const revoked_at = key.revokedAt.toISOString();
    if (key.revocationReason) v.check('key_status', 'failed', 'key_status.revoked_reason', { revoked_at, revocation_reason: key.revocationReason });
    else v.check('key_status', 'failed', 'key_status.revoked', { revoked_at });
  } else {
    v.check('key_status', 'passed', 'key_status.not_revoked');
  }
  if (!signedAt) {
    v.check('key_valid_at_signing', 'skipped', 'key_valid_at_signing.no_time');
    return;
  }
  const t = signedAt.getTime();
  if (t > now.getTime() + SKEW_MS) {
    v.tampered = true;
    v.check('key_valid_at_signing', 'failed', 'key_valid_at_signing.future');
  } else if (t < key.validFrom.getTime() - SKEW_MS || (key.validUntil && t > key.validUntil.getTime() + SKEW_MS)) {
    v.revoked = true;
    const valid_from = key.validFrom.toISOString();
    if (key.validUntil) v.check('key_valid_at_signing', 'failed', 'key_valid_at_signing.outside', { valid_from, valid_until: key.validUntil.toISOString() });
    else v.check('key_valid_at_signing', 'failed', 'key_valid_at_signing.outside_open', { valid_from });
  } else {
    v.check('key_valid_at_signing', 'passed', key.validUntil ? 'key_valid_at_signing.rotated' : 'key_valid_at_signing.in_use');
  }
}

export function result(v: Verdict, source: VerifyResult['source'], rest: Partial<Omit<VerifyResult, 'status' | 'checks' | 'source'>>): VerifyResult {
  const ok = v.status === 'valid' || v.status === 'revoked' || v.status === 'undetermined';
  return {
    status: v.status,
    source,
    issuer_id: rest.issuer_id ?? null,
    issuer_name: rest.issuer_name ?? null,
    signed_at: rest.signed_at ?? null,
    key_id: rest.key_id ?? null,
    checks: v.checks,
    // Fields are shown only when the signature over them held.
    fields: ok && !v.unknownIssuer ? (rest.fields ?? {}) : {},
  };
}
