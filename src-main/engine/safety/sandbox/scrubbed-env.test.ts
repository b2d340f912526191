import { describe, expect, it } from 'vitest';
import { isSafeToPass, scrubbedEnv } from './scrubbed-env';

const host: NodeJS.ProcessEnv = {
  PATH: '/usr/bin:/bin',
  LANG: 'en_US.UTF-8',
  LC_ALL: 'en_US.UTF-8',
  LC_CTYPE: 'UTF-8',
  TERM: 'xterm-256color',
  TZ: 'Europe/Berlin',
  HOME: '/home/u',
  USER: 'u',
  OPENAI_API_KEY: 'sk-abcdefghijklmnopqrstuvwxyz',
  ANTHROPIC_API_KEY: 'x',
  GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123',
  GH_TOKEN: 'x',
  AWS_ACCESS_KEY_ID: 'AKIAABCDEFGHIJKLMNOP',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_SESSION_TOKEN: 'x',
  AWS_PROFILE: 'prod',
  NPM_TOKEN: 'x',
  HF_TOKEN: 'x',
  SSH_AUTH_SOCK: '/run/user/1000/ssh-agent',
  GPG_AGENT_INFO: 'x',
  DATABASE_URL: 'postgres://u:p@db/prod',
  NODE_OPTIONS: '--require /tmp/hook.js',
  LD_PRELOAD: '/tmp/x.so',
  XDG_RUNTIME_DIR: '/run/user/1000',
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
  DISPLAY: ':0',
  NOCTURNAL_HOME: '/home/u/.nocturnal',
};

describe('scrubbedEnv', () => {
  const env = scrubbedEnv(host, { home: '/tmp/home', tmpdir: '/tmp' });

  it('passes only the allow list', () => {
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      LC_ALL: 'en_US.UTF-8',
      LC_CTYPE: 'UTF-8',
      TERM: 'xterm-256color',
      TZ: 'Europe/Berlin',
      HOME: '/tmp/home',
      TMPDIR: '/tmp',
      TMP: '/tmp',
      TEMP: '/tmp',
      CI: '1',
      NO_COLOR: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    });
  });

  it('never passes tokens, keys, agents or code-injection variables', () => {
    for (const name of [
      'OPENAI_API_KEY',
      'GITHUB_TOKEN',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_PROFILE',
      'SSH_AUTH_SOCK',
      'DATABASE_URL',
      'NODE_OPTIONS',
      'LD_PRELOAD',
      'NOCTURNAL_HOME',
      'USER',
    ]) {
      expect(env).not.toHaveProperty(name);
    }
  });

  it('gives a PATH even when the host has none', () => {
    expect(scrubbedEnv({}, { home: '/h', tmpdir: '/t' })['PATH']).toBe('/usr/local/bin:/usr/bin:/bin');
  });

  it('filters explicitly added variables by name and by value', () => {
    const extra = scrubbedEnv(
      {},
      {
        home: '/h',
        tmpdir: '/t',
        extra: {
          FEATURE_FLAG: 'on',
          MY_DEPLOY_TOKEN: 'x',
          AWS_REGION: 'eu',
          SNEAKY: 'sk-abcdefghijklmnopqrstuvwxyz',
          NODE_OPTIONS: '--inspect',
          HOME: '/home/u',
        },
      },
    );
    expect(extra['FEATURE_FLAG']).toBe('on');
    for (const name of ['MY_DEPLOY_TOKEN', 'AWS_REGION', 'SNEAKY', 'NODE_OPTIONS'])
      expect(extra).not.toHaveProperty(name);
    expect(extra['HOME']).toBe('/h');
    expect(isSafeToPass('GIT_DIR', '/x')).toBe(false);
    expect(isSafeToPass('JOBS', '2')).toBe(true);
  });
});
