/**
 * The Action: inputs → engine → outputs, job summary, annotations. The only module with
 * core.setFailed; index.ts just calls run().
 */
import * as core from '@actions/core'
import { InputError } from '../publish/errors.js'
import { errorMessage, runImage } from '../publish/engine.js'
import type { PublishOptions } from '../publish/options.js'
import { overallStatus, resultDocument, type ImageReport } from '../publish/result.js'
import { openSession, type SessionOverrides } from '../publish/session.js'
import type { Logger } from '../registry/logger.js'
import { getOptions } from './inputs.js'
import { tuningFromEnv, type Tuning } from './tuning.js'
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
  const reports: ImageReport[] = []
  try {
    core.info(`${options.mode}: ${options.plans.length} image(s), tag ${options.tag}`)
    for (const plan of options.plans) {
      const name = `${plan.image.registry}/${plan.image.repository}`
      const report = await core.group(`${name}:${options.tag}`, async () => {
        const result = await runImage(plan, options, session)
        core.info(`${name}: ${result.status}${result.digest ? ` ${result.digest}` : ''}`)
        return result
      })
      reports.push(report)
      if (report.status === 'failed')
        core.error(report.error ?? 'failed', { title: `multiarch-index: ${name}:${options.tag}` })
      if (cancel.signal.aborted) break
    }
  } finally {
    process.removeListener('SIGINT', onInt)
    process.removeListener('SIGTERM', onTerm)
    await session.close()
  }

  // Images never reached (cancelled) are reported too, as failed.
  for (const plan of options.plans.slice(reports.length)) {
    reports.push({
      image: `${plan.image.registry}/${plan.image.repository}`,
      tags: plan.tags,
      status: 'failed',
      platforms: [],
      error: 'not attempted: the step was cancelled'
    })
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
