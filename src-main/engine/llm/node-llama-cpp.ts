// node-llama-cpp, imported on first use: it is heavy, and most commands never touch a model.
//
// Every runtime import of it goes through here because of the bundled CLI (scripts/build-cli.ts): that
// bundle is one CommonJS script that out/cli/nocturnal.js runs through V8's code cache, where no
// `import()` can run, and node-llama-cpp (an ES module with top-level await) cannot be `require()`d.
// The launcher hands the bundle an importer (the global slot below), and the bundle's static imports of
// node-llama-cpp (the llama provider's modules) read the namespace loaded here, so create-provider.ts
// calls this before it imports them. Run from the sources (tsx, vitest, the app) the slot is empty
// and this is a plain dynamic import.
import type * as NodeLlamaCppModule from 'node-llama-cpp';

export type NodeLlamaCpp = typeof NodeLlamaCppModule;

/** Set by the bundled CLI's launcher: imports an ES module the way the launcher's own import() does. */
export const esmImporterSlot = Symbol.for('nocturnal.importEsm');
/** The namespace once loaded; the bundle's shim for `import … from 'node-llama-cpp'` reads it. */
export const nodeLlamaCppSlot = Symbol.for('nocturnal.node-llama-cpp');

interface Slots {
  [esmImporterSlot]?: (specifier: string) => Promise<unknown>;
  [nodeLlamaCppSlot]?: NodeLlamaCpp;
}

export async function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  const slots = globalThis as Slots;
  const loaded = slots[nodeLlamaCppSlot];
  if (loaded) return loaded;
  const importer = slots[esmImporterSlot];
  const namespace = (importer ? await importer('node-llama-cpp') : await import('node-llama-cpp')) as NodeLlamaCpp;
  slots[nodeLlamaCppSlot] = namespace;
  return namespace;
}
