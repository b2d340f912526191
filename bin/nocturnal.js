#!/usr/bin/env node
// The `nocturnal` command. Runs the bundled CLI (out/cli/nocturnal.js, built by `npm run build`):
// plain JavaScript, its compiled code cached between runs, its commands' heavy modules loaded on
// demand (scripts/build-cli.ts). In a source checkout with no bundle
// it runs the TypeScript sources through tsx instead, so `npx nocturnal …` works right after `npm ci`.
// NOCTURNAL_CLI_FROM_SOURCE=1 forces the sources (a checkout whose bundle is older than the code).
import fs from 'node:fs';

const bundle = new URL('../out/cli/nocturnal.js', import.meta.url);

if (process.env.NOCTURNAL_CLI_FROM_SOURCE !== '1' && fs.existsSync(bundle)) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/cli/entry.ts');
}
