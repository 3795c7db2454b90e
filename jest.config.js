/** Three tiers: unit specs beside the source, integration specs against real NATS and
 * Postgres, end-to-end specs in test/ through the unmodified AWS SDK. */
const { pathsToModuleNameMapper } = require('./tools/jest-paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  // chevrotain ships ESM only; jest (on Node < 24.9) loads its one-file bundle through swc.
  transform: { '^.+\\.ts$': swc, '^.+chevrotain\\.mjs$': swc },
  transformIgnorePatterns: ['/node_modules/(?!chevrotain/)'],
  // parquetjs pulls in an ESM-only uuid that jest cannot load; the CommonJS build is the same API.
  moduleNameMapper: {
    ...pathsToModuleNameMapper(),
    '^uuid$': require.resolve('uuid'),
    '^chevrotain$': require.resolve('chevrotain').replace(/src[\\/]api\.js$/, 'chevrotain.mjs'),
  },
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/examples/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
  testTimeout: 60000,
};
