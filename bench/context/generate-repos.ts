// Three repositories shaped like real projects, for bench/context.ts: a TypeScript service (one folder per
// domain: types, repository, service, controller, each with its test beside it), a Python package
// (modules with their test_*.py beside them) and a JS monorepo (packages/*/src with tests beside). Every
// domain has helpers with their own names; each task is about one helper, may name the file that calls
// it (or nothing), and knows its relevant files: where the helper is defined, that file's test, and the
// named file with its test.

export interface BenchTask {
  title: string;
  description: string;
  namedFiles: string[];
  relevant: string[];
}

export interface GeneratedRepo {
  name: string;
  files: Record<string, string>;
  tasks: BenchTask[];
}

const domains = [
  'invoice',
  'customer',
  'payment',
  'shipment',
  'coupon',
  'account',
  'session',
  'audit',
  'report',
  'catalog',
  'inventory',
  'order',
  'refund',
  'review',
  'search',
  'ticket',
  'webhook',
  'email',
  'export',
  'pricing',
  'quota',
  'rating',
  'schedule',
  'tenant',
  'token',
  'upload',
  'wallet',
  'warehouse',
  'carrier',
  'ledger',
  'voucher',
  'subscription',
  'discount',
  'address',
  'currency',
  'message',
  'device',
  'region',
  'budget',
  'policy',
];
// Helper verbs and nouns: `settleLedgerBalance`, `normalizeEmailAddress`…
const helpers: [string, string][] = [
  ['normalize', 'Reference'],
  ['compute', 'Fee'],
  ['settle', 'Balance'],
  ['expire', 'Window'],
  ['merge', 'Duplicates'],
  ['round', 'Amount'],
  ['escape', 'Label'],
  ['throttle', 'Retries'],
];

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const body = (lines: number, indent: string) =>
  Array.from({ length: lines }, (_, i) => `${indent}const step${i} = input.length * ${i + 1} + offset;`).join('\n');

function helperName(domain: string, index: number): string {
  const [verb, noun] = helpers[index % helpers.length] ?? ['handle', 'Item'];
  return `${verb}${pascal(domain)}${noun}`;
}

function taskFor(
  domain: string,
  index: number,
  definedIn: string,
  testOf: string,
  named: string | null,
  namedTest: string | null,
): BenchTask {
  const name = helperName(domain, index);
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return {
    title: `${pascal(words)} gives the wrong result for an empty input`,
    description: `When the ${domain} has no entries, ${words} must return 0 instead of throwing. Keep the other ${domain} behaviour as it is.`,
    namedFiles: named ? [named] : [],
    relevant: [definedIn, testOf, ...(named ? [named] : []), ...(namedTest ? [namedTest] : [])],
  };
}

export function typescriptService(domainCount = 40): GeneratedRepo {
  const files: Record<string, string> = {
    'package.json': '{ "name": "svc", "type": "module" }\n',
    'README.md': '# svc\n',
    'tsconfig.json': '{}\n',
  };
  const tasks: BenchTask[] = [];
  for (const [i, d] of domains.slice(0, domainCount).entries()) {
    const D = pascal(d);
    const dir = `src/${d}s`;
    const h1 = helperName(d, i);
    const h2 = helperName(d, i + 3);
    files[`${dir}/${d}-types.ts`] =
      `export interface ${D} {\n  id: string;\n  tenantId: string;\n  createdAt: Date;\n  entries: number[];\n}\n\nexport type ${D}Status = 'draft' | 'active' | 'closed';\n\nexport interface ${D}Filter {\n  status?: ${D}Status;\n  limit?: number;\n}\n`;
    files[`${dir}/${d}-repository.ts`] =
      `import type { ${D}, ${D}Filter } from './${d}-types';\n\nexport class ${D}Repository {\n  private readonly rows = new Map<string, ${D}>();\n\n  findById(id: string): ${D} | undefined {\n    return this.rows.get(id);\n  }\n\n  list(filter: ${D}Filter): ${D}[] {\n    return [...this.rows.values()].slice(0, filter.limit ?? 50);\n  }\n\n  save(row: ${D}): void {\n    this.rows.set(row.id, row);\n  }\n}\n`;
    files[`${dir}/${d}-service.ts`] =
      `import type { ${D} } from './${d}-types';\nimport { ${D}Repository } from './${d}-repository';\n\nexport function ${h1}(input: number[], offset = 0): number {\n${body(22, '  ')}\n  return input.reduce((a, b) => a + b) + offset;\n}\n\nexport function ${h2}(input: number[], offset = 0): number {\n${body(22, '  ')}\n  return Math.max(...input) + offset;\n}\n\nexport function create${D}(repository: ${D}Repository, row: ${D}): ${D} {\n  repository.save(row);\n  return row;\n}\n`;
    files[`${dir}/${d}-controller.ts`] =
      `import { ${h1}, ${h2}, create${D} } from './${d}-service';\nimport { ${D}Repository } from './${d}-repository';\n\nconst repository = new ${D}Repository();\n\nexport function handle${D}Request(body: { entries: number[] }): { total: number; peak: number } {\n${body(18, '  ')}\n  return { total: ${h1}(body.entries), peak: ${h2}(body.entries) };\n}\n\nexport function handleCreate${D}(id: string): void {\n  create${D}(repository, { id, tenantId: 't', createdAt: new Date(), entries: [] });\n}\n`;
    for (const kind of ['repository', 'service', 'controller']) {
      files[`${dir}/${d}-${kind}.test.ts`] =
        `import { describe, expect, it } from 'vitest';\nimport * as subject from './${d}-${kind}';\n\ndescribe('${d} ${kind}', () => {\n${Array.from({ length: 8 }, (_, k) => `  it('case ${k}', () => {\n    expect(Object.keys(subject).length).toBeGreaterThan(${k % 2});\n  });`).join('\n')}\n});\n`;
    }
    if (i % 10 === 3 || i % 10 === 8) {
      const named = i % 10 === 3 ? `${dir}/${d}-controller.ts` : null;
      tasks.push(
        taskFor(
          d,
          i,
          `${dir}/${d}-service.ts`,
          `${dir}/${d}-service.test.ts`,
          named,
          named ? `${dir}/${d}-controller.test.ts` : null,
        ),
      );
    }
  }
  return { name: 'TypeScript service', files, tasks };
}

export function pythonPackage(domainCount = 40): GeneratedRepo {
  const files: Record<string, string> = { 'pyproject.toml': '[project]\nname = "pkg"\n', 'README.md': '# pkg\n' };
  const tasks: BenchTask[] = [];
  for (const [i, d] of domains.slice(0, domainCount).entries()) {
    const D = pascal(d);
    const dir = `pkg/${d}`;
    const h1 = helperName(d, i).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const h2 = helperName(d, i + 3).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const pyBody = (n: number) =>
      Array.from({ length: n }, (_, k) => `    step${k} = len(entries) * ${k + 1} + offset`).join('\n');
    files[`${dir}/__init__.py`] = `from .models import ${D}\n`;
    files[`${dir}/models.py`] =
      `from dataclasses import dataclass, field\n\n\n@dataclass\nclass ${D}:\n    id: str\n    tenant_id: str\n    entries: list = field(default_factory=list)\n\n    def total(self) -> int:\n        return sum(self.entries)\n\n    def is_empty(self) -> bool:\n        return not self.entries\n`;
    files[`${dir}/calculations.py`] =
      `from .models import ${D}\n\n\ndef ${h1}(entries: list, offset: int = 0) -> int:\n${pyBody(22)}\n    return entries[0] + offset\n\n\ndef ${h2}(entries: list, offset: int = 0) -> int:\n${pyBody(22)}\n    return max(entries) + offset\n`;
    files[`${dir}/views.py`] =
      `from .calculations import ${h1}, ${h2}\nfrom .models import ${D}\n\n\ndef ${d}_summary(item: ${D}) -> dict:\n${pyBody(18)}\n    return {"total": ${h1}(item.entries), "peak": ${h2}(item.entries)}\n`;
    for (const mod of ['models', 'calculations', 'views']) {
      files[`${dir}/test_${mod}.py`] =
        `from pkg.${d} import ${mod}\n\n\n${Array.from({ length: 8 }, (_, k) => `def test_${mod}_${k}():\n    assert ${mod} is not None\n`).join('\n\n')}`;
    }
    if (i % 10 === 3 || i % 10 === 8) {
      const named = i % 10 === 3 ? `${dir}/views.py` : null;
      tasks.push(
        taskFor(
          d,
          i,
          `${dir}/calculations.py`,
          `${dir}/test_calculations.py`,
          named,
          named ? `${dir}/test_views.py` : null,
        ),
      );
    }
  }
  return { name: 'Python package', files, tasks };
}

export function jsMonorepo(packageCount = 14): GeneratedRepo {
  const files: Record<string, string> = {
    'package.json': '{ "private": true, "workspaces": ["packages/*"] }\n',
    'README.md': '# mono\n',
  };
  const tasks: BenchTask[] = [];
  let n = 0;
  for (let p = 0; p < packageCount; p++) {
    const pkg = `packages/${domains[p] ?? `p${p}`}-kit`;
    files[`${pkg}/package.json`] = `{ "name": "@mono/${domains[p]}-kit", "main": "src/index.js" }\n`;
    files[`${pkg}/README.md`] = `# ${domains[p]}-kit\n`;
    const modules: string[] = [];
    for (let m = 0; m < 4; m++) {
      const d = domains[(p * 4 + m) % domains.length] ?? 'item';
      const D = pascal(d);
      const h1 = helperName(d, n);
      const h2 = helperName(d, n + 3);
      const file = `${pkg}/src/${d}.js`;
      modules.push(d);
      files[file] =
        `'use strict';\n\nfunction ${h1}(input, offset = 0) {\n${body(22, '  ')}\n  return input.reduce((a, b) => a + b) + offset;\n}\n\nfunction ${h2}(input, offset = 0) {\n${body(22, '  ')}\n  return Math.max(...input) + offset;\n}\n\nclass ${D}Store {\n  constructor() {\n    this.items = [];\n  }\n\n  add(item) {\n    this.items.push(item);\n  }\n}\n\nmodule.exports = { ${h1}, ${h2}, ${D}Store };\n`;
      files[`${pkg}/src/${d}.test.js`] =
        `const assert = require('node:assert');\nconst subject = require('./${d}');\n\n${Array.from({ length: 8 }, (_, k) => `assert.ok(Object.keys(subject).length > ${k % 2});`).join('\n')}\n`;
      const user = `${pkg}/src/${d}-handler.js`;
      files[user] =
        `'use strict';\nconst { ${h1}, ${h2} } = require('./${d}');\n\nfunction handle${D}(entries) {\n${body(18, '  ')}\n  return { total: ${h1}(entries), peak: ${h2}(entries) };\n}\n\nmodule.exports = { handle${D} };\n`;
      files[`${pkg}/src/${d}-handler.test.js`] =
        `const assert = require('node:assert');\nconst { handle${D} } = require('./${d}-handler');\n\nassert.deepStrictEqual(handle${D}([1, 2]), { total: 3, peak: 2 });\n`;
      if (n % 10 === 3 || n % 10 === 8) {
        const named = n % 10 === 3 ? user : null;
        tasks.push(
          taskFor(d, n, file, `${pkg}/src/${d}.test.js`, named, named ? `${pkg}/src/${d}-handler.test.js` : null),
        );
      }
      n++;
    }
    files[`${pkg}/src/index.js`] =
      `'use strict';\nmodule.exports = {\n${modules.map((d) => `  ...require('./${d}'),`).join('\n')}\n};\n`;
  }
  return { name: 'JS monorepo', files, tasks };
}
