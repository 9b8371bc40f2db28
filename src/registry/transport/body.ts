/**
 * Response bodies: read whole under a size bound (every byte from a registry is untrusted:
 * docs/design.md §3 "Untrusted input"), drained for an error, or handed over as a stream
 * under the per-request inactivity bound (./request-timer.ts). Failures come out typed.
 */
import { PassThrough, type Readable } from 'node:stream'
import type { Deadline } from '../base/deadline.js'
import { formatSeconds } from '../base/deadline.js'
import {
  CancelledError,
  DeadlineError,
  IntegrityError,
  RegistryError,
  TransportError,
  type RequestContext
} from '../base/errors.js'
import { RequestTimer } from './request-timer.js'
import type { RegistryResponse, StreamResponse } from './request.js'

/** Four manifest sizes of headroom: registries accept manifests of at least 4 MiB. */
export const DEFAULT_MAX_BODY = 16 * 1024 * 1024
/** What is kept of a response that is not the one streamed to the caller (an error body). */
export const MAX_ERROR_BODY = 1024 * 1024

/** A whole (bounded) response body. */
export async function readBody(
  body: AsyncIterable<unknown> & { destroy(): unknown },
  maxBodyBytes: number,
  context: RequestContext
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > maxBodyBytes) {
      body.destroy()
      throw new TransportError(
        context,
        'TOO_LARGE',
        `the response is larger than ${maxBodyBytes} bytes`
      )
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Read what is left of a response that is not streamed to the caller (bounded). */
export async function drainBody(response: StreamResponse): Promise<RegistryResponse> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk as Buffer)
      size += (chunk as Buffer).length
      if (size >= MAX_ERROR_BODY) break
    }
  } catch {
    // an error body cut short still has its status
  } finally {
    response.body.destroy()
  }
  return { ...response, body: Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY) }
}

/**
 * A streamed body under an inactivity bound rather than a total one (a large layer takes
 * long; a stall must still be cut off): the per-request timeout restarts with every chunk.
 * The step's deadline and cancellation end it too. Failures come out typed.
 */
export function watchBody(
  source: Readable,
  context: RequestContext,
  idleMs: number,
  deadline: Deadline
): Readable {
  const what = `${context.operation} ${context.target}`
  const out = new PassThrough()
  // A failure before the caller has attached its own listeners must not crash the process;
  // the caller still sees it (pipeline, async iteration and 'error' listeners all get it).
  out.on('error', () => undefined)
  const fail = (error: Error): void => {
    if (!out.destroyed) out.destroy(error)
    source.destroy()
  }
  const idle = new RequestTimer(
    idleMs,
    () => deadline.remainingMs(),
    (deadlineHit) =>
      fail(
        deadlineHit
          ? new DeadlineError(`${what}: the step's timeout ran out while the body was streaming`)
          : new TransportError(
              context,
              'TIMEOUT',
              `no data moved for ${formatSeconds(idleMs)} while streaming the body (stalled)`
            )
      )
  )
  const onCancel = () => fail(new CancelledError(`${what}: cancelled`))
  const forgetCancel = deadline.cancellation.subscribe(onCancel)
  source.on('data', () => idle.touch())
  source.on('error', (error: Error) => fail(streamFailure(error, context)))
  out.on('close', () => {
    idle.stop()
    forgetCancel()
    source.destroy()
  })
  source.pipe(out)
  return out
}

/** An error out of a streamed body, typed: ours as they are, the network's as TransportError. */
export function streamFailure(error: Error, context: RequestContext): Error {
  if (
    error instanceof TransportError ||
    error instanceof RegistryError ||
    error instanceof DeadlineError ||
    error instanceof CancelledError ||
    error instanceof IntegrityError
  ) {
    return error
  }
  const code = (error as { code?: string }).code ?? 'NETWORK'
  return new TransportError(context, code, `${error.message} (${code}) while streaming the body`, {
    cause: error
  })
}
