// Shared Playwright fixtures. `rendererUrl` serves the built renderer once per worker.
import path from 'node:path';
import { test as base } from '@playwright/test';
import { startStaticServer } from './static-server';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export const test = base.extend<object, { rendererUrl: string }>({
  rendererUrl: [
    // Playwright reads fixture dependencies from the destructuring pattern, so it must stay (empty).
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startStaticServer({ root: path.join(repoRoot, 'out', 'renderer') });
      await use(server.url);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
