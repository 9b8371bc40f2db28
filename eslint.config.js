import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

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
  {
    // Layering (DESIGN.md §6): only src/action may import @actions/*.
    files: ['src/oci/**', 'src/registry/**', 'src/publish/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@actions/*'], message: 'Only src/action imports @actions/*.' }] }
      ],
      'no-console': 'error'
    }
  },
  {
    files: ['src/oci/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*', 'undici'], message: 'src/oci is the bottom layer.' },
            { group: ['../registry/*', '../publish/*', '../action/*', '../cli/*'], message: 'src/oci imports nothing above it.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/registry/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'Only src/action imports @actions/*.' },
            { group: ['../publish/*', '../action/*', '../cli/*'], message: 'src/registry imports only src/oci.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/publish/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'Only src/action imports @actions/*.' },
            { group: ['../action/*', '../cli/*'], message: 'src/publish imports only registry and oci.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'Only src/action imports @actions/*.' },
            { group: ['../action/*'], message: 'src/cli imports only publish, registry and oci.' }
          ]
        }
      ]
    }
  }
)
