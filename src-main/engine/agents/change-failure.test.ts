// After the model's change: a package the change imported is the model's to fix (with the rule that it
// may not add dependencies); a command that vanished or a package the change did not bring in is not.
import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import { classifyChangeFailure } from './change-failure';

function failed(command: string, exitCode: number, output: string): CheckOutcome {
  return { name: 'test', command, passed: false, exitCode, timedOut: false, durationMs: 5, output };
}

const diffAdding = (line: string) =>
  `diff --git a/math.js b/math.js\n--- a/math.js\n+++ b/math.js\n@@ -1,2 +1,3 @@\n+${line}\n function add(a, b) {\n`;

describe('classifyChangeFailure', () => {
  it('gives a package the change imported back to the model, saying it may not add dependencies', () => {
    const check = failed('node test.js', 1, "Error: Cannot find module 'lodash/fp'\nRequire stack:\n- /wt/math.js");
    expect(classifyChangeFailure(check, diffAdding("const _ = require('lodash/fp');"))).toEqual({
      kind: 'model-import',
      module: 'lodash',
      feedback:
        'Check "test" (node test.js) fails because your change imports lodash, which is not installed in this workspace. You may not add dependencies: make the change with the language\'s standard library and the packages the project already uses, and remove the import of lodash.',
    });
    expect(
      classifyChangeFailure(
        failed('pytest', 1, "ModuleNotFoundError: No module named 'requests'"),
        diffAdding('import requests'),
      ),
    ).toMatchObject({ kind: 'model-import', module: 'requests' });
    expect(
      classifyChangeFailure(
        failed('pytest', 1, "ModuleNotFoundError: No module named 'numpy'"),
        diffAdding('from numpy.linalg import norm'),
      ),
    ).toMatchObject({ kind: 'model-import', module: 'numpy' });
    expect(
      classifyChangeFailure(
        failed('tsc', 2, "error TS2307: Cannot find module 'zod' or its corresponding type declarations."),
        diffAdding("import { z } from 'zod';"),
      ),
    ).toMatchObject({ kind: 'model-import' });
  });

  it('ends on a package the change did not bring in, and on a command that vanished', () => {
    const removedOnly =
      'diff --git a/a.js b/a.js\n--- a/a.js\n+++ b/a.js\n@@ -1 +1 @@\n-const _ = require("lodash");\n+const x = 1;\n';
    expect(classifyChangeFailure(failed('node test.js', 1, "Error: Cannot find module 'lodash'"), removedOnly)).toEqual(
      {
        kind: 'environment',
        reason: expect.stringMatching(
          /^after the change, the test check \(node test\.js\) cannot run: the dependency lodash is not installed; .*the base commit ran it, so no edit is asked to fix it$/,
        ) as unknown,
      },
    );
    expect(
      classifyChangeFailure(
        failed('npx mocha', 127, 'sh: 1: mocha: not found\n'),
        diffAdding("const mocha = require('mocha');"),
      ),
    ).toMatchObject({
      kind: 'environment',
      reason: expect.stringContaining('mocha: command not found') as unknown,
    });
  });

  it('leaves a code failure to the model as before', () => {
    expect(
      classifyChangeFailure(failed('node test.js', 1, 'AssertionError [ERR_ASSERTION]: 1 !== 5'), diffAdding('x')),
    ).toEqual({ kind: 'code' });
    expect(
      classifyChangeFailure(
        failed('node test.js', 1, "Error: Cannot find module './helpers'"),
        diffAdding("require('./helpers')"),
      ),
    ).toEqual({ kind: 'code' });
  });
});
