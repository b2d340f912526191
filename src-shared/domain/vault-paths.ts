// Where the knowledge vault keeps an attempt's note (see src-main/engine/knowledge/knowledge-vault.ts,
// which writes it): <vault>/attempts/<YYYY-MM-DD of the attempt's end>/<attempt id>.md. The vault is
// knowledge.vault_path, else <home>/vault. Pure string work so the window can show the path too.
export function vaultRoot(home: string, vaultPath: string | null): string {
  return vaultPath ?? `${home}/vault`;
}

export function attemptNotePath(
  root: string,
  attempt: { id: string; startedAt: string; endedAt: string | null },
): string {
  const day = (attempt.endedAt ?? attempt.startedAt).slice(0, 10);
  return `${root}/attempts/${day}/${attempt.id}.md`;
}
