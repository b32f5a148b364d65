import { describe, it, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * What the build does not check, checked on every `npm test`: the compiler over every file, specs included (the build
 * excludes them and swc strips their types), and the ESLint guardrails (eslint.config.js: a module is imported only
 * through its index.ts, production code imports no test, no `as unknown as`). The guardrails are a ratchet: the counts
 * below are what is left to remove (issue 16); a new violation fails, and so does a removal not written down here.
 */
const run = promisify(execFile);
const node = (args: string[]) =>
  run(process.execPath, args, { cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout?: string; stderr?: string; code?: number }) => e);

const LEFT = {
  /** Imports of another module's internals, or of test code from production code (src/, libs/). */
  'no-restricted-imports': 0,
  /** `as unknown as` anywhere linted (src, libs, test, bench): none left; type the value (RecordedEvent<E>, a guard). */
  'no-restricted-syntax': 0,
};

// Started together when the file loads (two cores: the compiler and ESLint side by side); incremental, so a second run is quick.
const tsc = (project: string, cache: string) =>
  node([
    'node_modules/typescript/bin/tsc',
    '-p',
    project,
    '--noEmit',
    '--incremental',
    '--tsBuildInfoFile',
    `node_modules/.cache/partnerflow/${cache}.tsbuildinfo`,
  ]);
const checks = {
  app: tsc('tsconfig.json', 'app'),
  web: tsc('web/tsconfig.json', 'web'),
  prettier: node([
    'node_modules/prettier/bin/prettier.cjs',
    '--check',
    '--log-level',
    'warn',
    '--cache',
    '--cache-location',
    'node_modules/.cache/partnerflow/prettier',
    '.',
  ]),
  eslint: node([
    'node_modules/eslint/bin/eslint.js',
    '--cache',
    '--cache-location',
    'node_modules/.cache/partnerflow/eslint',
    '--format',
    'json',
    'src',
    'libs',
    'test',
    'bench',
  ]),
};

describe('static checks', () => {
  it('every file is formatted as .prettierrc.json says (`npm run format` fixes it)', async () => {
    const out = await checks.prettier;
    expect([('code' in out && out.code) || 0, out.stderr?.slice(0, 4000)]).toEqual([0, '']);
  });

  it('type-checks the app, the web console and every spec', async () => {
    const [app, web] = await Promise.all([checks.app, checks.web]);
    expect([('code' in app && app.code) || 0, app.stdout?.slice(0, 4000)]).toEqual([0, '']);
    expect([('code' in web && web.code) || 0, web.stdout?.slice(0, 4000)]).toEqual([0, '']);
  });

  it('ESLint guardrails: no more violations than are left to remove', async () => {
    const out = await checks.eslint;
    const results = JSON.parse(out.stdout ?? '[]') as { filePath: string; messages: { ruleId: string | null; message: string; line: number }[] }[];
    const messages = results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath.replace(`${process.cwd()}/`, '') })));
    expect(messages.filter((m) => !m.ruleId || !(m.ruleId in LEFT))).toEqual([]);
    const counts = Object.fromEntries(Object.keys(LEFT).map((rule) => [rule, messages.filter((m) => m.ruleId === rule).length]));
    expect(counts).toEqual(LEFT);
  });
});
