import { describe, expect, it } from 'vitest';
import { searchAlternatives } from './search-terms.ts';

describe('searchAlternatives', () => {
  it('matches either spelling, Hindi words through their English, and drops empty words', () => {
    expect(searchAlternatives('Driving Licence')).toEqual([['driving'], ['licence', 'license']]);
    expect(searchAlternatives('driving license')).toEqual([['driving'], ['license', 'licence']]);
    expect(searchAlternatives('ड्राइविंग लाइसेंस')).toEqual([['driving'], ['licence', 'license']]);
    expect(searchAlternatives('आय का प्रमाणपत्र')).toEqual([['income'], ['certificate']]);
    expect(searchAlternatives('अंकपत्र')).toEqual([['mark']]);
    expect(searchAlternatives('certificate of the income')).toEqual([['certificate'], ['income']]);
    expect(searchAlternatives('  ')).toEqual([]);
    expect(searchAlternatives(undefined)).toEqual([]);
    expect(searchAlternatives('a b c d e f g h i j k').length).toBe(8);
  });
});
