// A check that ran on the base and now fails for a reason of the environment (command not found, a
// missing package, a refused permission) after the model's change: whose is it to fix?
// - A package the change itself brought in (an added `import`/`require`/`from … import`) is the model's:
//   it goes back as feedback saying the package is not installed and that the model may not add
//   dependencies, so it must do without it.
// - Anything else (a command that vanished, a package the change did not mention, a permission) no edit
//   can fix: the attempt ends with the reason, without spending cycles on it.
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import { classifyBaseFailure } from '../quality/failure-class';

export type ChangeFailure =
  | { kind: 'code' }
  | { kind: 'model-import'; module: string; feedback: string }
  | { kind: 'environment'; reason: string };

export function classifyChangeFailure(check: CheckOutcome, diffText: string): ChangeFailure {
  const found = classifyBaseFailure(check);
  if (found.kind === 'code') return { kind: 'code' };
  if (found.cause === 'missing-dependency' && addedImportOf(diffText, found.subject)) {
    return {
      kind: 'model-import',
      module: found.subject,
      feedback: `Check "${check.name}" (${check.command}) fails because your change imports ${found.subject}, which is not installed in this workspace. You may not add dependencies: make the change with the language's standard library and the packages the project already uses, and remove the import of ${found.subject}.`,
    };
  }
  return {
    kind: 'environment',
    reason: `after the change, ${found.reason}; the base commit ran it, so no edit is asked to fix it`,
  };
}

/** Whether an added line of the diff imports `module` (JS/TS import or require, Python import, Go import). */
function addedImportOf(diffText: string, module: string): boolean {
  const name = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [
    new RegExp(`(?:from|import|require\\()\\s*['"\`]${name}(?:/[^'"\`]*)?['"\`]`),
    new RegExp(`^\\s*(?:from\\s+${name}(?:\\.[\\w.]+)?\\s+import|import\\s+${name}(?:\\.[\\w.]+)?\\b)`),
    new RegExp(`^\\s*(?:import\\s+)?(?:\\w+\\s+)?"${name}"`),
  ];
  return diffText
    .split('\n')
    .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
    .some((line) => patterns.some((p) => p.test(line.slice(1))));
}
