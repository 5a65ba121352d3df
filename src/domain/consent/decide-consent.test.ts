import { describe, expect, it } from 'vitest';
import { decideConsent, offerConsent } from './decide-consent.ts';
import { consentDocumentSources, type ConsentableDocument } from './ports.ts';

/** A test implementation of the document port: what phase 2's issued and uploads modules will provide. */
function sources(docs: Record<string, ConsentableDocument[]>) {
  const s = consentDocumentSources();
  s.register({ name: 'test', list: async (accountId) => docs[accountId] ?? [] });
  return s;
}

const PAN: ConsentableDocument = { kind: 'issued', uri: 'in.gov.pan-PANCR-TSTPS0001A', name: 'PAN verification record', doctype: 'PANCR', issuer: 'Income Tax' };
const DL: ConsentableDocument = { kind: 'issued', uri: 'in.gov.transport-DRVLC-UP7820109990001', name: 'Driving licence', doctype: 'DRVLC', issuer: 'MoRTH' };
const UP: ConsentableDocument = { kind: 'upload', id: 'u1', name: 'rent-agreement.pdf' };

describe('consent screen decisions', () => {
  const documents = sources({ a: [PAN, DL, UP], b: [{ ...PAN, uri: 'in.gov.pan-PANCR-OTHER' }] });

  it('offers only the citizen’s documents the scopes reach, filtered by req_doctype, plus doc-type items', async () => {
    const offer = await offerConsent({ documents }, 'a', { scopes: ['userdetails', 'files.issueddocs', 'partners.HSCER'], doctypes: ['PANCR'] });
    expect(offer.items.map((i) => i.key)).toEqual(['issued:in.gov.pan-PANCR-TSTPS0001A', 'doctype:HSCER']);
    const uploads = await offerConsent({ documents }, 'a', { scopes: ['files.uploadeddocs'], doctypes: [] });
    expect(uploads.items.map((i) => i.key)).toEqual(['upload:u1']);
    expect((await offerConsent({ documents }, 'a', { scopes: ['userdetails'], doctypes: [] })).items).toEqual([]);
  });

  it('keeps exactly what stays ticked; an unticked document scope is not granted at all', async () => {
    const offer = await offerConsent({ documents }, 'a', { scopes: ['openid', 'userdetails', 'files.issueddocs', 'files.uploadeddocs', 'partners.HSCER'], doctypes: [] });
    const all = decideConsent(offer, offer.items.map((i) => i.key));
    expect(all.scopes).toEqual(['openid', 'userdetails', 'files.issueddocs', 'files.uploadeddocs', 'partners.HSCER']);
    expect(all.documents).toHaveLength(4);
    const some = decideConsent(offer, ['issued:in.gov.transport-DRVLC-UP7820109990001']);
    expect(some.documents).toEqual([DL]);
    expect(some.scopes).toEqual(['openid', 'userdetails', 'files.issueddocs']);
    const none = decideConsent(offer, []);
    expect(none).toEqual({ scopes: ['openid', 'userdetails'], documents: [] });
  });

  it('a forged form cannot add a document the screen did not offer (another citizen’s, or unknown)', async () => {
    const offer = await offerConsent({ documents }, 'a', { scopes: ['files.issueddocs'], doctypes: [] });
    const d = decideConsent(offer, ['issued:in.gov.pan-PANCR-OTHER', 'upload:u1', 'doctype:PANCR', 'issued:in.gov.pan-PANCR-TSTPS0001A']);
    expect(d.documents).toEqual([PAN]);
    expect(d.scopes).toEqual(['files.issueddocs']);
  });
});
