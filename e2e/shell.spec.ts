// The renderer shell in a plain browser: no preload bridge, so it must say it is not connected and
// show clear empty states rather than invented data.
import { expect, test } from './support/fixtures';

test.describe('renderer shell without the desktop bridge', () => {
  test.beforeEach(async ({ page, rendererUrl }) => {
    await page.goto(rendererUrl);
  });

  test('shows the product, a clear not-connected notice and no invented data', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1, name: 'Nocturnal Agent' })).toBeVisible();
    await expect(page).toHaveTitle('Nocturnal Agent');

    const notice = page.getByRole('status');
    await expect(notice).toContainText('Not connected');
    await expect(notice).toContainText('not connected to the Nocturnal engine');

    // No engine, no data: the views are not drawn with invented content, only the notice says why.
    const nav = page.getByRole('navigation', { name: 'Views' });
    for (const view of ['Morning report', 'Task queue', 'Workspaces', 'Models', 'Settings'])
      await expect(nav.getByRole('link', { name: view })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Morning report' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('button', { name: 'Run now' })).toHaveCount(0);
    await nav.getByRole('link', { name: 'Task queue' }).click();
    await expect(nav.getByRole('link', { name: 'Task queue' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('main')).not.toContainText('No tasks queued');

    const status = page.getByRole('region', { name: 'Night status' });
    await expect(status).toContainText('Night window');
    await expect(status).toContainText('unknown');
    await expect(status.getByRole('button', { name: 'Arm night mode' })).toBeDisabled();
  });

  test('has landmarks and a keyboard path to the content', async ({ page }) => {
    await expect(page.getByRole('banner')).toBeVisible();
    await expect(page.getByRole('main')).toBeVisible();
    await expect(page.getByRole('contentinfo')).toBeVisible();
    await expect(page.getByRole('status')).toContainText('Not connected');

    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
  });

  test('loads without script errors or failed requests', async ({ page, rendererUrl }) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.goto(rendererUrl);
    await expect(page.getByRole('status')).toContainText('Not connected');
    expect(problems).toEqual([]);
  });
});
