/**
 * The Action: inputs → engine → outputs, job summary, annotations. The only module with
 * core.setFailed; index.ts just calls run().
 */
import * as core from '@actions/core'
import { InputError } from '../publish/errors.js'
import { errorMessage, runAll } from '../publish/engine.js'
import type { ImagePlan, PublishOptions } from '../publish/options.js'
import { overallStatus, resultDocument, type ImageReport } from '../publish/result.js'
import { openSession, type SessionOverrides } from '../publish/session.js'
import { BufferedLogger, type Logger } from '../registry/logger.js'
import { getOptions } from './inputs.js'
import { tuningFromEnv, type Tuning } from '../publish/tuning.js'
import { renderSummary } from './summary.js'

/** The engine's log lines, through @actions/core. */
export const CORE_LOGGER: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message)
}

/** Run the Action. Resolves to the exit code it set (0 done, 1 failed). */
export async function run(overrides: SessionOverrides = {}): Promise<number> {
  let options: PublishOptions
  let tuning: Tuning
  try {
    options = getOptions()
    tuning = tuningFromEnv(process.env)
  } catch (error) {
    const message = errorMessage(error)
    core.setOutput('status', 'failed')
    core.setFailed(
      error instanceof InputError ? `${message} (nothing was sent to any registry)` : message
    )
    return 1
  }

  // A runner cancels a job with SIGINT, then SIGTERM, then SIGKILL: on the first signal stop
  // waiting and report what was and was not done; on a second one leave at once.
  const cancel = new AbortController()
  const onSignal = (signal: string) => {
    if (cancel.signal.aborted) process.exit(1)
    core.warning(`received ${signal}: cancelling; no further request will be sent`)
    cancel.abort()
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  process.once('SIGINT', onInt)
  process.once('SIGTERM', onTerm)

  const session = openSession(options, {
    logger: CORE_LOGGER,
    signal: cancel.signal,
    policy: tuning.policy,
    helperTimeoutMs: tuning.helperTimeoutMs,
    // The Docker config that docker/login-action wrote, found through DOCKER_CONFIG or HOME.
    env: process.env,
    onSecret: (secret) => core.setSecret(secret),
    ...overrides
  })
  let reports: ImageReport[]
  try {
    core.info(`${options.mode}: ${options.plans.length} image(s), tag ${options.tag}`)
    // Images run concurrently; each one's lines are kept and printed as one log group when it
    // is done, so groups never interleave. Retry lines from the transport appear live.
    const buffers = new Map<ImagePlan, BufferedLogger>()
    reports = await runAll(options, session, {
      loggerFor: (plan) => {
        const buffer = new BufferedLogger()
        buffers.set(plan, buffer)
        return buffer
      },
      onImageDone: (report, plan) => {
        const name = `${report.image}:${options.tag}`
        core.startGroup(name)
        buffers.get(plan)?.replay(CORE_LOGGER)
        core.info(`${report.image}: ${report.status}${report.digest ? ` ${report.digest}` : ''}`)
        core.endGroup()
        if (report.status === 'failed')
          core.error(report.error ?? 'failed', { title: `multiarch-index: ${name}` })
      }
    })
  } finally {
    process.removeListener('SIGINT', onInt)
    process.removeListener('SIGTERM', onTerm)
    await session.close()
  }

  const result = resultDocument(reports)
  const status = overallStatus(reports)
  core.setOutput('digest', reports[0]?.digest ?? '')
  core.setOutput('status', status)
  core.setOutput('result', JSON.stringify(result))
  try {
    await core.summary.addRaw(renderSummary(result), true).write()
  } catch (error) {
    // No GITHUB_STEP_SUMMARY outside a runner: the summary is a nicety, not the result.
    core.debug(`job summary not written: ${errorMessage(error)}`)
  }
  if (status === 'failed') {
    const failed = reports.filter((r) => r.status === 'failed').map((r) => r.image)
    core.setFailed(`${failed.length} of ${reports.length} image(s) failed: ${failed.join(', ')}`)
    return 1
  }
  return 0
}
