import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Files outside src/ that the product must never depend on: tests, bench, scripts, test support. */
const NOT_PRODUCT = {
  regex: '^(\\.\\./)+(__tests__|bench|script|support)(/|$)',
  message: 'src/ never imports tests, the benchmark, scripts or their support.'
}
const ACTIONS_ONLY_IN_ACTION = {
  group: ['@actions/*'],
  message: 'Only src/action imports @actions/* (docs/design.md §6).'
}

/** A relative import of any of `folders`, written from a file `depth` folders below src/. */
function above(depth, folders, message) {
  return { regex: `^${'\\.\\./'.repeat(depth)}(${folders.join('|')})(/|$)`, message }
}

function restrict(files, ...patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } }
}

function layerRules() {
  const faces = ['publish', 'action', 'cli']
  return [
    restrict(
      ['src/action/**'],
      NOT_PRODUCT,
      above(1, ['cli'], 'src/action and src/cli do not import each other.')
    ),
    restrict(
      ['src/cli/**'],
      NOT_PRODUCT,
      ACTIONS_ONLY_IN_ACTION,
      above(1, ['action'], 'src/cli imports only publish, registry and oci.')
    ),
    restrict(
      ['src/publish/**'],
      NOT_PRODUCT,
      ACTIONS_ONLY_IN_ACTION,
      above(1, ['action', 'cli'], 'src/publish imports only registry and oci.')
    ),
    restrict(
      ['src/registry/api/**'],
      NOT_PRODUCT,
      ACTIONS_ONLY_IN_ACTION,
      above(2, faces, 'src/registry imports only src/oci from outside itself.')
    ),
    restrict(
      ['src/registry/transport/**'],
      NOT_PRODUCT,
      ACTIONS_ONLY_IN_ACTION,
      above(2, faces, 'src/registry imports only src/oci from outside itself.'),
      above(
        1,
        ['api'],
        'registry/transport imports only base and credentials (the API sits on it).'
      )
    ),
    restrict(
      ['src/registry/credentials/**'],
      NOT_PRODUCT,
      ACTIONS_ONLY_IN_ACTION,
      above(2, faces, 'src/registry imports only src/oci from outside itself.'),
      above(1, ['transport', 'api'], 'registry/credentials imports only registry/base.')
    ),
    restrict(
      ['src/registry/base/**'],
      NOT_PRODUCT,
      ACTIONS_ONLY_IN_ACTION,
      above(2, faces, 'src/registry imports only src/oci from outside itself.'),
      above(1, ['credentials', 'transport', 'api'], 'registry/base is the bottom of the registry.')
    ),
    restrict(
      ['src/oci/**'],
      NOT_PRODUCT,
      {
        group: ['@actions/*', 'undici'],
        message: 'src/oci is the bottom layer: no HTTP, no Actions.'
      },
      above(1, ['registry', ...faces], 'src/oci imports nothing above it.')
    ),
    // The benchmark and the scripts share support/ with the tests, never the tests themselves.
    restrict(['bench/**', 'script/**', 'support/**'], {
      regex: '(^|/)__tests__(/|$)',
      message: 'Import shared test/bench code from support/, not from __tests__/.'
    })
  ]
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'no-console': 'off'
    }
  },
  // Layering (docs/design.md §6): folders are layers and each imports only the layers below
  // it; the registry's folders are layers too (base → credentials → transport → api). ESLint
  // keeps one no-restricted-imports per file (a later block replaces an earlier one), so each
  // block below lists everything its folder may not import. Dynamic import() is not seen by
  // this rule; __tests__/architecture.test.ts checks the whole graph, import() included.
  ...layerRules()
)
