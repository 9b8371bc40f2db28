/**
 * Read the Action's inputs from the runner, mask secrets at once, and parse them into the
 * typed options (the only place that calls core.getInput).
 */
import * as core from '@actions/core'
import { INPUT_NAMES, type PublishOptions, type RawInputs } from '../publish/options.js'
import { parseOptions } from '../publish/parse-options.js'

const SECRET_INPUTS = ['password', 'github-token'] as const

/** Read every input of action.yml; secrets are masked before anything else happens. */
export function readRawInputs(): RawInputs {
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name, { trimWhitespace: false })
  for (const name of SECRET_INPUTS) {
    const secret = raw[name]?.trim()
    if (secret) core.setSecret(secret)
  }
  return raw
}

/** Inputs → options, validated before any request. */
export function getOptions(env: Record<string, string | undefined> = process.env): PublishOptions {
  return parseOptions(readRawInputs(), env)
}
