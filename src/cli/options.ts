/**
 * The CLI's options: one flag per input of the input contract (src/publish/input-contract.ts:
 * the same names, descriptions, defaults and kinds as action.yml), plus the CLI's own switches.
 * `--help` is generated from here.
 */
import {
  INPUT_NAMES,
  inputSpec,
  isExpression,
  type InputKind,
  type InputName
} from '../publish/input-contract.js'

/** How repeated flags make up the input's value: the contract's kind ('single': once only). */
type ListKind = InputKind

interface InputOption {
  /** Placeholder for the value in `--help`. */
  value: string
  description: string
  /** What `--help` shows as the default (absent: none). */
  default?: string
  required?: boolean
  list: ListKind
}

/** Environment variables the CLI reads for inputs that are not given as flags. */
export const INPUT_ENV: Partial<Record<InputName, string>> = {
  username: 'MULTIARCH_INDEX_USERNAME',
  password: 'MULTIARCH_INDEX_PASSWORD',
  'github-token': 'GITHUB_TOKEN'
}

/** What only the terminal adds to an input: the value's placeholder and a note on flags. */
const CLI_ONLY: { readonly [K in InputName]: { value: string; note?: string; default?: string } } =
  {
    images: {
      value: '<repository>',
      note: "Repeat the flag for several images (they run concurrently), e.g. --images 'ghcr.io/o/operator = linux/amd64'."
    },
    tag: { value: '<tag>', default: '$GITHUB_REF_NAME' },
    platforms: { value: '<list>', note: 'Repeat the flag or separate with commas.' },
    'source-template': { value: '<template>' },
    sources: { value: '<list>', note: 'Repeat the flag or separate with commas.' },
    tags: { value: '<list>', note: 'Repeat the flag or separate with commas.' },
    'media-type': { value: '<type>' },
    annotations: { value: '<key=value>', note: 'Repeat the flag for several.' },
    mode: { value: '<mode>' },
    'on-existing': { value: '<action>' },
    'floating-tags': { value: '<when>' },
    'wait-timeout': { value: '<duration>' },
    timeout: { value: '<duration>' },
    username: { value: '<name>' },
    password: {
      value: '<secret>',
      note: 'Prefer the variable: a flag is visible in the process list.'
    },
    'github-token': { value: '<token>' },
    'insecure-registries': { value: '<list>', note: 'Repeat the flag or separate with commas.' }
  }

/**
 * A contract description as the terminal reads it: `input` names become `--input` flags, and
 * the "Defaults to …" sentence goes (the help prints the default next to it).
 */
export function cliDescription(description: string): string {
  return description
    .replace(/`([a-z-]+)`/g, (_whole, name: string) =>
      (INPUT_NAMES as readonly string[]).includes(name) ? `--${name}` : name
    )
    .replace(/ ?Defaults to [^.]*(?:\([^)]*\))?\.?(?= |$)/, '')
    .trim()
}

function option(name: InputName): InputOption {
  const spec = inputSpec(name)
  const cli = CLI_ONLY[name]
  const env = INPUT_ENV[name]
  const contractDefault =
    spec.default !== undefined && !isExpression(spec.default) ? spec.default : spec.fallback
  const shown = cli.default ?? (env !== undefined ? `$${env}` : contractDefault)
  const out: InputOption = {
    value: cli.value,
    description: [cliDescription(spec.description), cli.note].filter(Boolean).join(' '),
    list: spec.kind
  }
  if (shown !== undefined) out.default = shown
  if (spec.required) out.required = true
  return out
}

/** Every input of the contract as a flag, in action.yml order. */
export const INPUT_OPTIONS: { readonly [K in InputName]: InputOption } = Object.fromEntries(
  INPUT_NAMES.map((name) => [name, option(name)])
) as { readonly [K in InputName]: InputOption }

/** The CLI's own switches (no value). */
export const SWITCHES = {
  json: 'Print the result document (the Action\'s "result" output) as JSON on stdout instead of the summary.',
  quiet: 'No progress lines on stderr (warnings and errors are still written).',
  verbose: 'Also write debug lines (request details, credential sources) on stderr.',
  help: 'Show this help and exit.'
} as const

export type Switch = keyof typeof SWITCHES

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/[ \t\r\n]+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(line)
  return lines.map((l) => l.replace(/\u00a0/g, ' '))
}

const INDENT = 2
const COLUMN = 34
const WIDTH = 100

function optionBlock(flag: string, text: string): string[] {
  const head = ' '.repeat(INDENT) + flag
  const body = wrap(text, WIDTH - COLUMN)
  const out: string[] = []
  if (head.length < COLUMN - 1) {
    out.push(head.padEnd(COLUMN) + (body.shift() ?? ''))
  } else {
    out.push(head)
  }
  for (const line of body) out.push(' '.repeat(COLUMN) + line)
  return out
}

/** The `--help` text. */
export function helpText(): string {
  const lines: string[] = [
    'Usage: multiarch-index --images <repository> [--tag <tag>] [options]',
    '',
    ...wrap(
      'Checks that every per-arch image of a release exists and is the platform its tag claims, assembles the multi-arch index from what the registry holds, pushes it under the release tag (and --tags) with bounded retries, and confirms what a puller gets. The options are the inputs of the GitHub Action (action.yml), with the same defaults; each is --name value or --name=value.',
      WIDTH
    ),
    '',
    'Options:'
  ]
  for (const name of INPUT_NAMES) {
    const o = INPUT_OPTIONS[name]
    const notes = [
      o.required ? '(required)' : '',
      // A no-break space keeps "(default: x)" on one line.
      o.default !== undefined ? `(default:\u00a0${o.default})` : ''
    ].filter(Boolean)
    lines.push(...optionBlock(`--${name} ${o.value}`, [o.description, ...notes].join(' ')))
  }
  lines.push('')
  for (const [name, description] of Object.entries(SWITCHES)) {
    lines.push(...optionBlock(name === 'help' ? '-h, --help' : `--${name}`, description))
  }
  lines.push(
    '',
    'Credentials, for each registry in this order:',
    ...[
      '--username and --password (or MULTIARCH_INDEX_USERNAME and MULTIARCH_INDEX_PASSWORD) for the target registries;',
      'the Docker config that docker login writes ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): credHelpers, credsStore, auths;',
      '--github-token (or GITHUB_TOKEN) for ghcr.io;',
      'anonymous.'
    ].flatMap((item, i) => {
      const [first = '', ...rest] = wrap(item, WIDTH - 5)
      return [`  ${i + 1}. ${first}`, ...rest.map((l) => `     ${l}`)]
    }),
    ...wrap('Secrets are never printed.', WIDTH).map((l) => `  ${l}`),
    '',
    'Tuning (environment):',
    '  MULTIARCH_INDEX_REQUEST_TIMEOUT            bound on one HTTP request (default 30s)',
    '  MULTIARCH_INDEX_CREDENTIAL_HELPER_TIMEOUT  bound on one credential-helper run (default 10s)',
    '',
    'Output: a summary per image on stdout (with --json the result document instead); progress',
    'lines (waits, retries) on stderr.',
    'Exit status: 0 done (created, updated, unchanged, verified or planned); 1 failed, or a bad',
    'option or input (nothing is sent to any registry then).',
    '',
    'Examples:',
    '  multiarch-index --images ghcr.io/microsoft/retina/retina-agent --tag v0.0.31 \\',
    "    --platforms 'linux/amd64,linux/arm64,windows(ltsc2019)/amd64,windows(ltsc2022)/amd64'",
    "  multiarch-index --images ghcr.io/o/app --images 'ghcr.io/o/operator = linux/amd64' --tag v1.2.3",
    '  multiarch-index --images ghcr.io/o/app --tag v1.2.3 --mode verify --json',
    ''
  )
  return lines.join('\n')
}
