// One build for the three Electron targets (DESIGN §3):
//   main     src-main/app/main.ts    → out/main/index.js     ESM (package.json "type": "module")
//   preload  src-main/app/preload.ts → out/preload/index.cjs CommonJS: sandboxed preloads cannot be ESM
//   renderer src-renderer/index.html → out/renderer/         (also what `nocturnal serve` and e2e serve)
// Dependencies stay external in main (node-llama-cpp and better-sqlite3 load native binaries from
// node_modules at run time); the preload bundles everything, since a sandboxed preload can only
// require('electron').
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export const electronViteConfig = defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/app/main.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});

// electron-vite loads the default export of its config file (config files are exempt from the
// named-exports rule in eslint.config.js).
export default electronViteConfig;
