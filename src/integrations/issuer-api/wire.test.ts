/**
 * The Issuer API wire format against the spec's own examples (apisetu-issuer.json and the
 * samples in DIGILOCKER-APIS.md §3.2–3.3), both directions, and against the ways real
 * issuers deviate (namespace prefixes, CDATA, wrapped base64).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPullDocRequest,
  buildPullDocResponse,
  buildPullUriRequest,
  buildPullUriResponse,
  cutPayloads,
  decodeBase64,
  istTimestamp,
  parsePullDocRequest,
  parsePullDocResponse,
  parsePullUriRequest,
  parsePullUriResponse,
  toDdMmYyyy,
  WireError,
} from './wire.ts';

// The spec's sample request (DIGILOCKER-APIS.md §3.2), verbatim.
const SPEC_PULL_URI_REQUEST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<PullURIRequest xmlns:ns2="http://tempuri.org/" ver="1.0" ts="2016-01-11T14:44:48+05:30"
                txn="1452503688" orgId="in.gov.kerala.edistrict" format="both">
  <DocDetails>
    <DocType>INCER</DocType>
    <DigiLockerId>123e4567-e89b-12d3-a456-426655440000</DigiLockerId>
    <UID>123412341234</UID><FullName>Sunil Kumar</FullName><DOB>31-12-1990</DOB>
    <UDF1>13333</UDF1><UDF2>2016</UDF2>
  </DocDetails>
</PullURIRequest>`;

// The spec's sample response (DIGILOCKER-APIS.md §3.2), verbatim apart from real base64.
const SPEC_PULL_URI_RESPONSE = `<PullURIResponse xmlns:ns2="http://tempuri.org/">
  <ResponseStatus Status="1" ts="2016-01-11T14:44:48+05:30" txn="1452503688">1</ResponseStatus>
  <DocDetails>
    <IssuedTo><Persons><Person name="Sunil Kumar" dob="31-12-1990" gender="M" phone=""/></Persons></IssuedTo>
    <URI>in.gov.dept.state-INCER-1234567</URI>
    <DocContent>JVBERi0xLjcK</DocContent><DataContent>PENlcnRpZmljYXRlLz4=</DataContent>
  </DocDetails>
</PullURIResponse>`;

describe('Pull URI request', () => {
  it('parses the spec sample: envelope attributes, DocDetails, and UDFs under their configured names in order', () => {
    const m = parsePullUriRequest(SPEC_PULL_URI_REQUEST);
    expect(m).toEqual({
      ver: '1.0',
      ts: '2016-01-11T14:44:48+05:30',
      txn: '1452503688',
      orgId: 'in.gov.kerala.edistrict',
      format: 'both',
      docType: 'INCER',
      digiLockerId: '123e4567-e89b-12d3-a456-426655440000',
      uid: '123412341234',
      fullName: 'Sunil Kumar',
      dob: '31-12-1990',
      params: [
        ['UDF1', '13333'],
        ['UDF2', '2016'],
      ],
    });
  });

  it('builds what it parses, with the spec root, namespace and attribute names, escaping values', () => {
    const xml = buildPullUriRequest({
      ver: '1.0',
      ts: '2024-05-13T10:00:00+05:30',
      txn: 't-1',
      orgId: 'in.gov.cbse',
      format: 'pdf',
      docType: 'HSCER',
      digiLockerId: '123e4567-e89b-12d3-a456-426655440000',
      fullName: 'A & B <C>',
      params: [
        ['rollno', '2410001'],
        ['year', '2024'],
      ],
    });
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?><PullURIRequest xmlns:ns2="http:\/\/tempuri\.org\/" ver="1\.0" ts="2024-05-13T10:00:00\+05:30" txn="t-1" orgId="in\.gov\.cbse" format="pdf"><DocDetails><DocType>HSCER<\/DocType>/);
    expect(xml).toContain('<FullName>A &amp; B &lt;C&gt;</FullName><rollno>2410001</rollno><year>2024</year></DocDetails>');
    expect(xml).not.toContain('<UID>');
    const back = parsePullUriRequest(xml);
    expect(back.fullName).toBe('A & B <C>');
    expect(back.params).toEqual([
      ['rollno', '2410001'],
      ['year', '2024'],
    ]);
  });

  it('refuses a parameter sent twice, DTDs (entity expansion), a wrong root and broken XML', () => {
    expect(() => parsePullUriRequest('<PullURIRequest><DocDetails><a>1</a><a>2</a></DocDetails></PullURIRequest>')).toThrow(WireError);
    expect(() => parsePullUriRequest('<!DOCTYPE x [<!ENTITY a "aaaa">]><PullURIRequest><DocDetails><a>&a;</a></DocDetails></PullURIRequest>')).toThrow(/DTD/);
    expect(() => parsePullUriRequest('<PullDocRequest/>')).toThrow(/PullURIRequest/);
    expect(() => parsePullUriRequest('<PullURIRequest><DocDetails>')).toThrow(WireError);
    expect(() => parsePullUriRequest('<PullURIRequest format="docx"><DocDetails/></PullURIRequest>')).toThrow(/format/);
  });
});

describe('Pull URI response', () => {
  it('parses the spec sample: status attributes, IssuedTo persons, URI and both payloads', () => {
    const r = parsePullUriResponse(SPEC_PULL_URI_RESPONSE);
    expect(r).toMatchObject({ status: '1', ts: '2016-01-11T14:44:48+05:30', txn: '1452503688', uri: 'in.gov.dept.state-INCER-1234567' });
    expect(r.issuedTo).toEqual([{ name: 'Sunil Kumar', dob: '31-12-1990', gender: 'M' }]);
    expect(decodeBase64(r.docContent)!.toString()).toBe('%PDF-1.7\n');
    expect(decodeBase64(r.dataContent)!.toString()).toBe('<Certificate/>');
  });

  it('accepts the forms real issuers send: ns2: prefixes, Status only as text, several persons, no IssuedTo', () => {
    const prefixed = SPEC_PULL_URI_RESPONSE.replace('<PullURIResponse', '<ns2:PullURIResponse').replace('</PullURIResponse>', '</ns2:PullURIResponse>').replace('<DocContent>', '<ns2:DocContent>').replace('</DocContent>', '</ns2:DocContent>');
    expect(parsePullUriResponse(prefixed)).toMatchObject({ status: '1', uri: 'in.gov.dept.state-INCER-1234567', docContent: 'JVBERi0xLjcK' });
    const textStatus = '<PullURIResponse><ResponseStatus>9</ResponseStatus><DocDetails/></PullURIResponse>';
    expect(parsePullUriResponse(textStatus)).toMatchObject({ status: '9', issuedTo: [] });
    const two = '<PullURIResponse><ResponseStatus Status="1"/><DocDetails><IssuedTo><Persons><Person name="A"/><Person name="B" dob="01-01-2000"/></Persons></IssuedTo><URI>x-ABCDE-1</URI></DocDetails></PullURIResponse>';
    expect(parsePullUriResponse(two).issuedTo).toEqual([{ name: 'A' }, { name: 'B', dob: '01-01-2000' }]);
  });

  it('round-trips what the sandbox builds', () => {
    const xml = buildPullUriResponse({ status: '1', ts: 't', txn: 'x', docType: 'HSCER', digiLockerId: 'd', params: [['rollno', '1']], uri: 'in.gov.cbse-HSCER-1', issuedTo: [{ name: 'Asha "A" Verma', dob: '14-03-2006', gender: 'F' }], docContent: Buffer.from('%PDF'), dataContent: Buffer.from('<x/>') });
    const r = parsePullUriResponse(xml);
    expect(r).toMatchObject({ status: '1', txn: 'x', docType: 'HSCER', uri: 'in.gov.cbse-HSCER-1' });
    expect(r.issuedTo[0]).toEqual({ name: 'Asha "A" Verma', dob: '14-03-2006', gender: 'F' });
    expect(decodeBase64(r.docContent)!.toString()).toBe('%PDF');
  });

  it('refuses a response without ResponseStatus, with two DocContents, or with markup inside DocContent', () => {
    expect(() => parsePullUriResponse('<PullURIResponse><DocDetails/></PullURIResponse>')).toThrow(/ResponseStatus/);
    expect(() => parsePullUriResponse('<PullURIResponse><ResponseStatus Status="1"/><DocDetails><DocContent>QQ==</DocContent><DocContent>QQ==</DocContent></DocDetails></PullURIResponse>')).toThrow(/more than once/);
    expect(() => parsePullUriResponse('<PullURIResponse><ResponseStatus Status="1"/><DocDetails><DocContent><b>x</b></DocContent></DocDetails></PullURIResponse>')).toThrow(WireError);
    expect(() => parsePullUriResponse('<html><body>502 Bad Gateway</body></html>')).toThrow(/PullURIResponse/);
  });
});

describe('Pull Doc', () => {
  it('request: builds URI and DigiLockerId under DocDetails and parses back', () => {
    const xml = buildPullDocRequest({ ver: '1.0', ts: 't', txn: 'x', orgId: 'in.gov.cbse', format: 'xml', uri: 'in.gov.cbse-HSCER-1', digiLockerId: 'd' });
    expect(xml).toContain('<PullDocRequest xmlns:ns2="http://tempuri.org/" ver="1.0" ts="t" txn="x" orgId="in.gov.cbse" format="xml"><DocDetails><URI>in.gov.cbse-HSCER-1</URI><DigiLockerId>d</DigiLockerId></DocDetails></PullDocRequest>');
    expect(parsePullDocRequest(xml)).toEqual({ ver: '1.0', ts: 't', txn: 'x', orgId: 'in.gov.cbse', format: 'xml', uri: 'in.gov.cbse-HSCER-1', digiLockerId: 'd' });
  });

  it('response: CDATA-wrapped and line-wrapped base64 decode to the same bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    const wrapped = bytes.toString('base64').replace(/(.{76})/g, '$1\n');
    const r = parsePullDocResponse(`<PullDocResponse><ResponseStatus Status="1" txn="x"/><DocDetails><DocContent><![CDATA[${wrapped}]]></DocContent><DataContent>\n${wrapped}\n</DataContent></DocDetails></PullDocResponse>`);
    expect(decodeBase64(r.docContent)!.equals(bytes)).toBe(true);
    expect(decodeBase64(r.dataContent)!.equals(bytes)).toBe(true);
    expect(parsePullDocResponse(buildPullDocResponse({ status: '0', ts: 't', txn: 'x' }))).toEqual({ status: '0', ts: 't', txn: 'x' });
  });

  it('a 10 MB document is cut out of the XML before parsing, so the XML parser never sees it', () => {
    // (Speed is a benchmark's business, not a test's: this checks the mechanism — the
    // payload is removed from the text handed to the XML parser — not a time.)
    const big = Buffer.alloc(10 * 1024 * 1024, 7);
    const xml = buildPullDocResponse({ status: '1', ts: 't', txn: 'x', docContent: big });
    const { xml: rest, payloads } = cutPayloads(xml);
    expect(rest.length).toBeLessThan(1024);
    expect(payloads.DocContent?.length).toBeGreaterThan(10 * 1024 * 1024);
    const r = parsePullDocResponse(xml);
    expect(decodeBase64(r.docContent)!.equals(big)).toBe(true);
  });
});

describe('helpers', () => {
  it('decodeBase64 refuses what is not base64 (so corruption is noticed, not silently dropped)', () => {
    expect(decodeBase64('JVBERi0x')!.toString()).toBe('%PDF-1');
    expect(decodeBase64('not base64!')).toBeNull();
    expect(decodeBase64('JVBE_i0x')).toBeNull();
    expect(decodeBase64('')).toBeNull();
    expect(decodeBase64(undefined)).toBeNull();
  });

  it('cutPayloads leaves the rest of the document untouched and ignores self-closed elements', () => {
    const { xml, payloads } = cutPayloads('<a><DocContent/><DataContent a="1">QUJD</DataContent></a>');
    expect(xml).toBe('<a><DocContent/><DataContent a="1"></DataContent></a>');
    expect(payloads).toEqual({ DataContent: 'QUJD' });
  });

  it('timestamps are Indian time with the +05:30 offset; dates are DD-MM-YYYY', () => {
    expect(istTimestamp(new Date('2016-01-11T09:14:48Z'))).toBe('2016-01-11T14:44:48+05:30');
    expect(toDdMmYyyy('1990-12-31')).toBe('31-12-1990');
  });
});

describe('arbitrary input', () => {
  const xmlish = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc
      .array(fc.oneof(fc.constantFrom('<', '>', '/', '"', '=', '&', ';', '<![CDATA[', ']]>', '<!DOCTYPE', '<?xml ?>', ' ', 'PullURIRequest', 'PullURIResponse', 'PullDocResponse', 'DocDetails', 'DocContent', 'ResponseStatus', 'Status', 'URI', '__proto__', 'ns2:'), fc.string({ maxLength: 5 })), { maxLength: 60 })
      .map((parts) => parts.join('')),
  );

  it('every parser either returns a message or throws WireError — nothing else, whatever the bytes', () => {
    fc.assert(
      fc.property(xmlish, (input) => {
        for (const parse of [parsePullUriRequest, parsePullDocRequest, parsePullUriResponse, parsePullDocResponse]) {
          try {
            parse(input);
          } catch (err) {
            if (!(err instanceof WireError)) throw err;
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('values survive a build/parse round trip whatever characters they hold', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }).filter((s) => s.trim() === s && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s) && !/[\ud800-\udfff]/.test(s)), (value) => {
        const xml = buildPullUriRequest({ ver: '1.0', ts: 't', txn: 'x', orgId: 'o', docType: 'HSCER', digiLockerId: 'd', fullName: value || undefined, params: [['rollno', value]] });
        const m = parsePullUriRequest(xml);
        expect(m.params).toEqual([['rollno', value]]);
        if (value) expect(m.fullName).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});

