import { describe, expect, it } from 'vitest';
import { tokenTtlFromHours } from './token-ttl.js';

describe('tokenTtlFromHours', () => {
  it("leaves an empty field to the hub's default", () => {
    expect(tokenTtlFromHours('')).toBeUndefined();
    expect(tokenTtlFromHours('   ')).toBeUndefined();
  });

  it('turns hours, whole or not, into whole seconds', () => {
    expect(tokenTtlFromHours('720')).toBe(2_592_000);
    expect(tokenTtlFromHours(' 1.5 ')).toBe(5_400);
  });

  it('refuses what is not a positive number, naming the field', () => {
    for (const text of ['abc', '0', '-2', 'Infinity']) expect(() => tokenTtlFromHours(text)).toThrow(/^Token lifetime: ".+" is not a positive number of hours$/);
  });
});
