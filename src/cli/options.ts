/**
 * The CLI's options: one flag per input of action.yml (the same names, defaults and meaning;
 * a test checks this table against action.yml), plus the CLI's own switches. `--help` is
 * generated from here.
 */
import { DEFAULTS, INPUT_NAMES, type InputName } from '../publish/options.js'

/** How repeated flags and the text of one flag make up the input's value. */
export type ListKind =
  /** One value per flag; never repeated (given twice is an error). */
  | 'single'
  /** One item per line; a repeated flag adds lines (`images`, `annotations`). */
  | 'lines'
  /** Items separated by commas or newlines; a repeated flag adds items. */
  | 'items'

export interface InputOption {
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

/**
 * Every input of action.yml as a flag. Keyed by InputName, so the compiler insists on exactly
 * the inputs the engine knows; the test compares the names with action.yml.
 */
export const INPUT_OPTIONS: { readonly [K in InputName]: InputOption } = {
  images: {
    value: '<repository>',
    description:
      "Target repository, e.g. ghcr.io/microsoft/retina/retina-agent. Repeat the flag for several images (they run concurrently). An image may carry its own platforms after '=': --images 'ghcr.io/o/operator = linux/amd64'.",
    required: true,
    list: 'lines'
  },
  tag: {
    value: '<tag>',
    description: 'The release tag that names the index.',
    default: '$GITHUB_REF_NAME',
    list: 'single'
  },
  platforms: {
    value: '<list>',
    description:
      "Expected platforms, in index order, comma-separated or repeated: linux/amd64, linux/arm64, linux/arm/v7, windows(10.0.20348)/amd64 or windows(ltsc2022)/amd64; or auto: find them among the repository's tags. Not with --sources.",
    default: DEFAULTS.platforms,
    list: 'items'
  },
  'source-template': {
    value: '<template>',
    description:
      'How a per-platform tag is named. Tokens {tag} {os} {arch} {variant} {release} {osversion}; {-x} renders -x only when x is not empty.',
    default: DEFAULTS['source-template'],
    list: 'single'
  },
  sources: {
    value: '<list>',
    description:
      'Instead of --platforms and --source-template: explicit source references by tag or digest (repo:tag, repo@sha256:...), in index order, comma-separated or repeated. Each platform is read from the image.',
    list: 'items'
  },
  tags: {
    value: '<list>',
    description:
      'More tags that must point at the same index (latest, 0.0): bare tags or full references, comma-separated or repeated.',
    list: 'items'
  },
  'media-type': {
    value: '<type>',
    description:
      'auto (a Docker manifest list when every child is a Docker v2 manifest, else an OCI index), oci, or docker.',
    default: DEFAULTS['media-type'],
    list: 'single'
  },
  annotations: {
    value: '<key=value>',
    description: 'An index annotation (OCI index only); repeat the flag for several.',
    list: 'lines'
  },
  mode: {
    value: '<mode>',
    description:
      'publish; verify (read-only: does the tag resolve to a complete, correct index?); or dry-run (every read, no write; prints the index it would push).',
    default: DEFAULTS.mode,
    list: 'single'
  },
  'on-existing': {
    value: '<action>',
    description:
      'When the tag already holds a different index: update (replace it, report the old digest and the platform diff) or keep (fail, change nothing).',
    default: DEFAULTS['on-existing'],
    list: 'single'
  },
  'wait-timeout': {
    value: '<duration>',
    description: 'How long to wait for missing per-arch images before failing (0, 90s, 10m).',
    default: DEFAULTS['wait-timeout'],
    list: 'single'
  },
  timeout: {
    value: '<duration>',
    description: 'Bound on the whole run, retries included.',
    default: DEFAULTS.timeout,
    list: 'single'
  },
  username: {
    value: '<name>',
    description: 'Registry user name for the target registry.',
    default: '$MULTIARCH_INDEX_USERNAME',
    list: 'single'
  },
  password: {
    value: '<secret>',
    description:
      'Registry password or token for the target registry. Prefer the variable: a flag is visible in the process list.',
    default: '$MULTIARCH_INDEX_PASSWORD',
    list: 'single'
  },
  'github-token': {
    value: '<token>',
    description: 'Token used for ghcr.io when nothing else is configured.',
    default: '$GITHUB_TOKEN',
    list: 'single'
  },
  'insecure-registries': {
    value: '<list>',
    description:
      'Hosts that may be reached over plain HTTP (loopback is always allowed), comma-separated or repeated.',
    list: 'items'
  }
}

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
