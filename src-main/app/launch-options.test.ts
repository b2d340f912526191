import { describe, expect, it } from 'vitest';
import { parseLaunchOptions } from './launch-options';

describe('parseLaunchOptions', () => {
  it('finds our switches among Electron and Chromium arguments', () => {
    expect(parseLaunchOptions(['/opt/electron', '.', '--no-sandbox', '--home', '/tmp/h', '--open-window'])).toEqual({
      home: '/tmp/h',
      openWindow: true,
    });
    expect(parseLaunchOptions(['/usr/bin/nocturnal-agent', '--home=/data/n'])).toEqual({
      home: '/data/n',
      openWindow: false,
    });
    expect(parseLaunchOptions(['/usr/bin/nocturnal-agent'])).toEqual({ openWindow: false });
  });

  it('refuses --home without a directory instead of ignoring it', () => {
    expect(() => parseLaunchOptions(['app', '--home'])).toThrow(/--home needs a directory/);
    expect(() => parseLaunchOptions(['app', '--home', '--open-window'])).toThrow(/--home needs a directory/);
    expect(() => parseLaunchOptions(['app', '--home='])).toThrow(/--home= needs a directory/);
  });
});
