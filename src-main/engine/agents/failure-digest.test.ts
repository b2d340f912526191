import { describe, expect, it } from 'vitest';
import { digestFailure, renderFailureDigest } from './failure-digest';

const nodeAssert = `node:assert:90
  throw new AssertionError(obj);
  ^

AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

6 !== 5

    at Object.<anonymous> (/home/n/worktrees/ws/att/test.js:3:8)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at node:internal/main/run_main_module:28:49 {
  generatedMessage: true,
  code: 'ERR_ASSERTION',
  actual: 6,
  expected: 5,
  operator: 'strictEqual'
}

Node.js v20.20.2`;

const pytest = `============================= test session starts ==============================
collected 3 items

tests/test_calc.py ..F                                                   [100%]

=================================== FAILURES ===================================
_________________________________ test_divide __________________________________

    def test_divide():
>       assert divide(6, 3) == 2
E       assert 3.0 == 2
E        +  where 3.0 = divide(6, 3)

tests/test_calc.py:12: AssertionError
/usr/lib/python3.12/site-packages/_pytest/python.py:159: in pytest_pyfunc_call
=========================== short test summary info ============================
FAILED tests/test_calc.py::test_divide - assert 3.0 == 2
========================= 1 failed, 2 passed in 0.03s ==========================`;

describe('digestFailure', () => {
  it('keeps the first assertion and the frames inside the repository, repo-relative, without runtime frames', () => {
    const digest = digestFailure(nodeAssert, '/home/n/worktrees/ws/att');
    expect(digest.assertion).toBe(
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n6 !== 5\n\n    at Object.<anonymous> (test.js:3:8)',
    );
    expect(digest.frames).toEqual(['at Object.<anonymous> (test.js:3:8)']);
    const text = renderFailureDigest(digest);
    expect(text).not.toContain('node:internal');
    expect(text).not.toContain('/home/n/worktrees');
  });

  it("finds pytest's E lines and the test file frame, leaving library frames out", () => {
    const digest = digestFailure(pytest, '/w');
    expect(digest.assertion?.split('\n')[0]).toBe('E       assert 3.0 == 2');
    expect(digest.frames).toEqual(['tests/test_calc.py:12: AssertionError']);
    expect(digest.tail).toContain('1 failed, 2 passed');
  });

  it('falls back to the end of the output when nothing looks like an assertion', () => {
    const digest = digestFailure('building…\nsomething went wrong\n', '/w');
    expect(digest.assertion).toBeNull();
    expect(renderFailureDigest(digest)).toBe('End of the output:\nbuilding…\nsomething went wrong');
  });
});
