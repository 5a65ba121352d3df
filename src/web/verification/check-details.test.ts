/**
 * The check sentences: every key the verifiers use has its English (the domain's) and a
 * Hindi translation with the same placeholders; the page shows the Hindi, marks English
 * text from elsewhere as English, and falls back to the English detail when it must.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_DETAILS, checkDetail, checkDetailText, ENGLISH_TEXT_PARAMS, type CheckDetailKey } from '../../domain/verification/check-details.ts';
import { Verdict, type VerifyCheck } from '../../domain/verification/verify-result.ts';
import type { PageContext } from '../render.ts';
import { checkDetailMessageKey, verifyMessages } from './messages.ts';
import { checkDetailHtml } from './verify-page.ts';

const DOMAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../domain/verification');

/** Every `'<check id>.<case>'` literal the verifiers pass to Verdict.check / checkDetail. */
function keysUsedByDomain(): Set<string> {
  const used = new Set<string>();
  for (const file of fs.readdirSync(DOMAIN)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'check-details.ts') continue;
    const src = fs.readFileSync(path.join(DOMAIN, file), 'utf8');
    for (const call of src.matchAll(/(?:\.check\(|checkDetail\()([^;]*)/g)) {
      for (const m of call[1]!.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) used.add(m[1]!);
    }
  }
  return used;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
const hi = { lang: 'hi' } as PageContext;
const en = { lang: 'en' } as PageContext;

describe('check sentences', () => {
  it('every key the verifiers use is in the catalogue, and every catalogue key is used', () => {
    const used = keysUsedByDomain();
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in CHECK_DETAILS))).toEqual([]);
    expect(Object.keys(CHECK_DETAILS).filter((k) => !used.has(k))).toEqual([]);
  });

  it('every key has its English and a Hindi sentence on the page, with the same placeholders', () => {
    const missing: string[] = [];
    for (const [key, english] of Object.entries(CHECK_DETAILS)) {
      const mk = checkDetailMessageKey(key as CheckDetailKey);
      const enPage = (verifyMessages.en as Record<string, string | undefined>)[mk];
      const hiPage = (verifyMessages.hi as Record<string, string | undefined>)[mk];
      if (enPage !== english) missing.push(`${mk} (en)`);
      if (!hiPage || !/[\u0900-\u097f]/.test(hiPage)) {
        missing.push(`${mk} (hi)`);
        continue;
      }
      expect(placeholders(hiPage), mk).toEqual(placeholders(english));
    }
    expect(missing).toEqual([]);
  });

  it('the English detail is the catalogue sentence, filled once (values with braces or $ stay as they are)', () => {
    const v = new Verdict().check('issuer_key', 'passed', 'issuer_key.kid', { kid: 'k-{issuer_id}', issuer_name: 'A $& B', issuer_id: 'in.gov.x' });
    expect(v.checks[0]).toEqual({
      id: 'issuer_key',
      result: 'passed',
      detail: 'Signed with key k-{issuer_id} of A $& B (in.gov.x).',
      detailParts: [{ key: 'issuer_key.kid', params: { kid: 'k-{issuer_id}', issuer_name: 'A $& B', issuer_id: 'in.gov.x' } }],
    });
    expect(checkDetailText([checkDetail('pdf_signature_present.many', { count: 2 }), checkDetail('qr_payload.not_verified')])).toBe('The PDF carries 2 digital signatures. The QR payload does not verify.');
  });

  it('the page shows the Hindi sentence, escaped, with English text from elsewhere marked lang="en"', () => {
    const [valid] = new Verdict().check('issuer_key', 'passed', 'issuer_key.kid', { kid: 'kid-1', issuer_name: '<b>Board</b>', issuer_id: 'in.gov.x' }).checks;
    // An issuer name with no Hindi form stays English, marked; a known one is Hindi.
    expect(checkDetailHtml(hi, valid!).value).toBe('<span lang="en">&lt;b&gt;Board&lt;/b&gt;</span> (in.gov.x) की कुंजी kid-1 से हस्ताक्षरित।');
    const [cbse] = new Verdict().check('issuer_key', 'passed', 'issuer_key.kid', { kid: 'kid-1', issuer_name: 'Central Board of Secondary Education', issuer_id: 'in.gov.cbse' }).checks;
    expect(checkDetailHtml(hi, cbse!).value).toBe('केंद्रीय माध्यमिक शिक्षा बोर्ड (in.gov.cbse) की कुंजी kid-1 से हस्ताक्षरित।');
    expect(checkDetailHtml(en, valid!).value).toBe('<span lang="en">Signed with key kid-1 of &lt;b&gt;Board&lt;/b&gt; (in.gov.x).</span>');
    expect(ENGLISH_TEXT_PARAMS.has('problem')).toBe(true);
    const [damaged] = new Verdict().check('pdf_signature', 'failed', 'pdf_signature.damaged', { problem: 'the ByteRange is malformed' }).checks;
    expect(checkDetailHtml(hi, damaged!).value).toBe('हस्ताक्षर क्षतिग्रस्त है: <span lang="en">the ByteRange is malformed</span>।');
  });

  it('a detail of several sentences (an embedded QR that failed) is translated sentence by sentence', () => {
    const sub = new Verdict().check('issuer_key', 'failed', 'issuer_key.unknown_qr');
    const [c] = new Verdict().checkParts('qr_payload', 'failed', sub.checks.flatMap((x) => x.detailParts)).checks;
    expect(c!.detail).toBe('No issuer known to this locker has the key that signed this QR code.');
    expect(checkDetailHtml(hi, c!).value).toBe('इस लॉकर को ज्ञात किसी भी जारीकर्ता के पास वह कुंजी नहीं है जिससे इस QR कोड पर हस्ताक्षर किए गए।');
  });

  it('without a key, or with a key the page does not know, the English detail is shown, marked English', () => {
    const bare: VerifyCheck = { id: 'credential_format', result: 'failed', detail: 'Not a credential.' };
    expect(checkDetailHtml(hi, bare).value).toBe('<span lang="en">Not a credential.</span>');
    const unknown = { id: 'x', result: 'failed', detail: 'Something new.', detailParts: [{ key: 'x.new' as CheckDetailKey }] } satisfies VerifyCheck;
    expect(checkDetailHtml(hi, unknown).value).toBe('<span lang="en">Something new.</span>');
    const unfilled = { id: 'issuer_key', result: 'passed', detail: 'Signed with key k.', detailParts: [{ key: 'issuer_key.kid' as CheckDetailKey }] } satisfies VerifyCheck;
    expect(checkDetailHtml(hi, unfilled).value).toBe('<span lang="en">Signed with key k.</span>');
  });
});
