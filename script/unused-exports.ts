/**
 * Lists the exports of src/ files that no other src/ file uses, in two groups:
 *   - used by nothing: no file anywhere (src, tests, bench, script, support) refers to it;
 *   - used only by tests/bench/script: kept alive by code outside src/ alone.
 * An export is part of a module's contract with the rest of the program (docs/design.md §6):
 * one that nothing uses is dead code; one only a test uses is a hint that the test reaches past
 * the module's real interface.
 *
 * Uses are resolved by the TypeScript checker rather than by matching names, so every way of
 * reaching an export counts: named and default imports, `import * as ns` then `ns.name`,
 * re-exports (followed to the declaration), type-only imports, and dynamic `import()` with a
 * destructuring pattern or a member access. A use inside the declaring file does not count.
 *
 * Usage: npx tsx script/unused-exports.ts [--report] [--json]
 *   exit 1 when an export is used by nothing (with --report: print only, exit 0);
 *   --json prints { unused: [...], testOnly: [...] } (one "file: name" per entry) instead.
 */
import { dirname, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export interface UnusedExports {
  /** `src/x/y.ts: name`, used by no other file. */
  unused: string[]
  /** `src/x/y.ts: name`, used only by files outside src/. */
  testOnly: string[]
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The program `root`/tsconfig.json describes: src, tests, bench, script and support together. */
function loadProgram(root: string): ts.Program {
  const configPath = resolve(root, 'tsconfig.json')
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p))
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'))
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
  return ts.createProgram(parsed.fileNames, parsed.options)
}

function isSrcModule(path: string): boolean {
  return path.startsWith('src/') && !path.endsWith('.d.ts')
}

/** The unused exports of the project at `root` (this repository unless a test gives another). */
export function findUnusedExports(root: string = projectRoot): UnusedExports {
  const program = loadProgram(root)
  const projectPath = (file: ts.SourceFile): string =>
    relative(root, file.fileName).split(sep).join('/')
  const checker = program.getTypeChecker()
  const ownFiles = program
    .getSourceFiles()
    .filter((f) => !f.isDeclarationFile || isSrcModule(projectPath(f)))
    .filter((f) => !projectPath(f).startsWith('node_modules/') && !projectPath(f).startsWith('..'))

  const resolveAlias = (symbol: ts.Symbol): ts.Symbol =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol

  // symbol → the project paths of files (other than its own) that refer to it
  const users = new Map<ts.Symbol, Set<string>>()
  const noteUse = (symbol: ts.Symbol | undefined, userPath: string): void => {
    if (!symbol) return
    const target = resolveAlias(symbol)
    let set = users.get(target)
    if (!set) users.set(target, (set = new Set()))
    set.add(userPath)
  }

  for (const file of ownFiles) {
    const path = projectPath(file)
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        noteUse(checker.getSymbolAtLocation(node), path)
      } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        // `const { name } = await import('./m.js')`: the shorthand binding names a local, so
        // the module's export is found as a property of the pattern's type.
        const key = node.propertyName ?? node.name
        if (ts.isIdentifier(key)) {
          const type = checker.getTypeAtLocation(node.parent)
          noteUse(type.getProperty(key.text), path)
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(file)
  }

  const unused: string[] = []
  const testOnly: string[] = []
  for (const file of ownFiles) {
    const path = projectPath(file)
    if (!isSrcModule(path)) continue
    const moduleSymbol = checker.getSymbolAtLocation(file)
    if (!moduleSymbol) continue
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = resolveAlias(exported)
      // A re-export is listed under the file that declares it.
      const declaredHere = (target.declarations ?? []).some((d) => d.getSourceFile() === file)
      if (!declaredHere) continue
      const others = [...(users.get(target) ?? [])].filter((p) => p !== path)
      const entry = `${path}: ${exported.name}`
      if (others.length === 0) unused.push(entry)
      else if (!others.some((p) => p.startsWith('src/'))) testOnly.push(entry)
    }
  }
  return { unused: unused.sort(), testOnly: testOnly.sort() }
}

function main(argv: string[]): number {
  const result = findUnusedExports()
  if (argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2))
  } else {
    console.log(`Exports of src/ used by nothing (${result.unused.length}):`)
    for (const e of result.unused) console.log(`  ${e}`)
    console.log(`\nExports of src/ used only by tests/bench/script (${result.testOnly.length}):`)
    for (const e of result.testOnly) console.log(`  ${e}`)
  }
  if (argv.includes('--report')) return 0
  return result.unused.length > 0 ? 1 : 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
