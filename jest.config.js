/** Jest in native ESM; TypeScript through @swc/jest with legacy decorators and metadata. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/{src,libs,test}/**/*.spec.ts'],
  // The long multi-process suites run with `npm run test:reliability`; `npm test` keeps the SIGKILL webhook test.
  testPathIgnorePatterns: process.env.RELIABILITY ? ['/node_modules/'] : ['/node_modules/', '/test/reliability/(sigkill-under-load|two-instances|roles)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'es6' },
      },
    ],
  },
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
