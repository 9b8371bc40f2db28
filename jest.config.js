/** Jest in ESM mode with ts-jest (transpile only: `tsc --noEmit` does the type checking). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, diagnostics: { ignoreCodes: [151002] } }
    ]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Integration tests start real registry processes; keep the 2-core machine calm.
  maxWorkers: 2,
  testTimeout: 60000,
  verbose: false
}
