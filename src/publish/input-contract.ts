/**
 * The input contract: every input's name (in action.yml order), description, default and
 * kind, in one place. The parser takes its defaults from here, the CLI its flags and
 * `--help`; action.yml must say the same (a test compares them), and the README's Inputs
 * table is generated from action.yml (script/readme-tables.mjs).
 *
 * Two kinds of default, because a runner fills in every action.yml `default:` as an
 * `INPUT_*` variable ("Metadata syntax for GitHub Actions", inputs.<input_id>.default):
 * - `default`: written in action.yml. Its value arriving is no sign the user gave the input,
 *   so a rule such as "sources cannot be combined with source-template" must ignore it
 *   (docs/design.md §3, Defaults).
 * - `fallback`: only described in action.yml's text; the parser applies it when the input is
 *   empty (`platforms` has none with `sources`, so it cannot be a runner-filled default).
 *
 * Descriptions name other inputs in backticks (`sources`): the README shows them as code and
 * the CLI's `--help` as flags (`--sources`).
 */

/** How the text of an input is split. */
export type InputKind =
  /** One value. */
  | 'single'
  /** One item per line (`images`: a line's platform list contains commas). */
  | 'lines'
  /** Items separated by commas or newlines. */
  | 'items'

interface InputSpec {
  description: string
  required?: true
  /** action.yml's `default:` (a runner always sends it; it never counts as given). */
  default?: string
  /** Applied by the parser when the input is empty; action.yml describes it in text. */
  fallback?: string
  kind: InputKind
  /** Masked as soon as it is read; never logged. */
  secret?: true
  /**
   * Only the Action has it (it needs a workflow's repository and token): no CLI flag, and the
   * engine's parser does not read it (src/action/github-inputs.ts does).
   */
  actionOnly?: true
}

export const INPUTS = {
  images: {
    description:
      "Target repositories, one per line (e.g. ghcr.io/microsoft/retina/retina-agent). A line may carry its own platform list after whitespace and '=': 'ghcr.io/o/operator = linux/amd64'.",
    required: true,
    kind: 'lines'
  },
  tag: {
    description:
      "The release tag that names the index. Defaults to the workflow's ref name (GITHUB_REF_NAME).",
    kind: 'single'
  },
  platforms: {
    description:
      "Expected platforms, in index order, separated by commas or newlines: linux/amd64, linux/arm64, linux/arm/v7, windows(10.0.20348)/amd64 or windows(ltsc2022)/amd64; or auto, to discover them from the repository's tags through `source-template` (for repairing a past release). Defaults to linux/amd64,linux/arm64 (not with `sources`).",
    fallback: 'linux/amd64,linux/arm64',
    kind: 'items'
  },
  'source-template': {
    description:
      'How a per-platform tag is named. Tokens {tag} {os} {arch} {variant} {release} {osversion}; {-x} renders -x only when x is not empty. Not used with `sources`.',
    default: '{tag}-{os}{-release}-{arch}{-variant}',
    kind: 'single'
  },
  sources: {
    description:
      'Instead of `platforms` and `source-template`: explicit source references by tag or digest (repo:tag, repo@sha256:...), in index order, separated by commas or newlines. Each platform is read from the image; a digest that is an index (buildx with attestations) gives its image and keeps its attestations. Sources in another repository or registry are copied into the target first.',
    kind: 'items'
  },
  tags: {
    description:
      "More tags that must point at the same index (latest, 0.0), separated by commas or newlines: bare tags, or full references such as docker/metadata-action's tags output. Full references to a repository that is not in `images` are set aside with a notice (a metadata setup for several registries), unless none of them names an image.",
    kind: 'items'
  },
  'media-type': {
    description:
      'auto (a Docker manifest list when every child is a Docker v2 manifest, else an OCI index), oci, or docker.',
    default: 'auto',
    kind: 'single'
  },
  annotations: {
    description:
      "Index annotations, key=value per line (OCI index only; an error with a Docker list). docker/metadata-action's annotations output is accepted: index: keys are used without the prefix, keys for other levels (manifest:) are set aside with a notice.",
    kind: 'lines'
  },
  mode: {
    description:
      'publish; verify (read-only: does the tag resolve to a complete, correct index?); or dry-run (every read, no write; prints the index it would push).',
    default: 'publish',
    kind: 'single'
  },
  'on-existing': {
    description:
      'When the release tag already holds a different index: update (replace it, report the old digest and the platform diff) or keep (fail, change nothing). keep protects the release tag only: the `tags` move as `floating-tags` says.',
    default: 'update',
    kind: 'single'
  },
  'floating-tags': {
    description:
      'When the `tags` (latest, 1.2) move: together (only once every image of the step is complete and its release tag written; otherwise they stay where they were, the release tags of the complete images are still written, and the step fails saying which tags were held back) or each (per image, as soon as that image is done).',
    default: 'together',
    kind: 'single'
  },
  'wait-timeout': {
    description: 'How long to wait for missing per-arch images before failing (0, 90s, 10m).',
    default: '0',
    kind: 'single'
  },
  timeout: {
    description: 'Bound on the whole step, retries included.',
    default: '10m',
    kind: 'single'
  },
  username: {
    description: 'Registry user name for the target registry.',
    kind: 'single'
  },
  password: {
    description: 'Registry password or token for the target registry.',
    kind: 'single',
    secret: true
  },
  'github-token': {
    description: 'Token used for ghcr.io when nothing else is configured.',
    default: '${{ github.token }}',
    kind: 'single',
    secret: true
  },
  'insecure-registries': {
    description:
      'Hosts that may be reached over plain HTTP (loopback is always allowed), separated by commas or newlines.',
    kind: 'items'
  },
  releases: {
    description:
      'Instead of `tag`: check the newest N published GitHub releases of this repository (1 to 100; drafts skipped), each release tag with every image, concurrently. Works in every mode (publish with platforms auto repairs each broken one). Needs contents: read for `github-token`. Not with `tag`, `tags` or `sources`.',
    kind: 'single',
    actionOnly: true
  },
  'include-prereleases': {
    description: 'With `releases`, whether prereleases count among the newest N (true or false).',
    default: 'true',
    kind: 'single',
    actionOnly: true
  },
  'report-issue': {
    description:
      'true: keep one issue up to date with what is broken (opened or updated when anything fails, with the repair command; commented and closed when a later run finds everything complete). Needs issues: write for `github-token`. Off by default.',
    default: 'false',
    kind: 'single',
    actionOnly: true
  },
  'report-label': {
    description: 'The label that marks the report issue; at most one issue with it is kept open.',
    default: 'multiarch-index',
    kind: 'single',
    actionOnly: true
  },
  'repair-workflow': {
    description:
      "The workflow_dispatch file the report's repair command runs (inputs version and images, as in examples/repair.yml).",
    default: 'repair.yml',
    kind: 'single',
    actionOnly: true
  }
} as const satisfies Record<string, InputSpec>

/** Every input of action.yml. */
type ActionInputName = keyof typeof INPUTS

/** Every input of action.yml, in its order. */
export const ACTION_INPUT_NAMES = Object.keys(INPUTS) as ActionInputName[]

/** The Action-only inputs (releases, the issue report): src/action/github-inputs.ts reads them. */
export type ActionOnlyName = {
  [K in ActionInputName]: (typeof INPUTS)[K] extends { actionOnly: true } ? K : never
}[ActionInputName]

/** The inputs the engine reads (the Action and the CLI alike). */
export type InputName = Exclude<ActionInputName, ActionOnlyName>

/** The engine's inputs, in action.yml order (each is also a CLI flag). */
export const INPUT_NAMES = ACTION_INPUT_NAMES.filter(
  (name) => !(INPUTS[name] as InputSpec).actionOnly
) as InputName[]

/** The Action-only inputs, in action.yml order. */
export const ACTION_ONLY_INPUT_NAMES = ACTION_INPUT_NAMES.filter(
  (name) => (INPUTS[name] as InputSpec).actionOnly
) as ActionOnlyName[]

/** The spec of one input (typed as the general shape). */
export function inputSpec(name: ActionInputName): InputSpec {
  return INPUTS[name]
}

/** A `${{ … }}` default is evaluated by the runner; there is no value to fall back on here. */
export function isExpression(text: string): boolean {
  return text.includes('${{')
}

/** The value the parser uses when the input is empty, if any. */
export function defaultValue(name: ActionInputName): string | undefined {
  const spec = inputSpec(name)
  if (spec.default !== undefined && !isExpression(spec.default)) return spec.default
  return spec.fallback
}
