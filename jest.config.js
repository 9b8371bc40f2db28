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
  // How long a worker may take to exit once its last file is done, before Jest kills it and
  // prints "A worker process has failed to exit gracefully". No test leaves a server, child,
  // socket, timer or process listener behind (checked file by file: nothing is active when
  // the worker is told to end, and its 'exit' event follows within milliseconds). The time
  // goes into tearing down the worker's V8 heap: Jest's ESM runtime keeps about 3 MB per test
  // file (as much for a file with one trivial test), a worker ends with 150-300 MB, and
  // freeing it takes 100-250 ms on an idle machine, past Jest's default 500 ms on a busy
  // 2-core one. 2 s leaves room for that and still reports a real leak, which keeps a worker
  // alive indefinitely.
  workerGracefulExitTimeout: 2000,
  testTimeout: 60000,
  verbose: false
}
