import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { deriveCategory, splitIssuerName } from './categories.ts';
import { compilePattern, validateIssuerInput } from './validate-issuer.ts';

const good = () => ({
  id: 'in.gov.example',
  name: 'Example Board',
  category: 'education',
  pull_uri_url: 'https://issuer.example/pulluri',
  pull_doc_url: 'https://issuer.example/pulldoc',
  hmac_key: 'k'.repeat(24),
  doctypes: [{ code: 'HSCER', name: 'Class XII Marksheet', formats: ['pdf', 'xml'], parameters: [{ name: 'rollno', label: 'Roll No', example: '1100040', pattern: '[0-9]{7}' }], profile_fields: ['FullName'] }],
});
const opts = { source: 'admin' as const, requireHttps: false };

function rejects(mutate: (b: any) => void, field: RegExp, options = opts) {
  const b = good();
  mutate(b);
  try {
    validateIssuerInput(b, options);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid_issuer');
    expect((err as AppError).message).toMatch(field);
    return;
  }
  throw new Error('expected a validation error');
}

describe('issuer registration rules', () => {
  it('accepts a full registration and fills defaults (scope, status, encoding, formats)', () => {
    const { record, hmacKey } = validateIssuerInput({ ...good(), state: 'Uttar Pradesh', doctypes: [{ code: 'INCER', name: 'Income', parameters: [{ name: 'ApplicationNo', label: 'Application No', values: ['A', { value: 'B', label: 'Bee' }] }] }] }, opts);
    expect(hmacKey).toBe('k'.repeat(24));
    expect(record).toMatchObject({ id: 'in.gov.example', scope: 'state', status: 'active', source: 'admin', hmacEncoding: 'base64-hex', timeoutMs: null, orgId: null });
    expect(record.doctypes[0]).toEqual({
      code: 'INCER',
      name: 'Income',
      formats: ['pdf'],
      profileFields: [],
      pullUriUrl: null,
      pullDocUrl: null,
      parameters: [{ name: 'ApplicationNo', label: 'Application No', values: [{ value: 'A', label: 'A' }, { value: 'B', label: 'Bee' }] }],
    });
  });

  it('names the field for every rule it breaks', () => {
    rejects((b) => (b.id = 'CBSE'), /^id must be a reverse-domain/);
    rejects((b) => (b.id = 'in..gov'), /^id /);
    rejects((b) => delete b.name, /^name is required/);
    rejects((b) => (b.category = 'sports'), /^category must be one of/);
    rejects((b) => (b.scope = 'district'), /^scope /);
    rejects((b) => (b.status = 'paused'), /^status /);
    rejects((b) => (b.pull_uri_url = 'ftp://x/y'), /^pull_uri_url must be an http or https URL/);
    rejects((b) => (b.pull_uri_url = 'not a url'), /^pull_uri_url must be an absolute URL/);
    rejects((b) => (b.pull_doc_url = 'https://user:pw@issuer.example/x'), /^pull_doc_url must not contain a user name/);
    rejects((b) => delete b.pull_doc_url, /^pull_doc_url is required with the other endpoint/);
    rejects((b) => (b.hmac_key = 'short'), /^hmac_key must be a string of 16 to 256/);
    rejects((b) => (b.hmac_key = ' '.repeat(2) + 'k'.repeat(20)), /^hmac_key must not start or end with spaces/);
    rejects((b) => (b.hmac_encoding = 'hex'), /^hmac_encoding /);
    rejects((b) => (b.timeout_ms = 5), /^timeout_ms /);
    rejects((b) => (b.doctypes = []), /^doctypes must be a list of 1 to 200/);
    rejects((b) => (b.doctypes[0].code = 'hscer'), /^doctypes\[0\]\.code must be DigiLocker's document type code/);
    rejects((b) => b.doctypes.push({ ...b.doctypes[0] }), /^doctypes\[1\]\.code HSCER is listed twice/);
    rejects((b) => (b.doctypes[0].formats = ['docx']), /^doctypes\[0\]\.formats /);
    rejects((b) => (b.doctypes[0].parameters[0].name = '1roll'), /^doctypes\[0\]\.parameters\[0\]\.name must be an XML element name/);
    rejects((b) => (b.doctypes[0].parameters[0].name = 'roll no'), /XML element name/);
    rejects((b) => (b.doctypes[0].parameters[0].name = 'DOB'), /is an Issuer API element; list it in profile_fields/);
    rejects((b) => (b.doctypes[0].parameters[0].pattern = '[0-9'), /pattern is not a valid regular expression/);
    rejects((b) => delete b.doctypes[0].parameters[0].label, /parameters\[0\]\.label is required/);
    rejects((b) => (b.doctypes[0].parameters[0].label = 'x'.repeat(101)), /at most 100 characters/);
    rejects((b) => (b.doctypes[0].parameters[0].label = 'Roll\u0000No'), /control characters/);
    rejects((b) => b.doctypes[0].parameters.push({ name: 'rollno', label: 'again' }), /"rollno" is listed twice/);
    rejects((b) => (b.doctypes[0].profile_fields = ['Aadhaar']), /profile_fields must be a list of UID, FullName, DOB, GENDER, Photo/);
    rejects((b) => ((b.doctypes[0].parameters = []), (b.doctypes[0].profile_fields = [])), /needs at least one search parameter/);
    rejects((b) => (b.doctypes[0].parameters[0].values = []), /values must be a list of 1 to 100/);
  });

  it('in production, endpoints must be https (documents and the HMAC travel over them)', () => {
    rejects((b) => (b.pull_uri_url = 'http://issuer.example/pulluri'), /must use https in production/, { source: 'admin', requireHttps: true });
    expect(() => validateIssuerInput(good(), { source: 'admin', requireHttps: true })).not.toThrow();
  });

  it('refuses what is not an object at every level', () => {
    for (const bad of [null, 'x', 42, [], { ...good(), doctypes: ['x'] }, { ...good(), doctypes: [{ ...good().doctypes[0], parameters: ['x'] }] }]) {
      expect(() => validateIssuerInput(bad, opts)).toThrow(AppError);
    }
  });

  it('patterns apply as HTML does: anchored to the whole value', () => {
    expect(compilePattern('[0-9]{7}').test('1100040')).toBe(true);
    expect(compilePattern('[0-9]{7}').test('11000401')).toBe(false);
    expect(compilePattern('a|b').test('ab')).toBe(false);
  });
});

describe('directory derivations', () => {
  it('splits "Name, State" and tells central bodies from state ones', () => {
    expect(splitIssuerName('Central Board of Secondary Education, Delhi')).toEqual({ name: 'Central Board of Secondary Education', state: 'Delhi', scope: 'central' });
    expect(splitIssuerName('Ministry of Road Transport and Highways, All States')).toEqual({ name: 'Ministry of Road Transport and Highways', state: null, scope: 'central' });
    expect(splitIssuerName('eDistrict Uttar Pradesh, Uttar Pradesh')).toEqual({ name: 'eDistrict Uttar Pradesh', state: 'Uttar Pradesh', scope: 'state' });
    expect(splitIssuerName('Department of Food, Public Distribution & Consumer Affairs (PDS), Jharkhand, Jharkhand')).toEqual({ name: 'Department of Food, Public Distribution & Consumer Affairs (PDS), Jharkhand', state: 'Jharkhand', scope: 'state' });
    expect(splitIssuerName('Andhra  Pradesh Board, Andhra  Pradesh').state).toBe('Andhra Pradesh');
  });

  it('derives categories from strong name signals first, then from document types', () => {
    expect(deriveCategory('Assam Agricultural University', ['DGCER'])).toBe('education');
    expect(deriveCategory('Acko General Insurance', ['PODOC'])).toBe('insurance');
    expect(deriveCategory('Ministry of Road Transport and Highways', ['DRVLC'])).toBe('transport');
    expect(deriveCategory('Some Department', ['INCER', 'CTCER', 'BTCER'])).toBe('revenue');
    expect(deriveCategory('Some Department', [])).toBe('other');
  });
});
