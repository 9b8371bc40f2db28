/**
 * argv → the Action's raw inputs and the CLI's switches. Every input of action.yml is a flag
 * `--<input> <value>` or `--<input>=<value>`; list inputs may be repeated. Nothing here checks
 * values: parseOptions does, for the CLI exactly as for the Action.
 */
import { INPUT_NAMES, type InputName, type RawInputs } from '../publish/options.js'
import { INPUT_OPTIONS, SWITCHES, type Switch } from './options.js'

/** A malformed command line (unknown flag, missing value, flag given twice). */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface ParsedArgs {
  raw: RawInputs
  /** The inputs given as flags (for messages). */
  given: Set<InputName>
  help: boolean
  json: boolean
  quiet: boolean
  verbose: boolean
}

function isInput(name: string): name is InputName {
  return (INPUT_NAMES as readonly string[]).includes(name)
}

function isSwitch(name: string): name is Switch {
  return Object.prototype.hasOwnProperty.call(SWITCHES, name)
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]
}

function suggestion(name: string): string {
  const known = [...INPUT_NAMES, ...Object.keys(SWITCHES)]
  const best = known
    .map((k) => ({ k, d: distance(name.toLowerCase(), k) }))
    .sort((x, y) => x.d - y.d)[0]
  return best && best.d <= Math.max(2, Math.floor(name.length / 3))
    ? `; did you mean --${best.k}?`
    : ''
}

const SEE_HELP = "see 'multiarch-index --help'"

/** Parse the command line; throws UsageError naming the offending argument. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<InputName, string[]>()
  const parsed: ParsedArgs = {
    raw: {},
    given: new Set(),
    help: false,
    json: false,
    quiet: false,
    verbose: false
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h' || arg === '--help') {
      // Help wins over anything else on the line.
      parsed.help = true
      return parsed
    }
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(
        `unexpected argument '${arg}': every value follows its option, e.g. --images ghcr.io/owner/app (${SEE_HELP})`
      )
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq >= 0 ? eq : undefined)
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined
    if (isSwitch(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value (${SEE_HELP})`)
      parsed[name] = true
      continue
    }
    if (!isInput(name)) {
      throw new UsageError(`unknown option --${name}${suggestion(name)} (${SEE_HELP})`)
    }
    let value = inline
    if (value === undefined) {
      const next = argv[i + 1]
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(
          `--${name} needs a value: --${name} ${INPUT_OPTIONS[name].value} or --${name}=${INPUT_OPTIONS[name].value} (${SEE_HELP})`
        )
      }
      value = next
      i++
    }
    const list = values.get(name) ?? []
    if (list.length > 0 && INPUT_OPTIONS[name].list === 'single') {
      throw new UsageError(`--${name} is given more than once; give it once (${SEE_HELP})`)
    }
    list.push(value)
    values.set(name, list)
    parsed.given.add(name)
  }
  // Repeated flags become lines: one item per line is what every list input accepts.
  for (const [name, list] of values) parsed.raw[name] = list.join('\n')
  return parsed
}
