import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './byte-size';

describe('formatBytes / formatDuration', () => {
  it('uses decimal units like the model hubs, and short durations', () => {
    expect([0, 999, 1000, 656_544, 7.87e9, 1e15].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.0 KB',
      '657 KB',
      '7.9 GB',
      '1000 TB',
    ]);
    expect(formatBytes(-1)).toBe('? B');
    expect([0, 42, 365, 3725].map(formatDuration)).toEqual(['0s', '42s', '6m05s', '1h02m']);
  });
});
