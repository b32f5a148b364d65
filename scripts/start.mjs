// `npm start`: compile only when a source is newer than the last build, then run the service.
// Skipping an unchanged build keeps start-up well under the 5 s budget.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => (name === 'node_modules' || name === 'dist' ? m : Math.max(m, newest(join(path, name)))), s.mtimeMs);
}

/** Runs `command` when a source is newer than `stamp` (or always with --build); exits on failure. */
function buildIfStale(stamp, sources, command, cwd = root, env = process.env) {
  const existing = sources.map((p) => join(root, p)).filter(existsSync);
  const stale = !existsSync(stamp) || Math.max(...existing.map(newest)) > statSync(stamp).mtimeMs;
  if (!stale && !process.argv.includes('--build')) return;
  const run = spawnSync(process.execPath, command, { stdio: 'inherit', cwd, env });
  if (run.status !== 0) process.exit(run.status ?? 1);
  writeFileSync(stamp, new Date().toISOString());
}

buildIfStale(
  join(root, 'dist', '.build-stamp'),
  ['src', 'libs', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json'],
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
);
// the web console (web/dist), served by the app
buildIfStale(
  join(root, 'web', 'dist', '.build-stamp'),
  ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'clients/typescript/src', 'libs/money'],
  [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
  join(root, 'web'),
  { ...process.env, NODE_ENV: 'production' },
);
if (!process.argv.includes('--build')) await import(join(root, 'dist/src/main.js'));
