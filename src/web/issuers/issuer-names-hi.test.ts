import { describe, expect, it } from 'vitest';
import { loadDirectory } from '../../domain/issuers/directory.ts';
import { SANDBOX_ISSUERS } from '../../sandbox/issuers.ts';
import { issuerHindi, issuerName } from './issuer-names-hi.ts';

describe('Hindi issuer names', () => {
  it('names every sandbox issuer in Hindi', () => {
    for (const i of SANDBOX_ISSUERS) expect(issuerHindi(i.name), i.name).toBeDefined();
    expect(issuerHindi('Unique Identification Authority of India (UIDAI)')).toBe('भारतीय विशिष्ट पहचान प्राधिकरण (UIDAI)');
    expect(issuerHindi('Central Board of Secondary Education')).toBe('केंद्रीय माध्यमिक शिक्षा बोर्ड');
    expect(issuerHindi('Ministry of Road Transport and Highways')).toBe('सड़क परिवहन और राजमार्ग मंत्रालय');
    expect(issuerHindi('Income Tax Department')).toBe('आयकर विभाग');
  });

  it('ignores case and punctuation; composes known names with places, series with places, and keeps acronyms', () => {
    expect(issuerHindi('MINISTRY OF TOURISM')).toBe('पर्यटन मंत्रालय');
    expect(issuerHindi('Transport Department, Bihar')).toBe('परिवहन विभाग, बिहार');
    expect(issuerHindi('Revenue Department, J&K')).toBe('राजस्व विभाग, जम्मू और कश्मीर');
    expect(issuerHindi('Indian Institute of Technology Kanpur')).toBe('भारतीय प्रौद्योगिकी संस्थान कानपुर');
    expect(issuerHindi('National Institute Of Technology, Hamirpur')).toBe('राष्ट्रीय प्रौद्योगिकी संस्थान, हमीरपुर');
    expect(issuerHindi('National Testing Agency (NTA)')).toBe('राष्ट्रीय परीक्षा एजेंसी (NTA)');
    expect(issuerHindi('Ministry of Petroleum and Natural Gas(BPCL)')).toBe('पेट्रोलियम और प्राकृतिक गैस मंत्रालय (BPCL)');
    // Only known parts: an unknown place, an unknown name, a series without a place.
    expect(issuerHindi('Transport Department, Atlantis')).toBeUndefined();
    expect(issuerHindi('Gate Pass Board, Bihar')).toBeUndefined();
    expect(issuerHindi('Indian Institute of Technology Atlantis')).toBeUndefined();
    expect(issuerHindi('Punjab Mandi Board')).toBeUndefined();
  });

  it('covers the central issuers mostly, and a fifth of the whole directory', () => {
    const all = loadDirectory().issuers;
    const central = all.filter((i) => i.scope === 'central');
    expect(central.filter((i) => issuerHindi(i.name)).length / central.length).toBeGreaterThan(0.65);
    expect(all.filter((i) => issuerHindi(i.name)).length / all.length).toBeGreaterThan(0.2);
  });

  it('leaves English pages alone; on Hindi pages marks untranslated names as English', () => {
    expect(issuerName({ lang: 'en' }, 'Income Tax Department')).toMatchObject({ text: 'Income Tax Department' });
    expect(String(issuerName({ lang: 'en' }, 'Board <b>').html)).toBe('Board &lt;b&gt;');
    expect(issuerName({ lang: 'hi' }, 'Income Tax Department')).toMatchObject({ text: 'आयकर विभाग' });
    expect(String(issuerName({ lang: 'hi' }, 'Income Tax Department').html)).toBe('आयकर विभाग');
    const unknown = issuerName({ lang: 'hi' }, 'Board <b>');
    expect(unknown).toMatchObject({ text: 'Board <b>', lang: 'en' });
    expect(String(unknown.html)).toBe('<span lang="en">Board &lt;b&gt;</span>');
    expect(String(issuerName({ lang: 'hi' }, 'x'.repeat(300), 100).html)).toBe(`<span lang="en">${'x'.repeat(99)}…</span>`);
  });
});
