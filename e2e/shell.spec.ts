// The renderer shell in a plain browser: no preload bridge, so it must say it is not connected and
// show clear empty states rather than invented data.
import { expect, test } from './support/fixtures';

test.describe('renderer shell without the desktop bridge', () => {
  test.beforeEach(async ({ page, rendererUrl }) => {
    await page.goto(rendererUrl);
  });

  test('shows the product, a clear not-connected notice and empty sections', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1, name: 'Nocturnal Agent' })).toBeVisible();
    await expect(page).toHaveTitle('Nocturnal Agent');

    const notice = page.getByRole('status');
    await expect(notice).toContainText('Not connected');
    await expect(notice).toContainText('not connected to the Nocturnal engine');

    const tasks = page.getByRole('region', { name: 'Tasks' });
    await expect(tasks.getByRole('heading', { level: 2, name: 'Tasks' })).toBeVisible();
    await expect(tasks).toContainText('No tasks to show');
    const reviews = page.getByRole('region', { name: 'Waiting for review' });
    await expect(reviews.getByRole('heading', { level: 2, name: 'Waiting for review' })).toBeVisible();
    await expect(reviews).toContainText('No reviews to show');

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
