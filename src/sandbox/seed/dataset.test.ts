import { describe, expect, it } from 'vitest';
import { validateIssuerInput } from '../../domain/issuers/validate-issuer.ts';
import { sandboxRegistrations } from '../app.ts';
import { preProvisioningList } from '../identities.ts';
import { openSandboxStore } from '../store.ts';
import { isAadhaarNumber, verhoeffDigit, verhoeffValid } from '../verhoeff.ts';
import { buildDataset } from './records.ts';

describe('sandbox dataset', () => {
  it('is deterministic: two builds are identical', () => {
    expect(JSON.stringify(buildDataset())).toBe(JSON.stringify(buildDataset()));
  });

  it('has valid, obviously synthetic and unique identifiers', () => {
    const { people, records } = buildDataset();
    const aadhaars = people.map((p) => p.aadhaar).filter((a): a is string => a !== null);
    expect(aadhaars.every(isAadhaarNumber)).toBe(true);
    expect(aadhaars.every((a) => a.startsWith('99990000'))).toBe(true);
    expect(new Set(aadhaars).size).toBe(aadhaars.length);
    expect(new Set(people.map((p) => p.mobile)).size).toBe(people.length);
    expect(people.every((p) => /^90000\d{5}$/.test(p.mobile))).toBe(true);
    const uris = records.map((r) => `${r.issuerId}-${r.doctype}-${r.docId}`);
    expect(new Set(uris).size).toBe(uris.length);
    expect(records.filter((r) => r.doctype === 'PANCR').every((r) => /^TST[A-Z]{2}\d{4}[A-Z]$/.test(String(r.data.pan)))).toBe(true);
    // A mix of English and Hindi names.
    expect(people.every((p) => /^[A-Za-z ]+$/.test(p.name) && /[\u0900-\u097f]/.test(p.nameHi))).toBe(true);
  });

  it('Verhoeff: known vectors, and a single changed digit is always caught', () => {
    expect(verhoeffDigit('236')).toBe(3);
    expect(verhoeffValid('2363')).toBe(true);
    expect(isAadhaarNumber('999941057058')).toBe(true);
    const n = '999900000028';
    for (let i = 0; i < n.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === n[i]) continue;
        expect(verhoeffValid(n.slice(0, i) + d + n.slice(i + 1))).toBe(false);
      }
    }
    expect(isAadhaarNumber('099900000028')).toBe(false);
  });

  it('its five issuers are valid registrations (as the admin API would accept them)', () => {
    const store = openSandboxStore(':memory:');
    try {
      const regs = sandboxRegistrations(store, 'http://127.0.0.1:3001');
      expect(regs.map((r) => r.id)).toEqual(['in.gov.uidai', 'in.gov.cbse', 'in.gov.transport', 'in.gov.pan', 'in.gov.up.edistrict']);
      for (const r of regs) expect(() => validateIssuerInput(r, { source: 'sandbox', requireHttps: false })).not.toThrow();
      expect(regs.find((r) => r.id === 'in.gov.cbse')!.doctypes.map((d) => d.code)).toEqual(['SSCER', 'SPCER', 'SSMGR', 'HSCER', 'HPCER', 'HSMGR']);
      // Keys are random per sandbox database, and stable within it.
      expect(sandboxRegistrations(store, 'http://x')[1]!.hmac_key).toBe(regs[1]!.hmac_key);
      expect(regs[1]!.hmac_key).not.toBe(regs[2]!.hmac_key);
    } finally {
      store.close();
    }
  });

  it('the CBSE pre-provisioning list: mobile, roll number, year, first PIN = last 6 digits of the roll number, pushed URIs', () => {
    const store = openSandboxStore(':memory:');
    try {
      const list = preProvisioningList(store);
      expect(list).toHaveLength(30);
      for (const s of list) {
        expect(s.mobile).toMatch(/^90000\d{5}$/);
        expect(s.first_pin).toBe(s.roll_no.slice(-6));
        expect(s.uris).toEqual([`in.gov.cbse-HSCER-${s.year}${s.roll_no}`, `in.gov.cbse-HPCER-${s.year}${s.roll_no}`, `in.gov.cbse-HSMGR-${s.year}${s.roll_no}`]);
      }
      expect(preProvisioningList(store, 'in.gov.pan')).toEqual([]);
    } finally {
      store.close();
    }
  });
});
