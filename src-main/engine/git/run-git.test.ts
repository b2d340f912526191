import { execFileSync } from 'node:child_process';
import { access, chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitError } from './git-error';
import { runGit, gitEnvironment, AGENT_EMAIL } from './run-git';
import { createTempDir, createTempRepo } from './testing/temp-repo';
import { neutralisedFilters } from './engine-worktree';

describe('runGit', () => {
  it('returns stdout and the exit code of a successful command', async () => {
    const repo = await createTempRepo();
    try {
      const result = await runGit(repo.path, ['rev-parse', '--is-inside-work-tree']);
      expect(result).toMatchObject({ stdout: 'true\n', exitCode: 0, truncated: false });
    } finally {
      await repo.cleanup();
    }
  });

  it('throws a GitError carrying the args, exit code and stderr of a failure', async () => {
    const dir = await createTempDir();
    try {
      const error = await runGit(dir.path, ['rev-parse', '--verify', 'HEAD']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitError);
      const gitError = error as GitError;
      expect(gitError.exitCode).toBe(128);
      expect(gitError.args).toContain('rev-parse');
      expect(gitError.cwd).toBe(dir.path);
      expect(gitError.stderr).toMatch(/not a git repository/);
      expect(gitError.message).toMatch(/^git rev-parse --verify HEAD failed/);
      expect(gitError.kind).toBe('runtime');
    } finally {
      await dir.cleanup();
    }
  });

  it('treats declared exit codes as answers', async () => {
    const dir = await createTempDir();
    try {
      const result = await runGit(dir.path, ['rev-parse', '--verify', 'HEAD'], { okExitCodes: [0, 128] });
      expect(result.exitCode).toBe(128);
    } finally {
      await dir.cleanup();
    }
  });

  it('reports a missing working directory as a GitError', async () => {
    await expect(runGit('/definitely/not/here', ['status'])).rejects.toBeInstanceOf(GitError);
  });

  it('shows every argv to the policy first, and a throwing policy stops the command', async () => {
    const repo = await createTempRepo();
    try {
      const seen: (readonly string[])[] = [];
      await runGit(repo.path, ['status', '--short'], { policy: (argv) => void seen.push(argv) });
      expect(seen).toHaveLength(1);
      expect(seen[0]?.[0]).toBe('git');
      expect(seen[0]).toContain('core.hooksPath=/dev/null');
      expect(seen[0]?.slice(-2)).toEqual(['status', '--short']);

      const before = await repo.git('rev-parse', 'HEAD');
      const refuse = () => {
        throw new Error('denied by policy');
      };
      await expect(runGit(repo.path, ['commit', '--allow-empty', '-m', 'x'], { policy: refuse })).rejects.toThrow(
        'denied by policy',
      );
      expect(await repo.git('rev-parse', 'HEAD')).toBe(before);
    } finally {
      await repo.cleanup();
    }
  });

  it('stops reading at maxStdoutBytes', async () => {
    const repo = await createTempRepo();
    try {
      const capped = await runGit(repo.path, ['cat-file', '-p', 'HEAD'], { maxStdoutBytes: 10 });
      expect(capped.truncated).toBe(true);
      expect(capped.stdout).toHaveLength(10);
    } finally {
      await repo.cleanup();
    }
  });

  it('never runs the repository hooks and commits with the agent identity', async () => {
    const repo = await createTempRepo();
    try {
      const hook = path.join(repo.path, '.git', 'hooks', 'pre-commit');
      await writeFile(hook, '#!/bin/sh\necho ran > "$(git rev-parse --git-dir)/hook-ran"\nexit 1\n');
      await chmod(hook, 0o755);
      // The hook is live: plain git (with some identity) is stopped by it…
      expect(() =>
        execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', 'commit', '--allow-empty', '-m', 'plain'], {
          cwd: repo.path,
          stdio: 'ignore',
        }),
      ).toThrow();
      await rm(path.join(repo.path, '.git', 'hook-ran'));
      // …and runGit is not.
      await runGit(repo.path, ['commit', '--allow-empty', '-m', 'hooks off']);
      const author = await repo.git('log', '-1', '--format=%an <%ae>|%cn <%ce>|%s');
      expect(author).toBe(`Nocturnal Agent <${AGENT_EMAIL}>|Nocturnal Agent <${AGENT_EMAIL}>|hooks off`);
      await expect(access(path.join(repo.path, '.git', 'hook-ran'))).rejects.toThrow();
    } finally {
      await repo.cleanup();
    }
  });

  it('drops inherited variables that would redirect git to another repository', () => {
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = '/elsewhere/.git';
    try {
      const env = gitEnvironment();
      expect(env.GIT_DIR).toBeUndefined();
      expect(env).toMatchObject({ GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' });
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });

  it('reads no system or global config, unless asked to for the user checkout', async () => {
    const repo = await createTempRepo();
    const dir = await createTempDir();
    const saved = process.env.GIT_CONFIG_GLOBAL;
    try {
      const globalConfig = path.join(dir.path, 'gitconfig');
      await writeFile(globalConfig, '[filter "global"]\n\tclean = touch /tmp/should-not-run\n');
      process.env.GIT_CONFIG_GLOBAL = globalConfig;
      const args = ['config', '--get', 'filter.global.clean'];
      expect((await runGit(repo.path, args, { okExitCodes: [0, 1] })).exitCode).toBe(1);
      expect((await runGit(repo.path, args, { userConfig: true })).stdout).toBe('touch /tmp/should-not-run\n');
      expect(gitEnvironment()).toMatchObject({
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_ATTR_NOSYSTEM: '1',
      });
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
      await repo.cleanup();
      await dir.cleanup();
    }
  });

  it('says that the directory is missing rather than that git is', async () => {
    const dir = await createTempDir();
    await dir.cleanup();
    await expect(runGit(dir.path, ['status'])).rejects.toThrow(
      `the directory ${dir.path} does not exist (deleted or moved?)`,
    );
  });
});

describe('neutralisedFilters', () => {
  it('switches off every filter named, once each, sections with dots included', () => {
    expect(neutralisedFilters(['filter.lfs.clean', 'filter.lfs.smudge', 'filter.a.b.process', ''])).toEqual([
      '-c',
      'filter.a.b.clean=',
      '-c',
      'filter.a.b.smudge=',
      '-c',
      'filter.a.b.process=',
      '-c',
      'filter.a.b.required=false',
      '-c',
      'filter.lfs.clean=',
      '-c',
      'filter.lfs.smudge=',
      '-c',
      'filter.lfs.process=',
      '-c',
      'filter.lfs.required=false',
    ]);
    expect(() => neutralisedFilters(['filter.a=b.clean'])).toThrow(/cannot be overridden safely/);
  });
});
