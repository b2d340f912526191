// Runs once before the unit/integration suites: builds the fixtures that tests share (the tiny GGUF
// model) so that no test pays for generating it and none downloads anything.
export async function setup(): Promise<void> {
  const { ensureTinyModel } = await import('../scripts/tiny-model-fixture');
  await ensureTinyModel();
}
