/**
 * The sandbox issuers sign what they issue: a document pulled from the sandbox through the
 * Issuer API is a signed PDF (and signed XML) that the locker's verify API accepts as
 * valid, and the issuer serves the same bytes every time it is asked.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signingRenderer } from '../../src/compose/sandbox-renderer.ts';
import { extractKycRes, inspectCertificateXml, verifyCertificateXml } from '../../src/crypto/signing/xml-dsig.ts';
import { issuerEndpoint } from '../../src/domain/issuers/issuer-endpoint.ts';
import { resolveDocumentUri } from '../../src/domain/issuers/resolve-document-uri.ts';
import { createIssuerApiClient } from '../../src/integrations/issuer-api/client.ts';
import { issuerServices } from '../../src/wiring/issuers.ts';
import { describeEachStack } from '../support/app.ts';
import { registerSandboxIssuers, startTestSandbox, type TestSandbox } from '../support/sandbox.ts';
import { verifyFile } from '../support/verification.ts';

describeEachStack('sandbox issuers sign their documents', (get) => {
  let sandbox: TestSandbox;
  const client = () => createIssuerApiClient({ clock: get().deps.clock, settings: { retries: 0, timeoutMs: 20_000, backoffBaseMs: 5 } });

  beforeAll(async () => {
    sandbox = await startTestSandbox({ renderer: signingRenderer(get().deps) });
    await registerSandboxIssuers(get().deps, sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a pulled CBSE marksheet is a signed PDF and XML that verify as valid, served identically twice', async () => {
    const services = issuerServices(get().deps);
    const endpoint = await issuerEndpoint(services, 'in.gov.cbse', 'HSCER');
    const doctype = (await services.issuers.doctype('in.gov.cbse', 'HSCER'))!;
    const pulled = await client().pullUri(endpoint, {
      doctype,
      digilockerId: crypto.randomUUID(),
      params: { rollno: '2410001', year: '2024' },
      profile: { fullName: 'Asha Verma', dob: '2006-03-14' },
      format: 'both',
    });
    expect(pulled.status).toBe('issued');
    if (pulled.status !== 'issued') return;
    expect(pulled.doc?.subarray(0, 5).toString()).toBe('%PDF-');

    const pdfCheck = await verifyFile(get().app, pulled.doc!);
    expect(pdfCheck.body).toMatchObject({ status: 'valid', issuer_id: 'in.gov.cbse' });
    const xmlCheck = await verifyFile(get().app, pulled.data!);
    expect(xmlCheck.body.status).toBe('valid');

    const r = await resolveDocumentUri(services, pulled.uri);
    const again = await client().pullDoc(await issuerEndpoint(services, r.issuer.id, r.doctype.code), pulled.uri, 'pdf', { digilockerId: crypto.randomUUID() });
    expect(again.doc?.equals(pulled.doc!)).toBe(true);
  }, 120_000);

  it('the eAadhaar XML carries UIDAI’s KycRes (Rar; UidData: Poi, Poa, LData, Pht, Prn) as DigiLocker clients read it, under a valid signature', async () => {
    const services = issuerServices(get().deps);
    const pulled = await client().pullUri(await issuerEndpoint(services, 'in.gov.uidai', 'ADHAR'), {
      doctype: (await services.issuers.doctype('in.gov.uidai', 'ADHAR'))!,
      digilockerId: crypto.randomUUID(),
      params: {},
      profile: { uid: '999900000028', fullName: 'Rahul Sharma', dob: '1990-07-22', gender: 'M' },
      format: 'xml',
    });
    expect(pulled.status).toBe('issued');
    if (pulled.status !== 'issued') return;
    const xml = pulled.data!.toString('utf8');
    // The spec's EaadharXamlSchema: KycRes@ret,code,ts,ttl,txn with Rar and UidData@uid,tkn
    // holding Poi, Poa (every part), LData, Pht and Prn.
    const kyc = /<CertificateData[^>]*><KycRes ret="Y" code="[^"]+" ts="[^"]+" ttl="[^"]+" txn="[^"]+"><Rar>([A-Za-z0-9+/=]+)<\/Rar><UidData uid="xxxxxxxx0028" tkn="[0-9a-f]{32}"><Poi name="Rahul Sharma" dob="22-07-1990" gender="M"\/><Poa ([^>]*)\/><LData lang="06" name="[^"]+"\/><Pht>([A-Za-z0-9+/=]+)<\/Pht><Prn type="pdf"\/><\/UidData><Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature><\/KycRes>/.exec(xml);
    expect(kyc, xml.slice(0, 800)).not.toBeNull();
    expect(kyc![2]).toMatch(/co="S\/O [^"]+" house="[^"]+" street="[^"]*" lm="" loc="[^"]*" vtc="[^"]+" subdist="" dist="[^"]+" state="[^"]+" country="India" pc="\d{6}" po=""/);
    expect(Buffer.from(kyc![3]!, 'base64').subarray(0, 3).toString('hex'), 'a JPEG photo').toBe('ffd8ff');
    expect(Buffer.from(kyc![1]!, 'base64').toString('utf8')).toMatch(/^<UidData uid="xxxxxxxx0028"/);
    expect(xml).not.toContain('999900000028');
    const whole = (await verifyFile(get().app, pulled.data!)).body;
    expect(whole.status).toBe('valid');
    expect(whole.checks.find((c: { id: string }) => c.id === 'kycres_signature')).toMatchObject({ result: 'passed' });
    // The KycRes is inside what the signature covers.
    const tampered = xml.replace('dob="22-07-1990"', 'dob="22-07-1980"');
    expect((await verifyFile(get().app, Buffer.from(tampered))).body.status).toBe('tampered');
    // And it carries UIDAI's own signature, checkable on KycRes alone (as a client that takes
    // it out of the certificate does), under the UIDAI certificate that signs the whole.
    const uidaiCert = inspectCertificateXml(xml)!.certificate!;
    const kycRes = extractKycRes(xml)!;
    expect(kycRes).toMatch(/^<KycRes ret="Y"[\s\S]*<\/Signature><\/KycRes>$/);
    expect(inspectCertificateXml(kycRes)!.certificate!.equals(uidaiCert)).toBe(true);
    expect(verifyCertificateXml(kycRes, uidaiCert)).toBe(true);
    const poiTampered = xml.replace('<Poi name="Rahul Sharma" dob="22-07-1990"', '<Poi name="Rahul Sharma" dob="22-07-1980"');
    expect(poiTampered).not.toBe(xml);
    expect(verifyCertificateXml(extractKycRes(poiTampered)!, uidaiCert)).toBe(false);
    const both = (await verifyFile(get().app, Buffer.from(poiTampered))).body;
    expect(both.status).toBe('tampered');
    expect(both.checks.find((c: { id: string }) => c.id === 'kycres_signature')).toMatchObject({ result: 'failed' });
    // KycRes alone, as a verifier holding only UIDAI's answer uploads it: UIDAI's key, valid; changed, tampered.
    const alone = (await verifyFile(get().app, Buffer.from(kycRes))).body;
    expect(alone).toMatchObject({ status: 'valid', issuer_id: 'in.gov.uidai' });
    expect((await verifyFile(get().app, Buffer.from(kycRes.replace('name="Rahul Sharma"', 'name="Rahul Verma"')))).body.status).toBe('tampered');
    expect(verifyCertificateXml(kycRes.replace('name="Rahul Sharma"', 'name="Rahul Verma"'), uidaiCert)).toBe(false);
  }, 120_000);
});
