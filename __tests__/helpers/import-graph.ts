/**
 * The import graph of src/, read by a small parser of its own (no TypeScript program): the
 * architecture test checks the layer rules of docs/design.md §6 on it. Every way one module
 * can depend on another is an edge: static imports, type-only imports, side-effect imports,
 * re-exports (`export … from`) and dynamic `import()`, because each one ties the two modules
 * together (a type-only circle still makes two files impossible to understand one at a time).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

export type ImportKind = 'static' | 'type' | 'side-effect' | 're-export' | 'dynamic'

export interface ImportEdge {
  /** Project path of the importing file, e.g. `src/publish/engine.ts`. */
  from: string
  /** The specifier as written: `./discover.js`, `undici`, `node:fs`. */
  specifier: string
  /** Project path of the imported file for a relative specifier; undefined for a package. */
  to?: string
  kind: ImportKind
  line: number
}

/**
 * The source with comments blanked out and the contents of string, template and regular
 * expression literals replaced by spaces (line breaks kept, so positions and line numbers stay
 * true). What is left can be searched for `import`/`export` without being fooled by a word in
 * a comment or a string. String literals keep their quotes and contents in `strings` by offset,
 * so a specifier can be read back.
 */
export function blankNonCode(source: string): { code: string; strings: Map<number, string> } {
  const out = source.split('')
  const strings = new Map<number, string>()
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' '
  }
  // A `/` starts a regular expression where an expression may begin: after an operator, an
  // opening bracket, a comma, or a keyword such as `return`; after a name, `)` or `]` it divides.
  const regexMayFollow = (at: number): boolean => {
    let k = at - 1
    while (k >= 0 && /\s/.test(out[k]!)) k--
    if (k < 0) return true
    const ch = out[k]!
    if (/[)\]}]/.test(ch)) return false
    if (/[\w$]/.test(ch)) {
      let s = k
      while (s > 0 && /[\w$]/.test(out[s - 1]!)) s--
      return /^(return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/.test(
        out.slice(s, k + 1).join('')
      )
    }
    return true
  }
  // Template literals nest through `${ … }`; this stack says, per open brace, whether closing it
  // resumes a template.
  const braces: boolean[] = []
  let i = 0
  const readTemplate = (start: number): number => {
    // from just after a backtick or a `}` closing a substitution; returns the index after the
    // end of this template chunk (after the closing backtick or the `${`)
    let k = start
    while (k < source.length) {
      if (source[k] === '\\') {
        k += 2
        continue
      }
      if (source[k] === '`') {
        blank(start, k)
        return k + 1
      }
      if (source[k] === '$' && source[k + 1] === '{') {
        blank(start, k)
        braces.push(true)
        return k + 2
      }
      k++
    }
    blank(start, k)
    return k
  }
  while (i < source.length) {
    const ch = source[i]!
    const next = source[i + 1]
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i)
      const stop = end === -1 ? source.length : end
      blank(i, stop)
      i = stop
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      const stop = end === -1 ? source.length : end + 2
      blank(i, stop)
      i = stop
    } else if (ch === "'" || ch === '"') {
      let k = i + 1
      while (k < source.length && source[k] !== ch && source[k] !== '\n')
        k += source[k] === '\\' ? 2 : 1
      strings.set(i, source.slice(i + 1, k))
      blank(i + 1, k)
      i = k + 1
    } else if (ch === '`') {
      i = readTemplate(i + 1)
    } else if (ch === '{') {
      braces.push(false)
      i++
    } else if (ch === '}') {
      i = braces.pop() ? readTemplate(i + 1) : i + 1
    } else if (ch === '/' && regexMayFollow(i)) {
      let k = i + 1
      let inClass = false
      while (k < source.length && source[k] !== '\n') {
        if (source[k] === '\\') k++
        else if (source[k] === '[') inClass = true
        else if (source[k] === ']') inClass = false
        else if (source[k] === '/' && !inClass) break
        k++
      }
      blank(i + 1, k)
      i = k + 1
    } else {
      i++
    }
  }
  return { code: out.join(''), strings }
}

interface Token {
  text: string
  offset: number
  /** The contents of a string literal token (text is then `'` or `"`). */
  value?: string
}

/** Names, string literals and single punctuation characters of code left by blankNonCode. */
function tokens(source: string): Token[] {
  const { code, strings } = blankNonCode(source)
  const list: Token[] = []
  let closingQuote = -1
  for (const m of code.matchAll(/[\w$]+|\S/g)) {
    const offset = m.index!
    if (offset === closingQuote) continue
    const value = strings.get(offset)
    if (value !== undefined) {
      closingQuote = offset + value.length + 1
      list.push({ text: m[0], offset, value })
    } else {
      list.push({ text: m[0], offset })
    }
  }
  return list
}

/**
 * The imports of one module's source: specifier, kind and line, in source order. `import` and
 * `export` are reserved words, so every `import` token (but `import.meta`) is an import, and an
 * `export` token followed by `{…} from`, `type {…} from` or `* from` is a re-export.
 */
export function parseImports(source: string): Array<Omit<ImportEdge, 'from' | 'to'>> {
  const list = tokens(source)
  const lineAt = (offset: number): number => source.slice(0, offset).split('\n').length
  const found: Array<Omit<ImportEdge, 'from' | 'to'>> = []
  const isString = (t: Token | undefined): t is Token & { value: string } => t?.value !== undefined
  // The specifier of `… from '…'` starting at token k, not crossing another statement keyword.
  const fromClause = (k: number): string | undefined => {
    for (let j = k; j < list.length - 1; j++) {
      const t = list[j]!
      if (t.text === 'import' || t.text === 'export') return undefined
      if (t.text === 'from' && !isString(t) && isString(list[j + 1])) return list[j + 1]!.value
    }
    return undefined
  }
  for (let k = 0; k < list.length; k++) {
    const t = list[k]!
    if (isString(t)) continue
    const next = list[k + 1]
    const line = lineAt(t.offset)
    if (t.text === 'import') {
      if (list[k - 1]?.text === '.' || next?.text === '.') continue // import.meta
      if (next?.text === '(') {
        const arg = list[k + 2]
        const closes = list[k + 3]?.text === ')' || list[k + 3]?.text === ','
        const specifier = isString(arg) && closes ? arg.value : '<computed>'
        const kind = list[k - 1]?.text === 'typeof' ? 'type' : 'dynamic'
        found.push({ specifier, kind, line })
      } else if (isString(next)) {
        found.push({ specifier: next.value, kind: 'side-effect', line })
      } else {
        const specifier = fromClause(k + 1)
        if (specifier === undefined)
          throw new Error(`line ${line}: an import this parser cannot read`)
        const typeOnly =
          next?.text === 'type' && list[k + 2]?.text !== ',' && list[k + 2]?.text !== 'from'
        found.push({ specifier, kind: typeOnly ? 'type' : 'static', line })
      }
    } else if (t.text === 'export') {
      let j = k + 1
      if (list[j]?.text === 'type') j++
      if (list[j]?.text === '{') {
        while (j < list.length && list[j]!.text !== '}') j++
        const specifier =
          list[j + 1]?.text === 'from' && isString(list[j + 2]) ? list[j + 2]!.value : undefined
        if (specifier !== undefined) found.push({ specifier, kind: 're-export', line })
      } else if (list[j]?.text === '*') {
        const specifier = fromClause(j)
        if (specifier !== undefined) found.push({ specifier, kind: 're-export', line })
      }
    }
  }
  return found
}

function listTypeScript(dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listTypeScript(path))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path)
  }
  return files.sort()
}

/**
 * Every import edge of every module under `dir` (a project folder such as `src`). A relative
 * specifier is resolved the way NodeNext resolves TypeScript's `.js` specifiers (to the `.ts`
 * file); one that resolves to nothing throws, so an edge is never lost silently.
 */
export function importGraph(root: string, dir = 'src'): ImportEdge[] {
  const project = (abs: string): string => relative(root, abs).split(sep).join('/')
  const edges: ImportEdge[] = []
  for (const file of listTypeScript(resolve(root, dir))) {
    for (const edge of parseImports(readFileSync(file, 'utf8'))) {
      const from = project(file)
      if (edge.specifier === '<computed>') {
        throw new Error(
          `${from}:${edge.line}: import() with a computed specifier cannot be checked`
        )
      }
      if (!edge.specifier.startsWith('.')) {
        edges.push({ from, ...edge })
        continue
      }
      const target = resolve(dirname(file), edge.specifier)
      const candidates = [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.d.ts'), target]
      const hit = candidates.find((c) => existsSync(c) && !c.endsWith(sep))
      if (!hit) throw new Error(`${from}:${edge.line}: cannot resolve '${edge.specifier}'`)
      edges.push({ from, to: project(hit), ...edge })
    }
  }
  return edges
}

/**
 * The import circles of a graph: one per strongly connected component of more than one file
 * (or a file importing itself), each given as a path that starts and ends at the same file,
 * starting from its alphabetically first file so the output is stable.
 */
export function findCircles(edges: ReadonlyArray<Pick<ImportEdge, 'from' | 'to'>>): string[][] {
  const next = new Map<string, string[]>()
  for (const e of edges) {
    if (!e.to) continue
    const list = next.get(e.from) ?? []
    if (!list.includes(e.to)) list.push(e.to)
    next.set(e.from, list.sort())
  }
  const nodes = [...new Set([...next.keys(), ...[...next.values()].flat()])].sort()
  // Tarjan's strongly connected components.
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  let counter = 0
  const connect = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!))
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      components.push(component)
    }
  }
  for (const v of nodes) if (!index.has(v)) connect(v)

  const circles: string[][] = []
  for (const component of components) {
    const members = new Set(component)
    const start = [...component].sort()[0]!
    if (component.length === 1 && !(next.get(start) ?? []).includes(start)) continue
    // Shortest way from start back to itself inside the component (breadth first).
    const previous = new Map<string, string>()
    const queue = [start]
    let closed = false
    while (queue.length > 0 && !closed) {
      const v = queue.shift()!
      for (const w of next.get(v) ?? []) {
        if (!members.has(w)) continue
        if (w === start) {
          previous.set(start, v)
          closed = true
          break
        }
        if (!previous.has(w)) {
          previous.set(w, v)
          queue.push(w)
        }
      }
    }
    const path = [start]
    for (let v = previous.get(start)!; v !== start; v = previous.get(v)!) path.unshift(v)
    path.unshift(start)
    circles.push(path)
  }
  return circles.sort((a, b) => a[0]!.localeCompare(b[0]!))
}

/** Folders from the bottom layer up; folders in one entry are siblings that may not import each other. */
export type LayerOrder = ReadonlyArray<readonly string[]>

/** The folder (from `layers`) a project path belongs to, with its rank; undefined when none. */
export function layerOf(
  path: string,
  layers: LayerOrder
): { folder: string; rank: number } | undefined {
  for (const [rank, folders] of layers.entries()) {
    const folder = folders.find((f) => path.startsWith(`${f}/`))
    if (folder) return { folder, rank }
  }
  return undefined
}

/**
 * The edges that do not go downward: an import of a file in a higher layer, or in a sibling
 * folder of the same layer. An import inside one folder is always allowed.
 */
export function upwardImports(edges: readonly ImportEdge[], layers: LayerOrder): string[] {
  const problems: string[] = []
  for (const e of edges) {
    if (!e.to) continue
    const from = layerOf(e.from, layers)
    const to = layerOf(e.to, layers)
    if (!from || !to) {
      problems.push(`${e.from}:${e.line} → ${e.to}: a file outside the layer order`)
    } else if (from.folder !== to.folder && to.rank >= from.rank) {
      problems.push(
        `${e.from}:${e.line} imports ${e.to} (${e.kind}): ${from.folder} may import only layers below it`
      )
    }
  }
  return problems
}

/** Package imports matching `pattern` from files outside `allowedFolder`. */
export function packageImportsOutside(
  edges: readonly ImportEdge[],
  pattern: RegExp,
  allowedFolder: string
): string[] {
  return edges
    .filter((e) => !e.to && pattern.test(e.specifier) && !e.from.startsWith(`${allowedFolder}/`))
    .map((e) => `${e.from}:${e.line} imports ${e.specifier}`)
}
