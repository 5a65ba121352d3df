import { describe, expect, it } from 'vitest';
import { certificateFacts, normaliseDate, normaliseKey, parseVerifyInput, valuesMatch } from './verify-claims.ts';
import { certificateXml } from '../../rendering/certificate-xml.ts';

describe('verify-claims normalisation', () => {
  it('reads dates in the forms people write them', () => {
    for (const v of ['15-08-1990', '15/08/1990', '15.08.1990', '15081990', '1990-08-15', '1990/8/15', ' 15-8-1990 ']) expect(normaliseDate(v), v).toBe('1990-08-15');
    for (const v of ['1990-13-01', '32-01-1990', 'yesterday', '1990', '']) expect(normaliseDate(v), v).toBeNull();
  });

  it('compares names without case, spaces, dots or commas; dates by value; genders by code', () => {
    expect(valuesMatch('name', '  asha   VERMA ', 'Asha Verma')).toBe(true);
    expect(valuesMatch('name', 'A. K. Sharma', 'A K Sharma')).toBe(true);
    expect(valuesMatch('name', 'Asha Varma', 'Asha Verma')).toBe(false);
    expect(valuesMatch('dob', '15/08/1990', '15-08-1990')).toBe(true);
    expect(valuesMatch('dob', '16/08/1990', '15-08-1990')).toBe(false);
    expect(valuesMatch('gender', 'female', 'F')).toBe(true);
    expect(valuesMatch('gender', 'M', 'F')).toBe(false);
    expect(valuesMatch('gender', 'x', 'x')).toBe(false);
    expect(valuesMatch('name', 'आशा वर्मा', 'आशा  वर्मा')).toBe(true);
    expect(normaliseKey('roll_no')).toBe(normaliseKey('rollNo'));
  });

  it('reads the holder, the certificate and its fields from certificate XML', () => {
    const xml = certificateXml({ uri: 'in.gov.x-HSCER-1', issuer: { id: 'in.gov.x', name: 'Board & Co' }, doctype: 'HSCER', title: 'Marksheet', number: 'N1', issuedOn: '2024-05-13', status: 'A', holder: { name: 'Asha <Verma>', dob: '1990-08-15', gender: 'F' }, fields: [{ key: 'rollNo', label: 'Roll', value: '123' }, { key: 'result', label: 'Result', value: 'PASS' }] });
    const f = certificateFacts(xml);
    expect(f.get('name')).toBe('Asha <Verma>');
    expect(f.get('dob')).toBe('15-08-1990');
    expect(f.get('rollno')).toBe('123');
    expect(f.get('result')).toBe('PASS');
    expect(f.get('number')).toBe('N1');
    expect(f.get('issuer')).toBe('Board & Co');
    // DigiLocker's own formats carry facts as attributes below CertificateData.
    const dl = certificateFacts('<Certificate number="9"><IssuedTo><Person name="R K"/></IssuedTo><CertificateData><Performance result="PASS" percentage="81"/></CertificateData></Certificate>');
    expect(dl.get('percentage')).toBe('81');
    expect(certificateFacts('not xml <<').size).toBe(0);
    expect(certificateFacts('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Certificate><IssuedTo><Person name="&e;"/></IssuedTo></Certificate>').get('name') ?? '').not.toContain('root:');
  });

  it('refuses malformed input with stable codes', () => {
    expect(() => parseVerifyInput({})).toThrow(expect.objectContaining({ code: 'uri_missing' }));
    expect(() => parseVerifyInput({ uri: 'a', fields: [] })).toThrow(expect.objectContaining({ code: 'invalid_parameter' }));
    expect(() => parseVerifyInput({ uri: 'a', fields: {} })).toThrow(expect.objectContaining({ code: 'invalid_parameter' }));
    expect(() => parseVerifyInput({ uri: 'a', fields: { 'bad key!': 'x' } })).toThrow(expect.objectContaining({ code: 'invalid_parameter' }));
    expect(() => parseVerifyInput({ uri: 'a', fields: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x'])) })).toThrow(expect.objectContaining({ code: 'invalid_parameter' }));
    expect(() => parseVerifyInput({ uri: 'a', fields: { name: { x: 1 } } })).toThrow(expect.objectContaining({ code: 'invalid_parameter' }));
    expect(parseVerifyInput({ uri: ' u ', fields: { name: 'A', year: 2024 } })).toEqual({ uri: 'u', claims: { name: 'A', year: '2024' } });
  });
});
