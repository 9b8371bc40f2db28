/**
 * Read the Action's inputs from the runner, mask secrets at once, and parse them into the
 * typed options (the only place that calls core.getInput).
 */
import * as core from '@actions/core'
import { INPUT_NAMES, type PublishOptions, type RawInputs } from '../publish/options.js'
import { parseOptions } from '../publish/parse-options.js'
import {
  GITHUB_INPUT_NAMES,
  parseGitHubOptions,
  type GitHubOptions,
  type GitHubRawInputs
} from './github-inputs.js'

const SECRET_INPUTS = ['password', 'github-token'] as const

/**
 * Stands in for the tag while the other inputs are checked on a `releases` run: the real
 * tags are known only once the releases are listed, and each is checked then.
 */
const TAG_CHECKED_LATER = 'v0.0.0'

/** Read every input of action.yml; secrets are masked before anything else happens. */
function readRawInputs(): RawInputs {
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name, { trimWhitespace: false })
  for (const name of SECRET_INPUTS) {
    const secret = raw[name]?.trim()
    if (secret) core.setSecret(secret)
  }
  return raw
}

/** The GitHub-only inputs (releases, the issue report). */
function readGitHubInputs(): GitHubRawInputs {
  const raw: GitHubRawInputs = {}
  for (const name of GITHUB_INPUT_NAMES) raw[name] = core.getInput(name)
  return raw
}

/** Every input of a run, parsed. */
export interface ActionInputs {
  raw: RawInputs
  options: PublishOptions
  github: GitHubOptions
}

/**
 * Inputs → options, validated before any request. With `releases`, the options hold no real
 * tag yet: {@link optionsForTag} gives each release's.
 */
export function getInputs(env: Record<string, string | undefined> = process.env): ActionInputs {
  const raw = readRawInputs()
  const github = parseGitHubOptions(readGitHubInputs(), raw, env)
  const options = parseOptions(github.releases ? { ...raw, tag: TAG_CHECKED_LATER } : raw, env)
  return { raw, options, github }
}

/** The options for one release tag (its plans render that tag's sources). */
export function optionsForTag(
  raw: RawInputs,
  tag: string,
  env: Record<string, string | undefined> = process.env
): PublishOptions {
  return parseOptions({ ...raw, tag }, env)
}
