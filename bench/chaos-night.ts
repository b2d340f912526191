// The chaos night (issue 8): `npx tsx bench/chaos-night.ts --kills 50 [--seed N]`. Runs real nights in
// a child process and SIGKILLs them at random points of the model call, the checks and the merge,
// restarting each time; then prints what must be zero — lost tasks, duplicate merges, orphan
// worktrees, changes to the user's checkout — and exits 1 if any is not.
import { runChaosNight } from '../src-main/cli/testing/chaos-harness';

function parseArgs(argv: string[]): { kills: number; seed?: number } {
  let kills = 50;
  let seed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--kills' || arg === '--seed') {
      if (value === undefined || !/^\d+$/.test(value))
        usage(`${arg} expects a whole number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      if (arg === '--kills') kills = Number(value);
      else seed = Number(value);
      i++;
    } else {
      usage(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (kills < 1) usage('--kills must be at least 1');
  return seed === undefined ? { kills } : { kills, seed };
}

function usage(message: string): never {
  process.stderr.write(`chaos-night: ${message}\nusage: npx tsx bench/chaos-night.ts [--kills N] [--seed N]\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const started = Date.now();
const result = await runChaosNight({ ...args, log: (line) => process.stdout.write(`${line}\n`) });
const lines = [
  '',
  `chaos night: ${result.kills} kills in ${result.restarts} nights, ${Math.round((Date.now() - started) / 1000)} s (seed ${result.seed})`,
  `  kills by stage:       ${Object.entries(result.killsByStage)
    .map(([stage, n]) => `${stage} ${n}`)
    .join(', ')}`,
  `  tasks:                ${result.tasks} (${Object.entries(result.statuses)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ')})`,
  `  recovered merges:     ${result.recoveredMerges} (killed between the ref move and the store write)`,
  `  lost tasks:           ${result.lostTasks}`,
  `  duplicate merges:     ${result.duplicateMerges}`,
  `  orphan worktrees:     ${result.orphanWorktrees}`,
  `  checkout changes:     ${result.checkoutChanges}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
const broken = result.lostTasks + result.duplicateMerges + result.orphanWorktrees + result.checkoutChanges;
process.exitCode = broken === 0 && result.kills >= args.kills ? 0 : 1;
