/** Factories for issuer registry tests. */
import crypto from 'node:crypto';
import type { Doctype } from '../../src/domain/issuers/model.ts';
import type { IssuerRecord } from '../../src/domain/issuers/ports.ts';

export const uniqueIssuerId = (prefix = 'in.gov.test') => `${prefix}.t${crypto.randomBytes(5).toString('hex')}`;

export function buildDoctype(overrides: Partial<Doctype> = {}): Doctype {
  return {
    code: 'HSCER',
    name: 'Class XII Marksheet',
    formats: ['pdf', 'xml'],
    parameters: [
      { name: 'rollno', label: 'Roll No', example: '1100040', pattern: '[0-9]{7}' },
      { name: 'year', label: 'Year', values: [{ value: '2024', label: '2024' }] },
    ],
    profileFields: ['FullName'],
    pullUriUrl: null,
    pullDocUrl: null,
    ...overrides,
  };
}

export function buildIssuerRecord(overrides: Partial<IssuerRecord> = {}): IssuerRecord {
  return {
    id: uniqueIssuerId(),
    name: 'Test Board of Examinations',
    category: 'education',
    scope: 'state',
    state: 'Uttar Pradesh',
    description: 'A board for tests.',
    status: 'active',
    source: 'admin',
    orgId: null,
    pullUriUrl: 'https://issuer.example/pulluri',
    pullDocUrl: 'https://issuer.example/pulldoc',
    hmacEncoding: 'base64-hex',
    timeoutMs: null,
    doctypes: [buildDoctype()],
    ...overrides,
  };
}

/** An admin-API body (snake_case) for `registerIssuer` and POST /api/v1/admin/issuers. */
export function buildIssuerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uniqueIssuerId(),
    name: 'Test Board of Examinations',
    category: 'education',
    state: 'Uttar Pradesh',
    pull_uri_url: 'https://issuer.example/pulluri',
    pull_doc_url: 'https://issuer.example/pulldoc',
    hmac_key: 'test-hmac-key-0123456789abcdef',
    doctypes: [{ code: 'HSCER', name: 'Class XII Marksheet', formats: ['pdf', 'xml'], parameters: [{ name: 'rollno', label: 'Roll No', example: '1100040', pattern: '[0-9]{7}' }], profile_fields: ['FullName'] }],
    ...overrides,
  };
}
