// Guardrails, not style (Prettier formats): module boundaries, and no `as unknown as`.
import { readdirSync, statSync } from 'node:fs';
import tseslint from 'typescript-eslint';

/** Folders of src/ that are modules: used by others only through their index.ts. */
const NOT_MODULES = new Set(['core', 'shared-kernel', 'cli']);
const modules = readdirSync('src').filter((d) => statSync(`src/${d}`).isDirectory() && !NOT_MODULES.has(d));

/**
 * An import of `module`'s internals: a relative path into its folder that is not its public face, index.ts, or the
 * part of it free of Nest wiring, contract.ts (which index.ts re-exports; for a module that would otherwise import
 * back the module importing it).
 */
const PUBLIC_FACE = '(?!(index|contract)\\.js$)';
const internalsOf = (names) => `^(\\.\\./)+(${names.join('|')})/${PUBLIC_FACE}`;
const crossModule = (m) => ({
  regex: internalsOf(modules.filter((o) => o !== m)),
  message: `Import another module only through its index.ts (from src/${m}).`,
});
const noTests = { regex: '^(\\.\\./)+(test|bench)/', message: 'Production code does not import tests or benchmarks.' };
const SPECS = ['**/*.spec.ts'];
const ROOT = ['src/*.ts', 'src/core/**/*.ts', 'src/cli/**/*.ts'];
const publicFacesOnly = { regex: `^\\.{1,2}/(\\.\\./)*(${modules.join('|')})/${PUBLIC_FACE}`, message: 'Import a module only through its index.ts.' };

const noCasts = {
  selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
  message: '`as unknown as` hides a type error: type the value (RecordedEvent<E>, a type guard) instead.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/**', 'clients/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: { 'no-restricted-syntax': ['error', noCasts] },
  },
  // A module reaches another only through its public face (ARCHITECTURE.md, "Learned from the first build"), its specs
  // too; they are test code and may use test/'s helpers, production code never. (test/ and bench/ are test code that
  // drives the whole app, and may reach into a module, e.g. to run one of its jobs now.)
  ...modules.flatMap((m) => [
    { files: [`src/${m}/**/*.ts`], ignores: SPECS, rules: { 'no-restricted-imports': ['error', { patterns: [crossModule(m), noTests] }] } },
    { files: [`src/${m}/**/*.spec.ts`], rules: { 'no-restricted-imports': ['error', { patterns: [crossModule(m)] }] } },
  ]),
  // The composition root (app.module, bootstrap, migrations, openapi, cli) and src/core take modules' public faces too.
  {
    files: ROOT,
    ignores: SPECS,
    rules: { 'no-restricted-imports': ['error', { patterns: [publicFacesOnly, noTests] }] },
  },
  { files: ROOT.map((f) => f.replace(/\.ts$/, '.spec.ts')), rules: { 'no-restricted-imports': ['error', { patterns: [publicFacesOnly] }] } },
  // libs/ and the shared kernel know no module.
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+src/', message: 'libs/ must not depend on the application (src/).' }] }] },
  },
  {
    files: ['src/shared-kernel/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: `^(\\.\\./)+(${modules.join('|')})/`, message: 'The shared kernel depends on no module.' }] }],
    },
  },
);
