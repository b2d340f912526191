// The morning, as a person does it in the window, for every face that shows it (the browser against
// `nocturnal serve`, the desktop app): add a workspace, queue two tasks, run the night, read the report
// (one merged, one waiting), approve from the dialog (the target branch has it), reject a third with a
// note, retry it (the note reaches the next prompt), undo a merge, look at the tray panel. axe checks
// each view; with `screenshots`, the report and the dialog are photographed in light and dark.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { NightFixture } from './night-server';
import { reviewIssue, titles } from './scripted-calc-model';
import { repoRoot } from './fixtures';

const screenshots = path.join(repoRoot, 'docs', 'screenshots');

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map(
      (v) => `${what}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function queueTask(page: Page, title: string, files: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Add a task' });
  await form.getByRole('combobox', { name: 'Workspace' }).selectOption('calc');
  await form.getByRole('textbox', { name: 'Title' }).fill(title);
  await form.getByRole('textbox', { name: 'Files to focus on (one a line)' }).fill(files);
  await form.getByRole('button', { name: 'Queue task' }).click();
  await expect(page.getByRole('region', { name: 'Tonight' }).getByRole('listitem', { name: title })).toBeVisible();
}

/** Runs a night from the report's Run now; `nightsSoFar` is how many nights the report lists before. */
async function runNight(page: Page, nightsSoFar: number): Promise<void> {
  // The picker lists "Latest" plus one per night, once there is a night.
  const nights = page.getByRole('combobox', { name: 'Night' }).getByRole('option');
  await expect(nights).toHaveCount(nightsSoFar === 0 ? 0 : nightsSoFar + 1);
  const before = nightsSoFar;
  await page.getByRole('button', { name: 'Run now' }).click();
  // The night runs on in the engine; its start and end come back as events that reload the report.
  await expect(nights).toHaveCount(before + 2, { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Night summary' }).getByText(/ · completed/)).toBeVisible({
    timeout: 120_000,
  });
  await expect(page.getByRole('button', { name: 'Run now' })).toBeEnabled();
}

function card(page: Page, title: string) {
  return page.getByRole('article', { name: title });
}

async function targetFile(night: NightFixture, file: string): Promise<string> {
  return night.repo.git('show', `nocturnal/integration:${file}`);
}

/** Runs the whole morning on an open window that is connected to the engine of `night`. */
export async function morningFlow(page: Page, night: NightFixture, options: { screenshots: boolean }): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Nocturnal Agent' })).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText(night.home);
  // Nothing has run: the report says so, from the engine, not from fixed text pretending to be data.
  await expect(page.getByText('No night has run yet')).toBeVisible();
  await expectNoSeriousViolations(page, 'empty report');

  // A workspace, from the window.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Workspaces' }).click();
  const addWorkspace = page.getByRole('form', { name: 'Add a workspace' });
  await addWorkspace.getByRole('textbox', { name: 'Repository path' }).fill(night.repo.path);
  await addWorkspace.getByRole('button', { name: 'Detect' }).click();
  await addWorkspace.getByRole('textbox', { name: 'Name' }).fill('calc');
  await expect(addWorkspace.getByRole('textbox', { name: 'Base branch' })).toHaveValue('main');
  await addWorkspace.getByRole('textbox', { name: 'test command' }).fill('node test.js');
  await addWorkspace.getByRole('button', { name: 'Add workspace' }).click();
  const workspaceCard = page.getByRole('listitem', { name: 'calc' });
  await expect(workspaceCard).toContainText('node test.js');
  await expect(workspaceCard).toContainText('nocturnal/integration');
  await expectNoSeriousViolations(page, 'workspaces');

  // Two tasks, from the window.
  await page.getByRole('link', { name: 'Task queue' }).click();
  await queueTask(page, titles.merge, 'math.js\ntest.js');
  await queueTask(page, titles.review, 'README.md');
  await expect(page.getByRole('region', { name: 'Tonight' })).toContainText('2 queued');
  await expectNoSeriousViolations(page, 'queue');

  // The night.
  await page.getByRole('link', { name: 'Morning report' }).click();
  await runNight(page, 0);
  const summary = page.getByRole('region', { name: 'Night summary' });
  await expect(summary.getByRole('definition').first()).toBeVisible();
  await expect(summary).toContainText('Merged1');
  await expect(summary).toContainText('Waiting1');
  await expect(card(page, titles.merge)).toContainText('merged');
  await expect(card(page, titles.merge).getByRole('table', { name: `Score of ${titles.merge}` })).toContainText(
    'review0.95',
  );
  await expect(card(page, titles.review)).toContainText('waiting for review');
  await expect(card(page, titles.review)).toContainText(reviewIssue);
  await expect(card(page, titles.review).getByRole('table', { name: `Checks of ${titles.review}` })).toContainText(
    'testpassedpassed',
  );
  await expect(card(page, titles.review)).toContainText(`${night.home}/vault/attempts/`);
  expect(await targetFile(night, 'math.js')).toContain('function sub(a, b)');
  await expectNoSeriousViolations(page, 'report');
  if (options.screenshots) {
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.screenshot({ path: path.join(screenshots, `report-${theme}.png`), fullPage: true });
    }
  }

  // Approve the waiting change from its dialog.
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
  await page
    .getByRole('region', { name: 'Waiting for review' })
    .getByRole('button', { name: `Review ${titles.review}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Review: ${titles.review}` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog.getByRole('region', { name: 'Diff of README.md' })).toContainText(
    'A tiny calculator: add() and mul().',
  );
  await expect(dialog.getByRole('table', { name: 'Score breakdown' })).toContainText('review0.50');
  await expect(dialog.getByRole('region', { name: 'Model review' })).toContainText(reviewIssue);
  await dialog.getByRole('button', { name: 'Split' }).click();
  await expect(dialog.getByRole('button', { name: 'Split' })).toHaveAttribute('aria-pressed', 'true');
  await expectNoSeriousViolations(page, 'approval dialog');
  if (options.screenshots) {
    // The theme switch sits behind the modal: here the system's preference decides (theme: System).
    // Tall enough that the whole dialog is in the picture.
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 1280, height: 2000 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await dialog.screenshot({ path: path.join(screenshots, `approval-${colorScheme}.png`) });
    }
    if (viewport) await page.setViewportSize(viewport);
  }
  await dialog.getByRole('button', { name: 'Unified' }).click();
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog.getByRole('status')).toContainText(/merged|fast-forward|Merged/i);
  await expect(dialog).toContainText('merged');
  await expect(dialog.getByRole('button', { name: 'Undo' })).toBeVisible();
  expect(await targetFile(night, 'README.md')).toContain('A tiny calculator: add() and mul().');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Waiting for review' })).toContainText(
    'Nothing is waiting for your decision.',
  );

  // A third task waits; reject it with a note, then retry it: the note reaches the next prompt.
  await page.getByRole('link', { name: 'Task queue' }).click();
  await queueTask(page, titles.reject, 'README.md');
  await page.getByRole('link', { name: 'Morning report' }).click();
  await runNight(page, 1);
  await page
    .getByRole('region', { name: 'Waiting for review' })
    .getByRole('button', { name: `Review ${titles.reject}` })
    .click();
  const rejectDialog = page.getByRole('dialog', { name: `Review: ${titles.reject}` });
  await rejectDialog.getByRole('textbox', { name: /Note/ }).fill('Greet in one short line, after the description');
  await rejectDialog.getByRole('button', { name: 'Reject' }).click();
  await expect(rejectDialog.getByRole('status')).toContainText(
    'Rejected: Greet in one short line, after the description',
  );
  await expect(rejectDialog.getByRole('button', { name: 'Approve' })).toBeHidden();
  await rejectDialog.getByRole('textbox', { name: /Note/ }).fill('Keep the greeting under the heading');
  await rejectDialog.getByRole('button', { name: 'Retry' }).click();
  await expect(rejectDialog.getByRole('status')).toContainText(
    'Queued again for the next night with the note: Keep the greeting under the heading',
  );
  await rejectDialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('link', { name: 'Task queue' }).click();
  await expect(
    page.getByRole('region', { name: 'Tonight' }).getByRole('listitem', { name: titles.reject }),
  ).toContainText('queued');
  const promptsBefore = night.editPrompts().length;
  await page.getByRole('link', { name: 'Morning report' }).click();
  await runNight(page, 2);
  const retried = night.editPrompts().slice(promptsBefore);
  expect(retried.some((prompt) => prompt.includes('Keep the greeting under the heading'))).toBe(true);

  // Undo the first night's merge.
  // sessions:list is newest first: the first night is the last choice.
  const nights = page.getByRole('combobox', { name: 'Night' });
  const firstNight = (await nights.locator('option').last().getAttribute('value')) ?? '';
  await nights.selectOption(firstNight);
  await card(page, titles.merge).getByRole('button', { name: 'Open change' }).click();
  const undoDialog = page.getByRole('dialog', { name: `Review: ${titles.merge}` });
  // j/k move between the changed files; the code is highlighted by its language.
  const files = undoDialog.getByRole('list', { name: 'Changed files (j/k to move)' });
  await expect(files.getByRole('button', { name: /^math\.js/ })).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('j');
  await expect(files.getByRole('button', { name: /^test\.js/ })).toHaveAttribute('aria-current', 'true');
  await expect(undoDialog.getByRole('region', { name: 'Diff of test.js' })).toContainText(
    'assert.strictEqual(m.sub(5, 3), 2);',
  );
  await page.keyboard.press('k');
  await expect(
    undoDialog
      .getByRole('region', { name: 'Diff of math.js' })
      .locator('.token.keyword', { hasText: /^function$/ })
      .first(),
  ).toBeVisible();
  await undoDialog.getByRole('button', { name: 'Undo' }).click();
  await expect(undoDialog.getByRole('status')).toBeVisible();
  await expect(undoDialog.getByRole('alert')).toHaveCount(0);
  expect(await targetFile(night, 'math.js')).not.toContain('function sub(a, b)');
  expect(await targetFile(night, 'README.md')).toContain('A tiny calculator: add() and mul().');
  await page.keyboard.press('Escape');

  // Settings: a value the schema refuses stays in its field with the engine's message naming it.
  await page.getByRole('link', { name: 'Settings' }).click();
  const threshold = page.getByRole('textbox', { name: 'auto approve threshold' });
  await expect(threshold).toHaveValue('0.85');
  await threshold.fill('2');
  await threshold.press('Enter');
  await expect(threshold).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'auto_approve_threshold' })).toBeVisible();
  await threshold.fill('0.9');
  await threshold.press('Enter');
  await expect(threshold).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'settings');

  // Models: the catalog with sizes and whether each fits this machine.
  await page.getByRole('link', { name: 'Models' }).click();
  const models = page.getByRole('table', { name: 'Models' });
  await expect(models.getByRole('columnheader', { name: 'Fits this machine' })).toBeVisible();
  await expect(models.getByRole('button', { name: /^Download / }).first()).toBeVisible();
  await expectNoSeriousViolations(page, 'models');

  // The tray panel: night status and the waiting count, from the same engine.
  // Same page, new route: the token the page was opened with stays with the client.
  await page.evaluate("window.location.hash = '#/tray'");
  const tray = page.getByRole('main', { name: 'Nocturnal tray panel' });
  await expect(tray).toContainText('Waiting for review');
  await expect(tray.getByRole('definition').nth(2)).toHaveText('1');
  await expectNoSeriousViolations(page, 'tray panel');
}
