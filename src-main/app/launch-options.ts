// Our own command-line switches, picked out of Electron's argv (which also carries the Electron
// binary, the app path and Chromium switches). Unknown arguments are left alone.
export interface LaunchOptions {
  /** `--home DIR` or `--home=DIR`: the data folder, as for the CLI. */
  home?: string;
  /** `--open-window`: show the window at start instead of waiting in the tray. */
  openWindow: boolean;
}

export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const options: LaunchOptions = { openWindow: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--open-window') options.openWindow = true;
    else if (arg === '--home') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new Error('--home needs a directory, e.g. --home ~/nocturnal');
      options.home = value;
      i++;
    } else if (arg?.startsWith('--home=')) {
      const value = arg.slice('--home='.length);
      if (value === '') throw new Error('--home= needs a directory, e.g. --home=~/nocturnal');
      options.home = value;
    }
  }
  return options;
}
