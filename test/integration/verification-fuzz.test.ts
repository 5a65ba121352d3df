/**
 * Random and malicious input to the verification endpoints: whatever arrives — random
 * JSON, random bytes behind a PDF/PNG/JPEG magic number, truncated real documents — the
 * answer is a 2xx verdict or a 4xx with a code, never a 5xx.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { verificationDeps } from '../../src/compose/verification.ts';
import { issueSignedDocument } from '../../src/domain/verification/issue-signed-document.ts';
import { sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { describeEachStack } from '../support/app.ts';
import { multipart } from '../support/verification.ts';

const MAGIC = [Buffer.from('%PDF-1.7\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<?xml version="1.0"?><Certificate>'), Buffer.alloc(0)];

describeEachStack('verification endpoints under random input', (get) => {
  it('random JSON bodies: never a 5xx', async () => {
    const app = get().app;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/v1/verify', '/credentials/verify', '/presentations/verify', '/api/v1/credentials/present'), fc.jsonValue({ maxDepth: 3 }), async (url, body) => {
        const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect(res.statusCode, `${url} ${JSON.stringify(body).slice(0, 200)} -> ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });

  it('random files behind real magic numbers, and truncated signed PDFs: never a 5xx', async () => {
    const app = get().app;
    const signed = await issueSignedDocument(verificationDeps(get().deps), sampleDocument('in.gov.cbse', 'SSMGR', { seed: 'fuzz' }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MAGIC), fc.uint8Array({ maxLength: 3000 }), fc.nat({ max: signed.pdf.length }), fc.boolean(), async (magic, rest, cut, truncate) => {
        const file = truncate ? signed.pdf.subarray(0, cut) : Buffer.concat([magic, Buffer.from(rest)]);
        const res = await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', file) });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode === 200) expect(['valid', 'tampered', 'revoked', 'unknown_issuer', 'undetermined']).toContain(res.json().status);
        if (truncate && cut < signed.pdf.length && res.statusCode === 200) expect(res.json().status).not.toBe('valid');
      }),
      { numRuns: 60 },
    );
  });
});
