import { describe, expect, it } from 'vitest';
import { planCliInstall } from './cli-install-plan';
import type { CliInstallFacts } from './cli-install-plan';

const mac = (over: Partial<CliInstallFacts> = {}): CliInstallFacts => ({
  platform: 'darwin',
  resourcesPath: '/Applications/Nocturnal Agent.app/Contents/Resources',
  homeDir: '/Users/ada',
  localAppData: null,
  pathEntries: ['/usr/local/bin', '/usr/bin', '/bin'],
  writableDirs: ['/usr/local/bin'],
  existing: {},
  ...over,
});
const launcher = '/Applications/Nocturnal Agent.app/Contents/Resources/bin/nocturnal';

const windows = (over: Partial<CliInstallFacts> = {}): CliInstallFacts => ({
  platform: 'win32',
  resourcesPath: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Nocturnal Agent\\resources',
  homeDir: 'C:\\Users\\ada',
  localAppData: 'C:\\Users\\ada\\AppData\\Local',
  pathEntries: ['C:\\Windows\\system32', 'C:\\Users\\ada\\AppData\\Local\\Microsoft\\WindowsApps'],
  writableDirs: [],
  existing: {},
  ...over,
});
const shim = 'C:\\Users\\ada\\AppData\\Local\\Microsoft\\WindowsApps\\nocturnal.cmd';
const shimText = '@"C:\\Users\\ada\\AppData\\Local\\Programs\\Nocturnal Agent\\resources\\bin\\nocturnal.cmd" %*\r\n';

describe('planCliInstall on macOS', () => {
  it('links /usr/local/bin/nocturnal to the launcher inside the app when that folder can be written', () => {
    expect(planCliInstall(mac())).toEqual({
      action: 'link',
      target: '/usr/local/bin/nocturnal',
      source: launcher,
      message: `Installed the \`nocturnal\` command: /usr/local/bin/nocturnal → ${launcher}. Open a new terminal and run \`nocturnal --help\`.`,
    });
  });

  it('falls back to ~/.local/bin, and says how to put it on the PATH when it is not', () => {
    const plan = planCliInstall(mac({ writableDirs: [] }));
    expect(plan).toMatchObject({ action: 'link', target: '/Users/ada/.local/bin/nocturnal', source: launcher });
    expect(plan.message).toContain(
      '/Users/ada/.local/bin is not on your PATH: add `export PATH="/Users/ada/.local/bin:$PATH"` to your shell profile',
    );
    expect(
      planCliInstall(mac({ writableDirs: [], pathEntries: ['/Users/ada/.local/bin/', '/usr/bin'] })).message,
    ).not.toContain('not on your PATH');
  });

  it('does nothing when the link is there already', () => {
    const plan = planCliInstall(mac({ existing: { '/usr/local/bin/nocturnal': { linkTarget: launcher } } }));
    expect(plan).toEqual({
      action: 'none',
      target: '/usr/local/bin/nocturnal',
      message: `The \`nocturnal\` command is already installed: /usr/local/bin/nocturnal → ${launcher}.`,
    });
  });

  it('repoints the link of an earlier copy of the app (moved or renamed)', () => {
    const plan = planCliInstall(
      mac({
        existing: {
          '/usr/local/bin/nocturnal': {
            linkTarget: '/Users/ada/Downloads/Nocturnal Agent.app/Contents/Resources/bin/nocturnal',
          },
        },
      }),
    );
    expect(plan).toMatchObject({ action: 'link', target: '/usr/local/bin/nocturnal', source: launcher });
  });

  it("never replaces someone else's nocturnal: another link or a plain file is left, with what to do", () => {
    const other = planCliInstall(
      mac({ existing: { '/usr/local/bin/nocturnal': { linkTarget: '/opt/homebrew/lib/node_modules/other/cli.js' } } }),
    );
    expect(other).toEqual({
      action: 'refuse',
      target: '/usr/local/bin/nocturnal',
      message: `/usr/local/bin/nocturnal is a link to /opt/homebrew/lib/node_modules/other/cli.js, not this app's command: nothing was changed. Remove it and choose "Install command line tool…" again, or run ${launcher} directly.`,
    });
    expect(planCliInstall(mac({ existing: { '/usr/local/bin/nocturnal': { content: '#!/bin/sh\n' } } }))).toMatchObject(
      { action: 'refuse', message: expect.stringContaining('/usr/local/bin/nocturnal is a file, not') },
    );
  });
});

describe('planCliInstall on Windows', () => {
  it('writes a nocturnal.cmd into WindowsApps (on the PATH) that runs the launcher', () => {
    expect(planCliInstall(windows())).toEqual({
      action: 'write',
      target: shim,
      content: shimText,
      message: `Installed the \`nocturnal\` command: ${shim} runs C:\\Users\\ada\\AppData\\Local\\Programs\\Nocturnal Agent\\resources\\bin\\nocturnal.cmd. Open a new terminal and run \`nocturnal --help\`.`,
    });
  });

  it('does nothing when the same shim is there, rewrites the shim of an earlier install, and refuses a foreign file', () => {
    expect(planCliInstall(windows({ existing: { [shim]: { content: shimText } } }))).toMatchObject({
      action: 'none',
      target: shim,
    });
    expect(
      planCliInstall(
        windows({ existing: { [shim]: { content: '@"D:\\Old\\resources\\bin\\nocturnal.cmd" %*\r\n' } } }),
      ),
    ).toMatchObject({ action: 'write', content: shimText });
    expect(planCliInstall(windows({ existing: { [shim]: { content: '@echo other tool\r\n' } } }))).toMatchObject({
      action: 'refuse',
      target: shim,
    });
  });

  it('refuses, naming the launcher to run, when %LOCALAPPDATA% is unset', () => {
    expect(planCliInstall(windows({ localAppData: null }))).toEqual({
      action: 'refuse',
      target: null,
      message:
        '%LOCALAPPDATA% is not set, so there is no folder on the PATH to put `nocturnal` in. Run C:\\Users\\ada\\AppData\\Local\\Programs\\Nocturnal Agent\\resources\\bin\\nocturnal.cmd directly, or add C:\\Users\\ada\\AppData\\Local\\Programs\\Nocturnal Agent\\resources\\bin to your PATH.',
    });
  });

  it('says how to add WindowsApps to the PATH where it was removed from it', () => {
    expect(planCliInstall(windows({ pathEntries: ['C:\\Windows\\system32'] })).message).toContain(
      'C:\\Users\\ada\\AppData\\Local\\Microsoft\\WindowsApps is not on your PATH',
    );
  });
});
