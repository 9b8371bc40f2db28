/**
 * The CLI face: argv → the Action's inputs → the run sequence both faces share
 * (src/publish/run.ts) → a summary on stdout (or the `result` document with --json),
 * progress on stderr, exit 0 (done) or 1 (failed). The terminal face of docs/design.md §6:
 * it imports publish, registry and oci, never src/action.
 */
import { errorMessage } from '../publish/engine.js'
import { InputError } from '../publish/errors.js'
import { INPUT_NAMES, type RawInputs } from '../publish/options.js'
import { parseOptions } from '../publish/parse-options.js'
import { resultDocument } from '../publish/result.js'
import type { SessionOverrides } from '../publish/session.js'
import { runSequence, type ProcessHooks, type RunOutcome } from '../publish/run.js'
import type { CredentialWords } from '../registry/credentials/credentials.js'
import type { Logger } from '../registry/base/logger.js'
import { commandSafe } from '../oci/untrusted-text.js'
import { repositoryName } from '../registry/base/reference.js'
import { parseArgs, UsageError, type ParsedArgs } from './args.js'
import { helpText, INPUT_ENV } from './options.js'
import { renderText } from './summary.js'
import { imageDoneLine, NOTHING_SENT } from '../publish/report-sentences.js'

/** Where the CLI writes (process.stdout and process.stderr, or a test's buffer). */
interface Output {
  write(text: string): unknown
}

interface CliDeps {
  /** The environment: GITHUB_REF_NAME (default tag), credentials, DOCKER_CONFIG/HOME, tuning. */
  env: Record<string, string | undefined>
  stdout: Output
  stderr: Output
  /** SIGINT/SIGTERM cancel the run, which then reports what was and was not done. */
  process?: ProcessHooks
  /** Side effects for tests (dispatcher, clock, ...). */
  overrides?: SessionOverrides
  /** The time for progress lines (default: now). */
  now?: () => Date
}

const NAME = 'multiarch-index'

/** Credential sources as a terminal user gives them: flags and variables (see --help). */
const CLI_CREDENTIAL_WORDS: CredentialWords = {
  given: '--username/--password (or MULTIARCH_INDEX_USERNAME/MULTIARCH_INDEX_PASSWORD)',
  githubToken: '--github-token (or GITHUB_TOKEN)',
  howToLogIn:
    'give --username with MULTIARCH_INDEX_PASSWORD (or --password), or run docker login for this registry first'
}

/** Progress lines on stderr, each prefixed with the local time. */
export function progressLogger(
  stderr: Output,
  opts: { quiet?: boolean; verbose?: boolean; now?: () => Date } = {}
): Logger {
  const now = opts.now ?? (() => new Date())
  // Messages quote registry text; a CI job may run the CLI, so no line may read as a
  // workflow command, and no control character may reach a terminal.
  const line = (prefix: string, message: string) =>
    stderr.write(`${now().toTimeString().slice(0, 8)} ${prefix}${commandSafe(message)}\n`)
  return {
    debug: (message) => {
      if (opts.verbose) line('debug: ', message)
    },
    info: (message) => {
      if (!opts.quiet) line('', message)
    },
    warning: (message) => line('warning: ', message)
  }
}

function prefixed(logger: Logger, prefix: string): Logger {
  return {
    debug: (m) => logger.debug(prefix + m),
    info: (m) => logger.info(prefix + m),
    warning: (m) => logger.warning(prefix + m)
  }
}

/** An InputError's message with the flag named next to the input. */
function inputErrorMessage(error: InputError, fromEnv: Map<string, string>): string {
  let message = error.message
  const prefix = `input '${error.input}': `
  if ((INPUT_NAMES as readonly string[]).includes(error.input) && message.startsWith(prefix))
    message = `input '${error.input}' (--${error.input}): ${message.slice(prefix.length)}`
  const notes = [...fromEnv].map(([input, variable]) => `${input} was taken from ${variable}`)
  if (['username', 'password', 'github-token'].includes(error.input) && notes.length > 0)
    message += ` (${notes.join('; ')})`
  return `${message} ${NOTHING_SENT}`
}

/** Flags, then the environment for the inputs that have a variable (credentials). */
function withEnvDefaults(
  args: ParsedArgs,
  env: Record<string, string | undefined>
): { raw: RawInputs; fromEnv: Map<string, string> } {
  const raw: RawInputs = { ...args.raw }
  const fromEnv = new Map<string, string>()
  for (const [input, variable] of Object.entries(INPUT_ENV) as Array<[keyof RawInputs, string]>) {
    const value = env[variable]
    if (!raw[input]?.trim() && value?.trim()) {
      raw[input] = value
      fromEnv.set(input, variable)
    }
  }
  return { raw, fromEnv }
}

/**
 * JSON for stdout: `##[` can only be inside a string there, where `\u005b` is the same `[`
 * to a JSON reader and no legacy workflow command to a runner.
 */
function jsonWithoutCommands(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/##\[/g, '##\\u005b')
}

/** Run the CLI; resolves to the exit code (0 done, 1 failed or bad arguments). */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const fail = (message: string): number => {
    deps.stderr.write(`${NAME}: ${commandSafe(message)}\n`)
    return 1
  }
  let args: ParsedArgs
  try {
    args = parseArgs(argv)
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message)
    throw error
  }
  if (args.help) {
    deps.stdout.write(helpText())
    return 0
  }

  const { raw, fromEnv } = withEnvDefaults(args, deps.env)
  const logger = progressLogger(deps.stderr, {
    quiet: args.quiet,
    verbose: args.verbose,
    now: deps.now
  })
  let several = false
  let outcome: RunOutcome<undefined>
  try {
    outcome = await runSequence<undefined>({
      read: () => {
        const options = parseOptions(raw, deps.env)
        several = options.plans.length > 1
        return { inputs: undefined, options }
      },
      env: deps.env,
      process: deps.process,
      logger,
      onNotice: (notice) =>
        deps.stderr.write(`${NAME}: note: --${notice.input}: ${notice.message}\n`),
      onCancelling: (line) => deps.stderr.write(`${NAME}: ${line}\n`),
      // With several images running at once, each line says which image it is about.
      loggerFor: (plan) => (several ? prefixed(logger, `${repositoryName(plan.image)}: `) : logger),
      onImageDone: (report) => logger.info(imageDoneLine(report)),
      session: {
        // The Docker config (DOCKER_CONFIG or HOME) and credential helpers on PATH come from
        // the environment the sequence passes; messages name flags, not Action inputs.
        credentialWords: CLI_CREDENTIAL_WORDS,
        ...deps.overrides
      }
    })
  } catch (error) {
    return fail(errorMessage(error))
  }
  if (outcome.kind === 'refused') {
    if (outcome.error instanceof InputError) return fail(inputErrorMessage(outcome.error, fromEnv))
    throw outcome.error
  }
  if (outcome.kind === 'stopped') return fail(outcome.message)

  const { options, reports } = outcome
  if (args.json) deps.stdout.write(`${jsonWithoutCommands(resultDocument(reports))}\n`)
  else deps.stdout.write(commandSafe(renderText(reports, { tag: options.tag, mode: options.mode })))
  if (outcome.failure) return fail(outcome.failure)
  return 0
}
