import { describe, expect, it } from 'vitest';
import { loadDirectory } from '../../domain/issuers/directory.ts';
import { SANDBOX_ISSUERS } from '../../sandbox/issuers.ts';
import { registryKey } from './hindi-dictionary.ts';
import { registryHindi, registryLabel, registryText } from './registry-hi.ts';

describe('Hindi for registry text', () => {
  it('normalises case, punctuation, spacing and camelCase', () => {
    expect(registryKey('ROLL NO')).toBe('roll no');
    expect(registryKey('Roll No.')).toBe('roll no');
    expect(registryKey('RollNo')).toBe('roll no');
    expect(registryKey('GSCNo')).toBe('gsc no');
    expect(registryKey('Degree/ Diploma Certificate')).toBe('degree diploma certificate');
    expect(registryHindi('REGN NO')).toBe('पंजीकरण संख्या');
    expect(registryHindi('Date of Birth')).toBe('जन्म तिथि');
    expect(registryHindi('Class XII Marksheet')).toBe('कक्षा 12 की अंकतालिका');
  });

  it('translates every sandbox issuer document name and parameter label', () => {
    for (const i of SANDBOX_ISSUERS) {
      for (const d of i.doctypes) {
        expect(registryHindi(d.name), d.name).toBeDefined();
        for (const p of d.parameters) expect(registryHindi(p.label), p.label).toBeDefined();
      }
    }
  });

  it('covers most of the directory: parameter labels and document names as they occur', () => {
    let labels = 0;
    let labelsHi = 0;
    let names = 0;
    let namesHi = 0;
    for (const i of loadDirectory().issuers) {
      for (const d of i.doctypes) {
        names++;
        if (registryHindi(d.n)) namesHi++;
        for (const p of d.p) {
          labels++;
          if (registryHindi(String(p.l))) labelsHi++;
        }
      }
    }
    expect(labelsHi / labels).toBeGreaterThan(0.95);
    expect(namesHi / names).toBeGreaterThan(0.9);
  });

  it('leaves English pages alone; on Hindi pages marks untranslated English, not numbers or roman numerals', () => {
    expect(registryLabel({ lang: 'en' }, 'Roll No')).toEqual({ text: 'Roll No' });
    expect(registryLabel({ lang: 'hi' }, 'Roll No')).toEqual({ text: 'अनुक्रमांक' });
    expect(registryLabel({ lang: 'hi' }, 'Bokaro')).toEqual({ text: 'Bokaro', lang: 'en' });
    expect(registryLabel({ lang: 'hi' }, '2022-2023')).toEqual({ text: '2022-2023' });
    expect(registryLabel({ lang: 'hi' }, 'XII')).toEqual({ text: 'XII' });
    expect(String(registryText({ lang: 'hi' }, 'Hall <Ticket>'))).toBe('<span lang="en">Hall &lt;Ticket&gt;</span>');
    expect(String(registryText({ lang: 'hi' }, 'x'.repeat(300), 100))).toBe(`<span lang="en">${'x'.repeat(99)}…</span>`);
  });
});
