/**
 * One HTTP exchange over undici, under the one per-request bound (./request-timer.ts) and the
 * step's cancellation, in the three shapes the registry API needs: a small answer read whole,
 * an answer whose body is streamed (a blob), and a request whose body is streamed (the PUT
 * that completes a blob upload). Every failure comes out typed for the one classifier
 * (../base/failure.ts). No retries, slots or auth here: ./transport.ts composes those.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { Transform, pipeline, type Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { Deadline } from '../base/deadline.js'
import { formatSeconds } from '../base/deadline.js'
import {
  CancelledError,
  DeadlineError,
  TransportError,
  type RequestContext
} from '../base/errors.js'
import { UNREACHABLE_CODES } from '../base/failure.js'
import { DEFAULT_MAX_BODY, readBody, streamFailure, watchBody } from './body.js'
import { request } from './http.js'
import { RequestTimer } from './request-timer.js'
import type { RegistryResponse, StreamResponse } from './request.js'

/** What one exchange sends; the URL is absolute (./origin.ts chose it). */
interface Outgoing<Body> {
  url: string
  method: string
  headers: Record<string, string>
  body: Body
  context: RequestContext
}

export class HttpExchange {
  /** Hosts that have answered at least once: only they get retries for a refused connection. */
  private readonly answered = new Set<string>()

  constructor(
    private readonly dispatcher: Dispatcher,
    /** The bound on one request (the retry policy's `requestTimeoutMs`). */
    private readonly requestTimeoutMs: number,
    /** The step's deadline and cancellation, shared with the engine. */
    private readonly deadline: Deadline
  ) {}

  /** An answer read whole; the bound covers the whole body (these answers are small). */
  async buffered(
    out: Outgoing<Buffer | undefined>,
    maxBodyBytes = DEFAULT_MAX_BODY
  ): Promise<RegistryResponse> {
    this.checkLive(out.context)
    return this.timedRequest(out, 'no complete answer', async (response) => ({
      status: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      body: await readBody(response.body, maxBodyBytes, out.context),
      url: out.url
    }))
  }

  /**
   * An answer whose body is handed over as a stream. The bound covers the headers; the body
   * then runs under the same bound as an inactivity bound (./body.ts watchBody).
   */
  async streamed(out: Outgoing<Buffer | undefined>): Promise<StreamResponse> {
    this.checkLive(out.context)
    return this.timedRequest(out, 'no answer', (response) => ({
      status: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      body: watchBody(response.body, out.context, this.requestTimeoutMs, this.deadline),
      url: out.url
    }))
  }

  /** A request whose body is a stream: it streams out, the (small) answer is read. */
  async upload(out: Outgoing<Readable>): Promise<RegistryResponse> {
    const { url, method, headers, body, context } = out
    const what = `${context.operation} ${context.target}`
    const controller = new AbortController()
    const onCancel = () => controller.abort(new CancelledError(`${what}: cancelled`))
    const forgetCancel = this.deadline.cancellation.subscribe(onCancel)
    const idle = new RequestTimer(
      this.requestTimeoutMs,
      () => this.deadline.remainingMs(),
      (deadline) =>
        controller.abort(
          deadline
            ? new DeadlineError(`${what}: the step's timeout ran out while uploading`)
            : new Error('timeout')
        )
    )
    // Every chunk sent restarts the bound, and so does the last one: a stall while sending,
    // or a registry that never answers after the last byte, is cut off.
    const progress = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        idle.touch()
        callback(null, chunk)
      },
      flush(callback) {
        idle.touch()
        callback()
      }
    })
    pipeline(body, progress, () => undefined)
    // The error the body stream failed with (a digest mismatch, a stalled download) is the
    // cause; undici's own error for the aborted request says less.
    const bodyFailure = (): Error | undefined => {
      const failed: unknown = body.errored ?? progress.errored
      return failed instanceof Error ? streamFailure(failed, context) : undefined
    }
    try {
      this.checkLive(context)
      const response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body: progress,
        dispatcher: this.dispatcher,
        signal: controller.signal
      })
      this.answered.add(new URL(url).host)
      const answer = await readBody(response.body, DEFAULT_MAX_BODY, context)
      const failed = bodyFailure()
      if (failed) throw failed
      return {
        status: response.statusCode,
        headers: response.headers as IncomingHttpHeaders,
        body: answer,
        url
      }
    } catch (error) {
      const failed = bodyFailure()
      if (failed) throw failed
      throw this.requestFailure(error, controller, idle, context, 'no progress', url)
    } finally {
      idle.stop()
      forgetCancel()
      progress.destroy()
    }
  }

  /** Throw CancelledError once the step is cancelled, DeadlineError once its time is up. */
  private checkLive(context: RequestContext): void {
    this.deadline.check(`${context.operation} ${context.target}`)
  }

  /**
   * Send one request under the per-request bound (capped by the deadline) and the step's
   * cancellation, and turn its answer into a result with `take` while the bound still runs.
   */
  private async timedRequest<T>(
    out: Outgoing<Buffer | undefined>,
    what: string,
    take: (response: Dispatcher.ResponseData) => Promise<T> | T
  ): Promise<T> {
    const { url, method, headers, body, context } = out
    const controller = new AbortController()
    const timer = new RequestTimer(
      this.requestTimeoutMs,
      () => this.deadline.remainingMs(),
      () => controller.abort(new Error('timeout'))
    )
    const onCancel = () =>
      controller.abort(new CancelledError(`${context.operation} ${context.target}: cancelled`))
    const forgetCancel = this.deadline.cancellation.subscribe(onCancel)
    try {
      const response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: controller.signal
      })
      this.answered.add(new URL(url).host)
      return await take(response)
    } catch (error) {
      throw this.requestFailure(error, controller, timer, context, what, url)
    } finally {
      timer.stop()
      forgetCancel()
    }
  }

  /**
   * A failed undici request as the error to throw, typed for the classifier (../base/failure.ts).
   * A host that has never answered and cannot be reached (no such name, connection refused)
   * fails at once with what to check: retrying a typo for ten minutes helps nobody.
   */
  private requestFailure(
    error: unknown,
    controller: AbortController,
    timer: RequestTimer,
    context: RequestContext,
    what: string,
    url: string
  ): Error {
    if (error instanceof TransportError) return error
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined
    if (reason instanceof CancelledError || reason instanceof DeadlineError) return reason
    if (reason !== undefined) {
      const bound = timer.expired ?? { afterMs: this.requestTimeoutMs, deadline: false }
      // Cut short by the step's deadline, the bound's length says nothing (it was whatever
      // was left, often a few ms): say what ran out, as the deadline's own check does.
      if (bound.deadline)
        return new DeadlineError(
          `${context.operation} ${context.target}: ${what} before the step's timeout ran out (the step's timeout)`
        )
      return new TransportError(
        context,
        'TIMEOUT',
        `${what} within ${formatSeconds(bound.afterMs)}`,
        { cause: error }
      )
    }
    const code = (error as { code?: string }).code ?? 'NETWORK'
    const host = new URL(url).host
    if (UNREACHABLE_CODES.has(code) && !this.answered.has(host)) {
      return new TransportError(context, 'UNREACHABLE', unreachableMessage(host, code, error), {
        cause: error
      })
    }
    return new TransportError(context, code, `${(error as Error).message} (${code})`, {
      cause: error
    })
  }
}

/**
 * The one line for a host that has never answered: what failed, and what to check. DNS
 * failures and refused connections on first contact are configuration (a typo in the image
 * name, a registry that is not running, a runner without the network), not an outage.
 */
function unreachableMessage(host: string, code: string, error: unknown): string {
  const cause =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `the name ${host.replace(/:\d+$/, '')} does not resolve (${code})`
      : code === 'ECONNREFUSED'
        ? `nothing accepts connections at ${host} (${code})`
        : `${(error as Error).message} (${code})`
  return `cannot reach ${host}: ${cause}, and it has not answered any request; check the registry host and port in the image name, that the registry is up, and that this machine can reach it (DNS, proxy, firewall)`
}
