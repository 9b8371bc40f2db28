/**
 * The CLI: argv → the Action's inputs → the same engine → a summary on stdout (or the
 * `result` document with --json), progress on stderr, exit 0 (done) or 1 (failed). The
 * terminal face of docs/design.md §6: it imports publish, registry and oci, never src/action.
 */
import { errorMessage, runAll } from '../publish/engine.js'
import { InputError } from '../publish/errors.js'
import { INPUT_NAMES, type PublishOptions, type RawInputs } from '../publish/options.js'
import { parseOptions } from '../publish/parse-options.js'
import { overallStatus, resultDocument, type ImageReport } from '../publish/result.js'
import { openSession, type SessionOverrides } from '../publish/session.js'
import { tuningFromEnv, type Tuning } from '../publish/tuning.js'
import type { CredentialWords } from '../registry/credentials/credentials.js'
import type { Logger } from '../registry/base/logger.js'
import { commandSafe } from '../oci/untrusted-text.js'
import { repositoryName } from '../registry/base/reference.js'
import { parseArgs, UsageError, type ParsedArgs } from './args.js'
import { helpText, INPUT_ENV } from './options.js'
import { renderText } from './summary.js'
import { failureLine } from '../publish/report-words.js'

/** Where the CLI writes (process.stdout and process.stderr, or a test's buffer). */
export interface Output {
  write(text: string): unknown
}

export interface CliDeps {
  /** The environment: GITHUB_REF_NAME (default tag), credentials, DOCKER_CONFIG/HOME, tuning. */
  env: Record<string, string | undefined>
  stdout: Output
  stderr: Output
  /** Aborted on SIGINT/SIGTERM: the run stops and reports what was and was not done. */
  signal?: AbortSignal
  /** Side effects for tests (dispatcher, clock, ...). */
  overrides?: SessionOverrides
  /** The time for progress lines (default: now). */
  now?: () => Date
}

const NAME = 'multiarch-index'

/** Credential sources as a terminal user gives them: flags and variables (see --help). */
export const CLI_CREDENTIAL_WORDS: CredentialWords = {
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
  return `${message} (nothing was sent to any registry)`
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

  let options: PublishOptions
  let tuning: Tuning
  const { raw, fromEnv } = withEnvDefaults(args, deps.env)
  try {
    options = parseOptions(raw, deps.env)
    tuning = tuningFromEnv(deps.env)
  } catch (error) {
    if (error instanceof InputError) return fail(inputErrorMessage(error, fromEnv))
    throw error
  }

  const logger = progressLogger(deps.stderr, {
    quiet: args.quiet,
    verbose: args.verbose,
    now: deps.now
  })
  for (const notice of options.notices)
    deps.stderr.write(`${NAME}: note: --${notice.input}: ${notice.message}\n`)
  const session = openSession(options, {
    logger,
    signal: deps.signal,
    policy: tuning.policy,
    helperTimeoutMs: tuning.helperTimeoutMs,
    // The Docker config (DOCKER_CONFIG or HOME) and credential helpers on PATH.
    env: deps.env,
    credentialWords: CLI_CREDENTIAL_WORDS,
    ...deps.overrides
  })
  let reports: ImageReport[]
  try {
    logger.info(`${options.mode}: ${options.plans.length} image(s), tag ${options.tag}`)
    const several = options.plans.length > 1
    reports = await runAll(options, session, {
      // With several images running at once, each line says which image it is about.
      loggerFor: (plan) => (several ? prefixed(logger, `${repositoryName(plan.image)}: `) : logger),
      onImageDone: (report) =>
        logger.info(`${report.image}: ${report.status}${report.digest ? ` ${report.digest}` : ''}`)
    })
  } catch (error) {
    return fail(errorMessage(error))
  } finally {
    await session.close()
  }

  if (args.json) deps.stdout.write(`${jsonWithoutCommands(resultDocument(reports))}\n`)
  else deps.stdout.write(commandSafe(renderText(reports, { tag: options.tag, mode: options.mode })))
  if (overallStatus(reports) === 'failed') return fail(commandSafe(failureLine(reports, options)))
  return 0
}

/**
 * Cancel on SIGINT/SIGTERM as the Action does: the first signal stops the run (it reports
 * what was and was not written); a second one leaves at once.
 */
export function cancelOnSignals(
  proc: NodeJS.Process,
  stderr: Output
): { signal: AbortSignal; dispose(): void } {
  const cancel = new AbortController()
  const onSignal = (name: string) => {
    if (cancel.signal.aborted) proc.exit(1)
    stderr.write(`${NAME}: received ${name}: cancelling; no further request will be sent\n`)
    cancel.abort()
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  proc.on('SIGINT', onInt)
  proc.on('SIGTERM', onTerm)
  return {
    signal: cancel.signal,
    dispose: () => {
      proc.removeListener('SIGINT', onInt)
      proc.removeListener('SIGTERM', onTerm)
    }
  }
}
