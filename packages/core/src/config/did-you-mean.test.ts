import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, levenshtein } from './did-you-mean.js';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['staging', 'staging', 0],
    ['stagin', 'staging', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });
});

describe('closestName', () => {
  it('suggests a close name', () => {
    expect(closestName('stagin', ['prod', 'staging'])).toBe('staging');
  });

  it('prefers a case-only difference', () => {
    expect(closestName('checklogs', ['CheckLog', 'CheckLogs'])).toBe('CheckLogs');
  });

  it('suggests nothing when every name is far away', () => {
    expect(closestName('prod', ['staging', 'development'])).toBeUndefined();
    expect(didYouMean('prod', ['staging'])).toBe('');
  });

  it('formats the suggestion', () => {
    expect(didYouMean('mycanry', ['mycanary'])).toBe(' (did you mean "mycanary"?)');
  });
});
