import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import { classifyBaseFailure } from './failure-class';

function failed(command: string, exitCode: number, output: string): CheckOutcome {
  return { name: 'test', command, passed: false, exitCode, timedOut: false, durationMs: 5, output };
}

describe('classifyBaseFailure', () => {
  it('calls a missing command an environment failure, naming the tool', () => {
    expect(classifyBaseFailure(failed('npx mocha', 127, 'sh: 1: mocha: not found\n'))).toMatchObject({
      kind: 'environment',
      cause: 'command-not-found',
    });
    expect(classifyBaseFailure(failed('make test', 2, 'bash: line 1: pytest: command not found\n'))).toMatchObject({
      kind: 'environment',
      reason: expect.stringContaining('pytest: command not found') as unknown,
    });
  });

  it('calls a missing package an environment failure but a missing relative module a code failure', () => {
    expect(
      classifyBaseFailure(failed('node test.js', 1, "Error: Cannot find module 'lodash/fp'\nRequire stack:")),
    ).toMatchObject({
      kind: 'environment',
      cause: 'missing-dependency',
      reason: expect.stringContaining('the dependency lodash is not installed') as unknown,
    });
    expect(classifyBaseFailure(failed('pytest', 1, "ModuleNotFoundError: No module named 'requests'"))).toMatchObject({
      cause: 'missing-dependency',
    });
    expect(classifyBaseFailure(failed('node test.js', 1, "Error: Cannot find module './sub.js'"))).toEqual({
      kind: 'code',
    });
  });

  it('calls a refused permission an environment failure', () => {
    expect(
      classifyBaseFailure(failed('./run-tests.sh', 126, 'sh: 1: ./run-tests.sh: Permission denied')),
    ).toMatchObject({ kind: 'environment', cause: 'permission' });
  });

  it('leaves failing assertions, passing checks and timeouts to the rest of the pipeline', () => {
    expect(classifyBaseFailure(failed('node test.js', 1, 'AssertionError [ERR_ASSERTION]: 6 !== 5'))).toEqual({
      kind: 'code',
    });
    expect(classifyBaseFailure({ ...failed('node test.js', 0, ''), passed: true })).toEqual({ kind: 'code' });
    expect(classifyBaseFailure({ ...failed('sleep 30', 124, ''), timedOut: true })).toEqual({ kind: 'code' });
  });
});
