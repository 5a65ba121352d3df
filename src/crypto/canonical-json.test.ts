import { expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

it('sorts keys, drops undefined, refuses non-integers and keeps Unicode exact', () => {
  expect(canonicalJson({ b: 1, a: [true, null, 'अ'], c: { z: 'x', y: undefined } })).toBe('{"a":[true,null,"अ"],"b":1,"c":{"z":"x"}}');
  expect(() => canonicalJson({ n: 1.5 })).toThrow();
  expect(() => canonicalJson({ f: () => 1 })).toThrow();
});
