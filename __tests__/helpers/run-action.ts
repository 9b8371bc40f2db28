// Shared with the benchmark and the demo scripts: the code lives in support/ (docs/design.md §7).
export * from '../../support/run-action.js'
