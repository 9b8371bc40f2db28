/**
 * The run sequence the Action and the CLI share (docs/design.md §1: one engine, two faces;
 * §6: each face only reads its inputs and renders the outcome):
 *
 * 1. read and check the inputs and the tuning variables; a refusal sends nothing (§4);
 * 2. listen for SIGINT/SIGTERM: a runner cancels a job with SIGINT, then SIGTERM, then
 *    SIGKILL, so the first signal cancels (every wait stops, no new request is sent, and the
 *    report says what was and was not written) and a second one leaves at once;
 * 3. an optional look elsewhere before the session (the Action's GitHub releases);
 * 4. open the session, run every image, close the session;
 * 5. the step's failure line when an image failed.
 *
 * Side effects come in as parameters (the environment, the process's signals and exit, the
 * logger, the session's dispatcher and clock), so tests drive the whole sequence with fakes.
 */
import type { Logger } from '../registry/base/logger.js'
import { neutralise } from '../oci/untrusted-text.js'
import { runAll } from './engine.js'
import type { ImagePlan, InputNotice, PublishOptions } from './options.js'
import { cancellingLine, failureLine } from './report-sentences.js'
import type { ImageReport } from './result.js'
import { openSession, type SessionOverrides } from './session.js'
import { tuningFromEnv } from './tuning.js'

/** The signals that cancel a run (what a runner sends, and Ctrl-C at a terminal). */
export type CancelSignal = 'SIGINT' | 'SIGTERM'

const CANCEL_SIGNALS: readonly CancelSignal[] = ['SIGINT', 'SIGTERM']

/** The part of the process a run uses: `process` itself, or a test's stand-in. */
export interface ProcessHooks {
  on(signal: CancelSignal, listener: () => void): unknown
  removeListener(signal: CancelSignal, listener: () => void): unknown
  exit(code: number): unknown
}

/** One row of a run: an image to run, or an image already decided before any request. */
export type RunRow = { plan: ImagePlan } | { report: ImageReport }

/**
 * What the look before the session found: the rows to run instead of the options' plans
 * (one per image and release, `releases` of them), or a refusal (nothing was run).
 */
export type Preparation = { rows: RunRow[]; releases: number } | { refused: string } | undefined

/** What a face gives the sequence. `Inputs` is whatever the face read beside the options. */
export interface RunFace<Inputs> {
  /** Read and check the inputs; throws (InputError) when they are wrong. */
  read(): { inputs: Inputs; options: PublishOptions }
  /** The environment: the tuning variables, and the Docker config for the credential chain. */
  env: Record<string, string | undefined>
  /** Where the cancelling signals come from; without it nothing listens. */
  process?: ProcessHooks
  /** The session's logger (retry lines from the transport, the run's own lines). */
  logger: Logger
  /** Heard for each notice on the inputs, before any request. */
  onNotice(notice: InputNotice): void
  /** Heard on the first signal with the line that says so. */
  onCancelling(line: string): void
  /** The look before the session (the Action: load its GitHub face, list the releases). */
  prepare?(inputs: Inputs, options: PublishOptions, signal: AbortSignal): Promise<Preparation>
  /** The logger for one image's own lines (default: the session's). */
  loggerFor?(plan: ImagePlan): Logger
  /** Heard for each image as soon as its report is final. */
  onImageDone?(report: ImageReport, plan: ImagePlan): void
  /** More session side effects (credential words, secret masking, a test's dispatcher). */
  session?: SessionOverrides
}

/** How a run ended, for the face to render. */
export type RunOutcome<Inputs> =
  /** The inputs or the tuning variables were refused; nothing was sent. */
  | { kind: 'refused'; error: unknown }
  /** The look before the session refused (e.g. no release to check); no image was run. */
  | { kind: 'stopped'; inputs: Inputs; options: PublishOptions; message: string }
  | {
      kind: 'ran'
      inputs: Inputs
      /** The options as run (with `releases`, one plan per image and release). */
      options: PublishOptions
      /** The rows as run, in order; `reports` has one report per row. */
      rows: RunRow[]
      reports: ImageReport[]
      /** "N of M image(s) failed: …" when any image failed. */
      failure?: string
      /** 0 when every image is done, 1 when one failed (docs/design.md §4). */
      exitCode: 0 | 1
    }

/**
 * Cancel on the first SIGINT/SIGTERM, leave at once on the second. `dispose` stops
 * listening (a finished run must not keep the process's signals).
 */
export function cancelOnSignals(
  proc: ProcessHooks,
  onCancelling: (line: string) => void
): { signal: AbortSignal; dispose(): void } {
  const cancel = new AbortController()
  const listeners = CANCEL_SIGNALS.map((name) => {
    const listener = () => {
      if (cancel.signal.aborted) {
        proc.exit(1)
        return
      }
      onCancelling(cancellingLine(name))
      cancel.abort()
    }
    proc.on(name, listener)
    return { name, listener }
  })
  return {
    signal: cancel.signal,
    dispose: () => {
      for (const { name, listener } of listeners) proc.removeListener(name, listener)
    }
  }
}

/** "publish: 3 image(s), tag v1" or, with releases, "verify: 3 image(s), 2 release(s)". */
function scopeLine(options: PublishOptions, images: number, releases?: number): string {
  const what = releases === undefined ? `tag ${options.tag}` : `${releases} release(s)`
  return `${options.mode}: ${images} image(s), ${what}`
}

/** Run the sequence for one face. Throws only what the face's own hooks throw. */
export async function runSequence<Inputs>(face: RunFace<Inputs>): Promise<RunOutcome<Inputs>> {
  let inputs: Inputs
  let options: PublishOptions
  let tuning: ReturnType<typeof tuningFromEnv>
  try {
    ;({ inputs, options } = face.read())
    tuning = tuningFromEnv(face.env)
  } catch (error) {
    return { kind: 'refused', error }
  }
  for (const notice of options.notices) face.onNotice(notice)
  const images = options.plans.length

  const cancel = face.process
    ? cancelOnSignals(face.process, face.onCancelling)
    : { signal: new AbortController().signal, dispose: () => undefined }
  try {
    const prepared = await face.prepare?.(inputs, options, cancel.signal)
    if (prepared && 'refused' in prepared)
      return { kind: 'stopped', inputs, options, message: prepared.refused }
    const rows: RunRow[] = prepared?.rows ?? options.plans.map((plan) => ({ plan }))
    options = { ...options, plans: rows.flatMap((row) => ('plan' in row ? [row.plan] : [])) }
    const session = openSession(options, {
      logger: face.logger,
      signal: cancel.signal,
      policy: tuning.policy,
      helperTimeoutMs: tuning.helperTimeoutMs,
      env: face.env,
      ...face.session
    })
    let reports: ImageReport[]
    try {
      face.logger.info(scopeLine(options, images, prepared?.releases))
      const ran = await runAll(options, session, {
        loggerFor: face.loggerFor,
        onImageDone: face.onImageDone
      })
      let next = 0
      reports = rows.map((row) => ('plan' in row ? ran[next++] : row.report))
    } finally {
      await session.close()
    }
    const failed = reports.filter((r) => r.status === 'failed')
    if (failed.length === 0) return { kind: 'ran', inputs, options, rows, reports, exitCode: 0 }
    // With releases, one image appears once per release: name the release too.
    const names = prepared ? failed.map((r) => `${r.image}:${neutralise(r.tags[0])}`) : undefined
    const failure = failureLine(reports, options, names)
    return { kind: 'ran', inputs, options, rows, reports, failure, exitCode: 1 }
  } finally {
    cancel.dispose()
  }
}
