// Guardrails, not style (Prettier formats): module boundaries, and no `as unknown as`.
import { readdirSync, statSync } from 'node:fs';
import tseslint from 'typescript-eslint';

/** Folders of src/ that are modules: used by others only through their index.ts. */
const NOT_MODULES = new Set(['core', 'shared-kernel', 'cli']);
const modules = readdirSync('src').filter((d) => statSync(`src/${d}`).isDirectory() && !NOT_MODULES.has(d));

/** An import of `module`'s internals: a relative path into its folder that is not its index.ts. */
const internalsOf = (names) => `^(\\.\\./)+(${names.join('|')})/(?!index\\.js$)`;

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
  // A module reaches another only through its public face (ARCHITECTURE.md, "Learned from the first build").
  ...modules.map((m) => ({
    files: [`src/${m}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: internalsOf(modules.filter((o) => o !== m)), message: `Import another module only through its index.ts (from src/${m}).` },
            { regex: '^(\\.\\./)+(test|bench)/', message: 'Production code does not import tests or benchmarks.' },
          ],
        },
      ],
    },
  })),
  // The composition root (app.module, bootstrap, migrations, openapi) and src/core take modules' public faces too.
  {
    files: ['src/*.ts', 'src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `^\\.{1,2}/(\\.\\./)*(${modules.join('|')})/(?!index\\.js$)`, message: 'Import a module only through its index.ts.' }] },
      ],
    },
  },
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
