// Removing a workspace deletes its tasks and attempt branches (backed up), so the window asks first:
// the dialog names the workspace and what goes, Cancel keeps it, confirming removes it.
import path from 'node:path';
import { startNightServer } from './support/night-server';
import type { NightServer } from './support/night-server';
import { scriptedCalcModel } from './support/scripted-calc-model';
import { expect, repoRoot, test } from './support/fixtures';

test.describe('removing a workspace from the window', () => {
  let night: NightServer;

  test.beforeAll(async () => {
    night = await startNightServer({ repoRoot, model: scriptedCalcModel });
  });
  test.afterAll(async () => {
    await night?.close();
  });

  test('asks first, says what is deleted, and Cancel keeps the workspace', async ({ page }, testInfo) => {
    await page.goto(night.url);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Workspaces' }).click();
    const addWorkspace = page.getByRole('form', { name: 'Add a workspace' });
    await addWorkspace.getByRole('textbox', { name: 'Repository path' }).fill(night.repo.path);
    await addWorkspace.getByRole('button', { name: 'Detect' }).click();
    await addWorkspace.getByRole('textbox', { name: 'Name' }).fill('calc');
    await addWorkspace.getByRole('textbox', { name: 'test command' }).fill('node test.js');
    await addWorkspace.getByRole('button', { name: 'Add workspace' }).click();
    const card = page.getByRole('listitem', { name: 'calc' });
    await expect(card).toBeVisible();

    await card.getByRole('button', { name: 'Remove calc' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove calc?' });
    await expect(dialog).toContainText('its tasks and their attempts');
    await expect(dialog).toContainText('Your checkout, its branches and the target branch are left as they are.');
    await dialog.screenshot({ path: path.join(testInfo.outputDir, 'remove-workspace-dialog.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(card).toBeVisible();

    await card.getByRole('button', { name: 'Remove calc' }).click();
    await page.getByRole('dialog', { name: 'Remove calc?' }).getByRole('button', { name: 'Remove workspace' }).click();
    await expect(page.getByText('No workspaces yet')).toBeVisible();
    // The repository itself is still there and untouched by the removal.
    expect(await night.repo.git('log', '-1', '--format=%s', 'main')).toBe('initial commit');
  });
});
