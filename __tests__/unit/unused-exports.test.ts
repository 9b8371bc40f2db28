/**
 * script/unused-exports.ts on a small project of its own: every way of reaching an export
 * counts as a use (named, default, namespace member, re-export, type-only, dynamic import with
 * destructuring or member access), a use inside the declaring file does not, and a use only
 * from outside src/ puts the export in the second group.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { findUnusedExports } from '../../script/unused-exports.js'

const files: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      strict: true,
      noEmit: true,
      types: []
    },
    include: ['src', '__tests__']
  }),
  'package.json': '{ "type": "module" }',
  'src/lib.ts': [
    'export const named = 1',
    'export default function byDefault(): number { return 2 }',
    'export const viaNamespace = 3',
    'export const viaReExport = 4',
    'export interface OnlyAsType { x: number }',
    'export const viaDestructuredImport = 5',
    'export const viaMemberOfImport = 6',
    'export const onlyInHere = 7',
    'export const unusedEverywhere = onlyInHere',
    'export const onlyByTests = 8',
    'const local = 9',
    'export { local as renamedLocal }'
  ].join('\n'),
  'src/barrel.ts': "export { viaReExport } from './lib.js'",
  'src/user.ts': [
    "import byDefault, { named, renamedLocal } from './lib.js'",
    "import * as lib from './lib.js'",
    "import type { OnlyAsType } from './lib.js'",
    "import { viaReExport } from './barrel.js'",
    'export async function use(t: OnlyAsType): Promise<number> {',
    "  const { viaDestructuredImport } = await import('./lib.js')",
    "  const mod = await import('./lib.js')",
    '  return named + byDefault() + lib.viaNamespace + viaReExport + t.x + renamedLocal +',
    '    viaDestructuredImport + mod.viaMemberOfImport',
    '}'
  ].join('\n'),
  '__tests__/lib.test.ts':
    "import { onlyByTests } from '../src/lib.js'\nexport const x = onlyByTests"
}

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'unused-exports-'))
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), text)
  }
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('script/unused-exports.ts', () => {
  it('counts every kind of use, and only uses from other files', () => {
    const result = findUnusedExports(root)
    expect(result.unused).toEqual([
      'src/lib.ts: onlyInHere',
      'src/lib.ts: unusedEverywhere',
      // src/user.ts's own export: nothing imports it
      'src/user.ts: use'
    ])
    expect(result.testOnly).toEqual(['src/lib.ts: onlyByTests'])
  })
})
