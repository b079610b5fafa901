import { breaches, parseFailOn } from './fail-on';
import type { CompareSummary } from './comparison.types';

const summary = {
  total: 100,
  changed: 7,
  byChange: { unchanged: 93, 'newly-rejected': 5, 'newly-approved': 0, 'reason-changed': 2 },
} as CompareSummary;

describe('--fail-on', () => {
  it('parses thresholds, and a bare kind as >0', () => {
    expect(parseFailOn('newly-rejected>10')).toMatchObject({
      metric: 'newly-rejected',
      threshold: 10,
    });
    expect(parseFailOn('newly-rejected')).toMatchObject({ metric: 'newly-rejected', threshold: 0 });
    expect(parseFailOn(' changed > 3 ')).toMatchObject({ metric: 'changed', threshold: 3 });
    expect(parseFailOn('newly-rejected>=3')).toBeUndefined();
    expect(parseFailOn('rejected>3')).toBeUndefined();
    expect(parseFailOn('newly-rejected>-1')).toBeUndefined();
  });

  it('fails only the gates the summary exceeds', () => {
    const gates = ['newly-rejected>5', 'newly-rejected>4', 'newly-approved', 'changed>6'].map((t) =>
      parseFailOn(t)!,
    );
    expect(breaches(summary, gates).map((b) => [b.text, b.actual])).toEqual([
      ['newly-rejected>4', 5],
      ['changed>6', 7],
    ]);
  });
});
