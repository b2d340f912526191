#!/usr/bin/env node
// `nocturnal` from a checkout: runs the TypeScript sources through tsx, so `npx nocturnal …` works
// right after `npm ci` with no build step. Packaged builds ship the bundled CLI instead.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/entry.ts');
