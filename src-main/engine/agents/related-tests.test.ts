import { describe, expect, it } from 'vitest';
import { relatedTests } from './related-tests';

const tracked = [
  'src/queue.ts',
  'src/queue.test.ts',
  'src/__tests__/queue.spec.ts',
  'test/queue.test.js',
  'src/queue-utils.ts',
  'src/queue-utils.test.ts',
  'lib/calc.py',
  'tests/test_calc.py',
  'pkg/store/store.go',
  'pkg/store/store_test.go',
  'README.md',
];

describe('relatedTests', () => {
  it('finds the tests of a file by name, nearest folder first', () => {
    expect(relatedTests('src/queue.ts', tracked)).toEqual([
      'src/queue.test.ts',
      'src/__tests__/queue.spec.ts',
      'test/queue.test.js',
    ]);
    expect(relatedTests('lib/calc.py', tracked)).toEqual(['tests/test_calc.py']);
    expect(relatedTests('pkg/store/store.go', tracked)).toEqual(['pkg/store/store_test.go']);
  });

  it('does not mix up files whose names only start alike, and gives a test file no tests', () => {
    expect(relatedTests('src/queue-utils.ts', tracked)).toEqual(['src/queue-utils.test.ts']);
    expect(relatedTests('src/queue.test.ts', tracked)).toEqual([]);
    expect(relatedTests('README.md', tracked)).toEqual([]);
  });
});
