/**
 * The /verify page's result in Hindi: every check's detail is a Hindi sentence (the
 * English one stays for English pages and for the API, whose answer keeps its shape).
 */
import crypto from 'node:crypto';
import { CompactSign } from 'jose';
import { expect, it } from 'vitest';
import { verificationDeps } from '../../src/compose/verification.ts';
import { jwsToQrText, qrTextToJws } from '../../src/crypto/qr-code.ts';
import { issueSignedDocument } from '../../src/domain/verification/issue-signed-document.ts';
import { sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { describeEachStack, randomId, type TestApp } from '../support/app.ts';
import { flipByte, multipart } from '../support/verification.ts';

async function issue(t: TestApp) {
  return issueSignedDocument(verificationDeps(t.deps), sampleDocument('in.gov.cbse', 'HSCER', { seed: randomId() }));
}

/** The result's checks as text, one per `<li>`, markup kept (to see which parts are marked English). */
function checkItems(page: string): string[] {
  return [...page.matchAll(/<li class="check (?:passed|failed|skipped|error)">([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
}

/** The QR text with one character of its payload changed (the signature no longer matches). */
function editedQr(qrText: string): string {
  const [h, p, s] = qrTextToJws(qrText)!.split('.') as [string, string, string];
  return jwsToQrText(`${h}.${p.slice(0, 10)}${p[10] === 'A' ? 'B' : 'A'}${p.slice(11)}.${s}`);
}

describeEachStack('verify page in Hindi', (get) => {
  it('a valid QR: every check is explained in Hindi, with the key and issuer filled in; no English detail is left', async () => {
    const signed = await issue(get());
    const res = await get().app.inject({ method: 'POST', url: '/verify', headers: { 'accept-language': 'hi' }, payload: { qr: signed.qrText } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="hi">');
    expect(res.body).toContain('data-status="valid"');
    expect(res.body).toContain('QR कोड में हस्ताक्षरित, संपीड़ित डेटा (JWS) है।');
    expect(res.body).toContain(`केंद्रीय माध्यमिक शिक्षा बोर्ड (in.gov.cbse) की कुंजी ${signed.keyId} से हस्ताक्षरित।`);
    expect(res.body).toContain('<dd>केंद्रीय माध्यमिक शिक्षा बोर्ड <span class="muted">(in.gov.cbse)</span></dd>');
    expect(res.body).toContain('QR की सामग्री पर जारीकर्ता का हस्ताक्षर वैध है।');
    expect(res.body).toContain('जारीकर्ता ने यह कुंजी रद्द नहीं की है।');
    expect(res.body).toContain('QR कोड में दस्तावेज़ का हैश है; दस्तावेज़ को इससे मिलाकर जाँचने के लिए उसका PDF अपलोड करें।');
    expect(res.body).not.toContain('The issuer signature over the QR contents is valid.');
    const items = checkItems(res.body);
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const item of items) expect(item).not.toContain('lang="en"');
  });

  it('a tampered QR (cookie lang=hi): the failed signature check says so in Hindi', async () => {
    const signed = await issue(get());
    const res = await get().app.inject({ method: 'POST', url: '/verify', headers: { cookie: 'lang=hi' }, payload: { qr: editedQr(signed.qrText) } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-status="tampered"');
    const failed = checkItems(res.body).filter((i) => i.includes('विफल'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('(qr_signature)');
    expect(failed[0]).toContain('हस्ताक्षर QR की सामग्री से मेल नहीं खाता: इसे बदला गया है या यह जाली है।');
    expect(res.body).not.toContain('it was altered or forged');
  });

  it('a tampered PDF, checked in a worker thread: its failed checks are in Hindi too', async () => {
    const signed = await issue(get());
    const form = multipart('file', flipByte(signed.pdf, 1500), 'bad.pdf');
    const page = await get().app.inject({ method: 'POST', url: '/verify', payload: form.payload, headers: { ...form.headers, 'accept-language': 'hi' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-status="tampered"');
    const items = checkItems(page.body);
    const failed = items.filter((i) => i.includes('विफल'));
    expect(failed.length).toBeGreaterThan(0);
    // After the check's name and id, the sentence itself is Hindi.
    for (const item of failed) expect(item).toMatch(/\)<\/span>: [^<]*[\u0900-\u097f][^<]*।$/);
    for (const item of items) expect(item).not.toContain('<span lang="en">');
  });

  it('in English the page is as before, and the API answer keeps its shape and English details', async () => {
    const signed = await issue(get());
    const page = await get().app.inject({ method: 'POST', url: '/verify', headers: { 'accept-language': 'en' }, payload: { qr: signed.qrText } });
    expect(page.body).toContain('QR code signature: <span lang="en">The issuer signature over the QR contents is valid.</span>');
    expect(page.body).toContain(`Issuer key: <span lang="en">Signed with key ${signed.keyId} of Central Board of Secondary Education (in.gov.cbse).</span>`);
    expect(page.body).not.toContain('QR की सामग्री');

    const api = await get().app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'accept-language': 'hi' }, payload: { qr: editedQr(signed.qrText) } });
    const body = api.json();
    expect(Object.keys(body).sort()).toEqual(['checks', 'fields', 'issuer_id', 'issuer_name', 'key_id', 'signed_at', 'source', 'status']);
    for (const c of body.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'id', 'result']);
    expect(body.checks.find((c: { id: string }) => c.id === 'qr_signature')).toEqual({ id: 'qr_signature', result: 'failed', detail: 'The signature does not match the QR contents: it was altered or forged.' });
  });

  it('a QR signed by no known key: the issuer check in Hindi', async () => {
    const key = crypto.generateKeyPairSync('ed25519').privateKey;
    const fake = await new CompactSign(Buffer.from('{}')).setProtectedHeader({ alg: 'EdDSA', kid: 'not-a-known-kid' }).sign(key);
    const res = await get().app.inject({ method: 'POST', url: '/verify', headers: { 'accept-language': 'hi' }, payload: { qr: jwsToQrText(fake) } });
    expect(res.body).toContain('data-status="unknown_issuer"');
    expect(res.body).toContain('इस लॉकर को ज्ञात किसी भी जारीकर्ता के पास वह कुंजी नहीं है जिससे इस QR कोड पर हस्ताक्षर किए गए।');
  });
  it('errors on the page are in Hindi too (by code); English keeps the specific sentence', async () => {
    const hi = await get().app.inject({ method: 'POST', url: '/verify', headers: { 'accept-language': 'hi' }, payload: { qr: 'hello there' } });
    expect(hi.statusCode).toBe(400);
    expect(hi.body).toContain('यह OpenLocker के ज़रिए हस्ताक्षरित किसी दस्तावेज़ का QR कोड नहीं है।');
    expect(hi.body).toContain('>hello there</textarea>');
    const en = await get().app.inject({ method: 'POST', url: '/verify', headers: { 'accept-language': 'en' }, payload: { qr: 'hello there' } });
    expect(en.body).toContain('This is not the QR code of an OpenLocker-signed document (it should start with OL1:/).');
    const text = multipart('file', Buffer.from('just some text, not a PDF or a photo'), 'notes.txt');
    const unsupported = await get().app.inject({ method: 'POST', url: '/verify', payload: text.payload, headers: { ...text.headers, cookie: 'lang=hi' } });
    expect(unsupported.statusCode).toBe(415);
    expect(unsupported.body).toContain('हस्ताक्षरित PDF, QR कोड की फ़ोटो (JPEG या PNG), या प्रमाणपत्र की XML अपलोड करें।');
  });
});
