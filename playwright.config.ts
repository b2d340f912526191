// End-to-end tests (DESIGN §10). Browsers cannot be downloaded here, so the chromium project runs the
// system Chromium (Debian: /usr/bin/chromium; override with NOCTURNAL_CHROMIUM). The electron
// project drives the desktop app and skips itself, saying why, where no Electron binary exists.
// Specs use the BUILT renderer: run `npm run build` first (`npm test` does).
import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

const systemChromium = process.env['NOCTURNAL_CHROMIUM'] ?? '/usr/bin/chromium';

export const playwrightConfig = defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  forbidOnly: Boolean(process.env['CI']),
  retries: 0,
  // Two cores: one worker keeps the browser and the app under test from starving each other.
  workers: 1,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: { trace: 'retain-on-failure' },
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          // Fall back to Playwright's own browser where one is installed and Debian's is not.
          ...(fs.existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});

// Playwright loads the default export of its config file (config files are exempt from the
// named-exports rule in eslint.config.js).
export default playwrightConfig;
