/**
 * The sandbox issuers' renderer: signed PAdES PDFs with the QR code and XMLDSig certificate
 * XML, under each sandbox issuer's keys (created on first use under the sandbox root CA).
 * A real issuer signs a document once and serves the same bytes every time; so does this
 * renderer, caching each document's signed files by the document's content (bounded LRU),
 * so that opening a document twice gives byte-identical files and costs one signing.
 */
import crypto from 'node:crypto';
import type { AppDeps } from '../deps.ts';
import type { CertificateDocument } from '../domain/documents/certificate.ts';
import type { DocumentRenderer, RenderedDocument } from '../sandbox/render/renderer.ts';
import { issueSignedDocument } from './verification.ts';

export function signingRenderer(deps: Pick<AppDeps, 'sql' | 'masterKey' | 'clock' | 'config'>, maxCached = 500): DocumentRenderer {
  const cache = new Map<string, Promise<RenderedDocument>>();
  return {
    render(doc: CertificateDocument): Promise<RenderedDocument> {
      const key = crypto
        .createHash('sha256')
        .update(JSON.stringify(doc, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? crypto.createHash('sha256').update(Buffer.from((v as { data: number[] }).data)).digest('hex') : v)))
        .digest('hex');
      const hit = cache.get(key);
      if (hit) {
        // Refresh its place in the LRU order.
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const rendered = issueSignedDocument(deps, { ...doc, sandbox: true }).then((s) => ({ pdf: s.pdf, xml: s.xml }));
      rendered.catch(() => cache.delete(key));
      cache.set(key, rendered);
      if (cache.size > maxCached) cache.delete(cache.keys().next().value!);
      return rendered;
    },
    async warmUp() {
      await Promise.all([import('../rendering/certificate-pdf-impl.ts'), import('../crypto/signing/pades-impl.ts')]);
    },
  };
}
