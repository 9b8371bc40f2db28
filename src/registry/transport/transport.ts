/**
 * The one place HTTP happens (the choke point of docs/design.md §6): scheme choice, per-registry
 * concurrency, authentication, redirects, per-request timeouts, and retries through the one
 * loop (./retry.ts) until the step's deadline (./deadline.ts, shared with the engine).
 * Callers describe a request as data and get the response, or a typed error.
 */
import type { Dispatcher } from 'undici'
import { Agent, request } from './http.js'
import type { IncomingHttpHeaders } from 'node:http'
import { PassThrough, Transform, pipeline, type Readable } from 'node:stream'
import {
  Authenticator,
  parseTokenResponse,
  scopeList,
  type TokenGrant,
  type TokenRequest
} from './auth.js'
import { SYSTEM_CLOCK, realSleep, type Clock, type Sleep } from '../base/clock.js'
import { Deadline, formatSeconds } from '../base/deadline.js'
import { ANONYMOUS, type CredentialResolver } from '../credentials/credentials.js'
import {
  CancelledError,
  DeadlineError,
  IntegrityError,
  RegistryError,
  TransportError,
  parseErrorBody,
  type RequestContext
} from '../base/errors.js'
import { SILENT_LOGGER, type Logger } from '../base/logger.js'
import { isLoopbackHost, registryApiHost } from '../base/reference.js'
import { UNREACHABLE_CODES, isRetryableStatus } from '../base/failure.js'
import { OutageLog } from '../base/outage-log.js'
import { retry } from '../base/retry.js'
import { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from '../base/retry-policy.js'
import { Semaphore } from '../base/semaphore.js'
import { authHint } from '../credentials/auth-hints.js'
import { neutralise } from '../../oci/untrusted-text.js'
import type { Cancellation } from '../base/cancellation.js'

/** Dependencies and settings of a transport; every side effect can be replaced. */
export interface TransportOptions {
  dispatcher?: Dispatcher
  clock?: Clock
  sleep?: Sleep
  random?: () => number
  logger?: Logger
  policy?: RetryPolicy
  credentials?: CredentialResolver
  /** Hosts (as named in references) that may be reached over plain HTTP besides loopback. */
  insecureRegistries?: readonly string[]
  /**
   * The step's deadline (the `timeout` input), shared with the engine; or the absolute time
   * (ms) of one, which is then built from `clock`, `sleep` and `signal`.
   */
  deadline?: Deadline | number
  /** Aborted when the step is cancelled (ignored when `deadline` is a Deadline: its own). */
  signal?: AbortSignal
  /** Requests in flight per registry. */
  concurrency?: number
  userAgent?: string
  /** What an auth error tells a user without credentials to do (the face's words). */
  howToLogIn?: string
}

/** A request, as data. */
export interface RegistryRequest {
  /** The registry as users name it (`docker.io`, `127.0.0.1:5000`). */
  registry: string
  method: 'GET' | 'HEAD' | 'PUT' | 'POST'
  /**
   * Path and query under the registry root, e.g. `/v2/o/r/manifests/v1`; or an absolute URL
   * the registry handed out (an upload session's `Location`), used as it is. Authorization
   * goes only to the registry's own origin (distribution-spec, API: redirects).
   */
  path: string
  headers?: Record<string, string>
  body?: Buffer
  /**
   * The token scope this request needs, e.g. `repository:o/r:pull,push`, or a scope set: a
   * cross-repository mount needs the target's `pull,push` and the source's `pull`
   * (docs/registry-protocol.md B.5). One token is fetched per distinct set.
   */
  scope?: string | readonly string[]
  context: RequestContext
  /** Statuses handed back to the caller; any other final status is thrown as RegistryError. */
  accept: readonly number[]
  /** Follow 3xx (blob downloads redirect to storage hosts). */
  followRedirects?: boolean
  /** Refuse bodies larger than this. */
  maxBodyBytes?: number
}

export interface RegistryResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** The URL that finally answered (after redirects). */
  url: string
}

/**
 * An answer whose body is handed over as a stream (a blob of any size). The caller must read
 * it to the end or destroy it: until then it holds one of the registry's concurrency slots.
 * The body fails with a TransportError when the network fails or no data moves for the
 * policy's request timeout, DeadlineError at the step's deadline, CancelledError on cancel.
 */
export interface StreamResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Readable
  /** The URL that finally answered (after redirects). */
  url: string
}

/** A request whose body is a stream of known length: set `content-length` in `headers`. */
export interface UploadRequest extends Omit<
  RegistryRequest,
  'body' | 'followRedirects' | 'maxBodyBytes'
> {
  body: Readable
}

/** Four manifest sizes of headroom: registries accept manifests of at least 4 MiB. */
const DEFAULT_MAX_BODY = 16 * 1024 * 1024
/** What is kept of a response that is not the one streamed to the caller (an error body). */
const MAX_ERROR_BODY = 1024 * 1024
const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * Requests in flight per registry. High enough that reading 32 per-arch images and the
 * target's tags is one wave (the critical path must not grow with the number of
 * platforms: bench/), low enough to stay polite; registries serve far more concurrent
 * pulls than this from one client.
 */
export const DEFAULT_CONCURRENCY = 64

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function isStream(response: RegistryResponse | StreamResponse): response is StreamResponse {
  return !Buffer.isBuffer(response.body)
}

/** The shared keep-alive connection pool used when no dispatcher is injected. */
export function createDefaultDispatcher(): Agent {
  return new Agent({ keepAliveTimeout: 10_000, connections: 32 })
}

export class Transport {
  readonly auth: Authenticator
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly clock: Clock
  private readonly random: () => number
  private readonly logger: Logger
  private readonly policy: RetryPolicy
  private readonly insecure: ReadonlySet<string>
  /** The step's deadline and cancellation, shared with the engine. */
  readonly deadline: Deadline
  /** One listener on the step's signal for every request in flight (the deadline's). */
  readonly cancellation: Cancellation
  private readonly outages: OutageLog
  /** Hosts that have answered at least once: only they get retries for a refused connection. */
  private readonly answered = new Set<string>()
  private readonly concurrency: number
  private readonly userAgent: string
  private readonly howToLogIn: string | undefined
  private readonly gates = new Map<string, Semaphore>()
  /** The first request to a registry goes alone, so concurrent ones do not all hit its 401. */
  private readonly firstContact = new Map<string, Promise<void>>()
  /** Retries performed, for reports and tests. */
  retries = 0
  /** Requests sent, by `METHOD kind`, for reports and tests. */
  readonly requestCounts = new Map<string, number>()

  constructor(options: TransportOptions = {}) {
    this.howToLogIn = options.howToLogIn
    this.ownsDispatcher = options.dispatcher === undefined
    this.dispatcher = options.dispatcher ?? createDefaultDispatcher()
    this.clock = options.clock ?? SYSTEM_CLOCK
    this.random = options.random ?? Math.random
    this.logger = options.logger ?? SILENT_LOGGER
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY
    this.insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()))
    this.deadline =
      options.deadline instanceof Deadline
        ? options.deadline
        : new Deadline(
            options.deadline ?? Number.POSITIVE_INFINITY,
            this.clock,
            options.sleep ?? realSleep,
            options.signal
          )
    this.cancellation = this.deadline.cancellation
    this.outages = new OutageLog(this.logger, this.clock)
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
    this.userAgent = options.userAgent ?? 'multiarch-index'
    this.auth = new Authenticator(
      options.credentials ?? ANONYMOUS,
      (r) => this.fetchToken(r),
      () => this.clock.now(),
      (registry) => this.pingChallenge(registry)
    )
  }

  /**
   * `GET /v2/` once, for its `WWW-Authenticate` (docs/registry-quirks.md #16: GCR sends the
   * challenge only there). One try: a ping that fails leaves the 401 as it was.
   */
  private async pingChallenge(registry: string): Promise<string | string[] | undefined> {
    const context: RequestContext = { operation: 'GET /v2/ (ping)', target: registry }
    try {
      const response = await this.exchange(
        registry,
        `${this.baseUrl(registry)}/v2/`,
        'GET',
        { 'user-agent': this.userAgent },
        undefined,
        context,
        MAX_ERROR_BODY
      )
      this.count({ method: 'GET', path: '/v2/' })
      return response.headers['www-authenticate']
    } catch {
      return undefined
    }
  }

  /** Close the connection pool if this transport created it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  /** `http` for loopback and insecure-registries, else `https` (docs/design.md §2). */
  baseUrl(registry: string): string {
    const plain = isLoopbackHost(registry) || this.insecure.has(registry.toLowerCase())
    return `${plain ? 'http' : 'https'}://${registryApiHost(registry)}`
  }

  /** Milliseconds left before the step's deadline. */
  private remainingMs(): number {
    return this.deadline.remainingMs()
  }

  /** Send a registry request: auth, redirects, retries, deadline. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    return this.afterFirstContact(
      req.registry,
      async () => (await this.sendWithRetries(req, false)) as RegistryResponse
    )
  }

  /**
   * Run `fn` once the registry's first request has taught us its scheme. The first caller
   * can fail before its first attempt (cancelled, deadline passed); the callers waiting on it
   * must then go on (and fail or proceed) rather than hang forever, hence the release here.
   */
  private async afterFirstContact<T>(registry: string, fn: () => Promise<T>): Promise<T> {
    await this.awaitFirstContact(registry)
    try {
      return await fn()
    } finally {
      this.releaseFirst(registry)
    }
  }

  /**
   * Send a request and hand its body over as a stream (a blob download of any size), with
   * the semantics of send() up to the body: auth, redirects without Authorization to other
   * hosts, retries and the deadline. Once the body flows, a failure is the caller's to handle
   * (the bytes cannot be taken back); the per-request timeout becomes an inactivity bound, so
   * a large blob may take long but a stall is still cut off. Any answer other than an
   * accepted one is read (bounded) for its error and never streamed.
   */
  async sendStream(req: RegistryRequest): Promise<StreamResponse> {
    return this.afterFirstContact(
      req.registry,
      async () => (await this.sendWithRetries(req, true)) as StreamResponse
    )
  }

  /**
   * Send a request whose body is a stream (the PUT that completes a blob upload). A stream
   * cannot be replayed, so this is one try: a failure is thrown (TransportError,
   * RegistryError, or whatever error the body stream failed with) and the caller retries the
   * whole operation (retrying()). A 401 still drops the refused
   * token, so that the next try authenticates afresh. No concurrency slot is taken: the body is
   * the sink of a streamed GET that holds one, and waiting for a second slot while holding the
   * first could deadlock when both are on the same registry. Every chunk sent, and the end of
   * the body, restart the per-request timeout.
   */
  async sendUpload(req: UploadRequest): Promise<RegistryResponse> {
    return this.afterFirstContact(req.registry, async () => {
      this.checkLive(req.context)
      const authorization = await this.auth.authorization(req.registry, req.scope)
      const url = this.requestUrl(req.registry, req.path)
      const { headers, sameOrigin } = this.requestHeaders(req, url, authorization)
      const response = await this.exchangeUpload(url, req.method, headers, req.body, req.context)
      this.count(req)
      if (response.status === 401 && !sameOrigin) throw foreignChallenge(req, url)
      // A refused shared token: the caller's next try (a 401 is transient) gets its own.
      if (response.status === 401 || response.status === 403)
        this.auth.refuseSharedToken(req.registry, sameOrigin ? authorization : undefined)
      if (response.status === 401) {
        await this.auth.unauthorized(
          req.registry,
          response.headers['www-authenticate'],
          sameOrigin ? authorization : undefined
        )
      }
      if (req.accept.includes(response.status)) return response
      throw await this.errorFor(req, response)
    })
  }

  /**
   * Run an operation made of several requests (a streamed blob copy, which restarts from its
   * first byte) under the request policy: the one retry loop, until the step's deadline, its
   * retries in `registry`'s outage log.
   */
  async retrying<T>(registry: string, what: string, run: () => Promise<T>): Promise<T> {
    return retry(run, {
      what,
      policy: this.policy,
      deadline: this.deadline,
      random: this.random,
      observer: this.outages.observer(registry, () => this.retries++)
    })
  }

  private async sendWithRetries(
    req: RegistryRequest,
    stream: boolean
  ): Promise<RegistryResponse | StreamResponse> {
    // A 401 re-authenticates once per request, not once per try; so does a refused shared token.
    const auth = {
      reauthenticated: false,
      ownToken: false,
      challengeError: undefined as string | undefined
    }
    return this.retrying(
      req.registry,
      `${req.context.operation} ${req.context.target}`,
      async () => {
        // No await between the first answer and challenged(): the requests waiting for this
        // registry's first contact go on as soon as it is answered, and must find the
        // challenge learned by then.
        let response = this.ownOrigin401(req, await this.attempt(req, stream))
        if (this.sharedTokenRefused(req, response, auth))
          response = this.ownOrigin401(req, await this.attempt(req, stream))
        if (response.status === 401 && (await this.challenged(req, response, auth))) {
          auth.reauthenticated = true
          response = this.ownOrigin401(req, await this.attempt(req, stream))
          if (this.sharedTokenRefused(req, response, auth))
            response = this.ownOrigin401(req, await this.attempt(req, stream))
          if (response.status === 401) await this.challenged(req, response, auth)
        }
        if (req.accept.includes(response.status)) return response
        // Only accepted answers stay streams (attempt() reads every other one).
        throw await this.errorFor(req, response as RegistryResponse, auth.challengeError)
      }
    )
  }

  /**
   * After a 401: learn the challenge and drop the refused token, also on the final 401 (its
   * `error`, e.g. insufficient_scope, goes into the message). True when one re-authenticated
   * try may succeed.
   */
  /**
   * A 401 or 403 to the token shared by several repositories (auth.ts, shareScopes): that
   * token does not grant this one. True, once per request, when it is worth another try with
   * a token of its own. Checked before the 401 handling, which would otherwise fetch the shared
   * token again.
   */
  private sharedTokenRefused(
    req: RegistryRequest,
    response: (RegistryResponse | StreamResponse) & { requestAuthorization?: string },
    auth: { ownToken: boolean }
  ): boolean {
    if (auth.ownToken || (response.status !== 401 && response.status !== 403)) return false
    if (!this.auth.refuseSharedToken(req.registry, response.requestAuthorization)) return false
    if (isStream(response)) response.body.destroy()
    auth.ownToken = true
    return true
  }

  private async challenged(
    req: RegistryRequest,
    response: (RegistryResponse | StreamResponse) & { requestAuthorization?: string },
    auth: { reauthenticated: boolean; challengeError: string | undefined }
  ): Promise<boolean> {
    const sent = response.requestAuthorization
    const challenge = await this.auth.unauthorized(
      req.registry,
      response.headers['www-authenticate'],
      sent
    )
    auth.challengeError = challenge?.params.error
    // insufficient_scope with a token we just got will not change on a retry.
    const hopeless = sent !== undefined && challenge?.params.error === 'insufficient_scope'
    return challenge !== undefined && !hopeless && !auth.reauthenticated
  }

  /**
   * Only the registry's own origin may change what we authenticate with: a challenge from a
   * storage host would send our credentials to a realm of its choosing.
   */
  private ownOrigin401<T extends RegistryResponse | StreamResponse>(
    req: RegistryRequest,
    response: T
  ): T {
    if (response.status !== 401 || this.isRegistryOrigin(req.registry, response.url))
      return response
    if (isStream(response)) response.body.destroy()
    throw foreignChallenge(req, response.url)
  }

  /** Throw CancelledError once the step is cancelled, DeadlineError once its time is up. */
  checkLive(context: RequestContext): void {
    this.deadline.check(`${context.operation} ${context.target}`)
  }

  private async awaitFirstContact(registry: string): Promise<void> {
    const pending = this.firstContact.get(registry)
    if (pending) return pending
    // This caller is first: the others wait until its first attempt has taught us the scheme.
    let release!: () => void
    this.firstContact.set(registry, new Promise<void>((resolve) => (release = resolve)))
    this.releaseFirstContact.set(registry, release)
  }
  private readonly releaseFirstContact = new Map<string, () => void>()

  /** Let the callers waiting on a registry's first request go (idempotent). */
  private releaseFirst(registry: string): void {
    this.releaseFirstContact.get(registry)?.()
    this.releaseFirstContact.delete(registry)
  }

  /** True when `url` is on the registry's own origin (scheme, host and port). */
  private isRegistryOrigin(registry: string, url: string): boolean {
    return new URL(url).origin === new URL(this.baseUrl(registry)).origin
  }

  /**
   * A request's headers for `url`: Authorization only when `url` is on the registry's own
   * origin, never to another host (distribution-spec, API: redirects; docs/design.md §5).
   */
  private requestHeaders(
    req: Pick<RegistryRequest, 'registry' | 'headers'>,
    url: string,
    authorization: string | undefined
  ): { headers: Record<string, string>; sameOrigin: boolean } {
    const sameOrigin = this.isRegistryOrigin(req.registry, url)
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers }
    if (authorization && sameOrigin) headers.authorization = authorization
    return { headers, sameOrigin }
  }

  /**
   * A redirect from HTTPS to plain HTTP would let anyone on the path play the storage host;
   * it is followed only to loopback or an insecure-registries host, as the registry itself
   * would be reached (docs/design.md §2 `insecure-registries`).
   */
  private refuseDowngrade(context: RequestContext, from: URL, to: URL): void {
    if (from.protocol !== 'https:' || to.protocol === 'https:') return
    if (isLoopbackHost(to.host) || this.insecure.has(to.host.toLowerCase())) return
    throw new TransportError(
      context,
      'INSECURE_REDIRECT',
      `refusing a redirect from HTTPS to ${to.protocol}//${to.host} (only loopback and insecure-registries hosts are reached over plain HTTP)`
    )
  }

  /** A path under the registry root, or an absolute URL (an upload Location) as it is. */
  private requestUrl(registry: string, path: string): string {
    return /^https?:\/\//i.test(path) ? path : `${this.baseUrl(registry)}${path}`
  }

  /**
   * One try: authorize, send (following redirects), read the body (or, for `stream`, hand
   * over the body of an accepted final answer); classify failures.
   */
  private async attempt(
    req: RegistryRequest,
    stream: boolean
  ): Promise<(RegistryResponse | StreamResponse) & { requestAuthorization?: string }> {
    try {
      const authorization = await this.auth.authorization(req.registry, req.scope)
      let url = this.requestUrl(req.registry, req.path)
      for (let hop = 0; ; hop++) {
        const { headers, sameOrigin } = this.requestHeaders(req, url, authorization)
        const body = hop === 0 ? req.body : undefined
        const opened = stream
          ? await this.openStream(req.registry, url, req.method, headers, body, req.context)
          : await this.exchange(
              req.registry,
              url,
              req.method,
              headers,
              body,
              req.context,
              req.maxBodyBytes
            )
        this.count(req)
        const redirect = req.followRedirects === true && REDIRECTS.has(opened.status)
        const retryable = isRetryableStatus(opened.status)
        const wanted =
          !redirect && !retryable && opened.status !== 401 && req.accept.includes(opened.status)
        const response = isStream(opened) && !wanted ? await this.drain(opened) : opened
        if (redirect) {
          const location = header(response.headers, 'location')
          if (!location || hop >= MAX_REDIRECTS) {
            throw new TransportError(
              req.context,
              'REDIRECT',
              `${response.status} redirect without a usable Location after ${hop + 1} hops`
            )
          }
          const next = new URL(location, url)
          this.refuseDowngrade(req.context, new URL(url), next)
          url = next.toString()
          this.logger.debug(
            `${req.context.operation} ${req.context.target}: redirected to ${new URL(url).host}`
          )
          continue
        }
        if (retryable) {
          throw await this.errorFor(req, response as RegistryResponse, undefined, {
            retryAfterMs: parseRetryAfter(header(response.headers, 'retry-after'), this.clock.now())
          })
        }
        return { ...response, requestAuthorization: sameOrigin ? authorization : undefined }
      }
    } finally {
      this.releaseFirst(req.registry)
    }
  }

  private count(req: Pick<RegistryRequest, 'method' | 'path'>): void {
    const kind = /\/manifests\//.test(req.path)
      ? 'manifest'
      : /\/blobs\/uploads/.test(req.path)
        ? 'upload'
        : /\/blobs\//.test(req.path)
          ? 'blob'
          : 'other'
    const key = `${req.method} ${kind}`
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1)
  }

  /** One HTTP exchange under the registry's concurrency bound and a per-request timeout. */
  private async exchange(
    registry: string,
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    context: RequestContext,
    maxBodyBytes = DEFAULT_MAX_BODY
  ): Promise<RegistryResponse> {
    return this.gate(registry).run(async () => {
      this.checkLive(context)
      // The bound covers the whole body: these answers are small and read in full.
      return this.timedRequest(
        url,
        method,
        headers,
        body,
        context,
        'no complete answer',
        async (response) => ({
          status: response.statusCode,
          headers: response.headers as IncomingHttpHeaders,
          body: await readBody(response.body, maxBodyBytes, context),
          url
        })
      )
    })
  }

  /**
   * Send one request under the per-request timeout (capped by the deadline) and the step's
   * cancellation, and turn its answer into a result with `take` while the bound still runs.
   * Failures come out typed (requestFailure).
   */
  private async timedRequest<T>(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    context: RequestContext,
    what: string,
    take: (response: Dispatcher.ResponseData) => Promise<T> | T
  ): Promise<T> {
    const timeoutMs = Math.max(1, Math.min(this.policy.requestTimeoutMs, this.remainingMs()))
    const controller = new AbortController()
    const onCancel = () =>
      controller.abort(new CancelledError(`${context.operation} ${context.target}: cancelled`))
    const forgetCancel = this.cancellation.subscribe(onCancel)
    const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs)
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
      throw this.requestFailure(error, controller, timeoutMs, context, what, url)
    } finally {
      clearTimeout(timer)
      forgetCancel()
    }
  }

  /** The registry's concurrency bound. */
  private gate(registry: string): Semaphore {
    let gate = this.gates.get(registry)
    if (!gate) {
      gate = new Semaphore(this.concurrency)
      this.gates.set(registry, gate)
    }
    return gate
  }

  /**
   * A failed undici request as the error to throw, typed for the classifier (./failure.ts).
   * A host that has never answered and cannot be reached (no such name, connection refused)
   * fails at once with what to check: retrying a typo for ten minutes helps nobody.
   */
  private requestFailure(
    error: unknown,
    controller: AbortController,
    timeoutMs: number,
    context: RequestContext,
    what: string,
    url: string
  ): Error {
    if (error instanceof TransportError) return error
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined
    if (reason instanceof CancelledError || reason instanceof DeadlineError) return reason
    if (reason !== undefined) {
      const deadlineHit = timeoutMs < this.policy.requestTimeoutMs
      const failure = new TransportError(
        context,
        'TIMEOUT',
        `${what} within ${formatSeconds(timeoutMs)}`,
        { cause: error }
      )
      if (deadlineHit) return new DeadlineError(`${failure.message} (the step's timeout)`)
      return failure
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

  /**
   * One HTTP exchange whose body is handed over as a stream. The registry's concurrency slot
   * is held until the body is done (read to the end or destroyed), so that streams count
   * against the bound. The per-request timeout bounds the wait for the headers.
   */
  private openStream(
    registry: string,
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    context: RequestContext
  ): Promise<StreamResponse> {
    return new Promise<StreamResponse>((resolve, reject) => {
      void this.gate(registry).run(async () => {
        let opened: StreamResponse
        try {
          this.checkLive(context)
          opened = await this.openResponse(url, method, headers, body, context)
        } catch (error) {
          reject(error)
          return
        }
        const done = new Promise<void>((release) => opened.body.once('close', release))
        resolve(opened)
        await done
      })
    })
  }

  private async openResponse(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    context: RequestContext
  ): Promise<StreamResponse> {
    // The bound covers the headers only; watchBody puts an inactivity bound on the body.
    return this.timedRequest(url, method, headers, body, context, 'no answer', (response) => ({
      status: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      body: this.watchBody(response.body, context),
      url
    }))
  }

  /**
   * A streamed body under an inactivity bound rather than a total one (a large layer takes
   * long; a stall must still be cut off): the per-request timeout restarts with every chunk.
   * The step's deadline and cancellation end it too. Failures come out typed.
   */
  private watchBody(source: Readable, context: RequestContext): Readable {
    const what = `${context.operation} ${context.target}`
    const idleMs = this.policy.requestTimeoutMs
    const out = new PassThrough()
    // A failure before the caller has attached its own listeners must not crash the process;
    // the caller still sees it (pipeline, async iteration and 'error' listeners all get it).
    out.on('error', () => undefined)
    const fail = (error: Error): void => {
      if (!out.destroyed) out.destroy(error)
      source.destroy()
    }
    const idle = new IdleTimer(
      idleMs,
      () => this.remainingMs(),
      (deadline) =>
        fail(
          deadline
            ? new DeadlineError(`${what}: the step's timeout ran out while the body was streaming`)
            : new TransportError(
                context,
                'TIMEOUT',
                `no data moved for ${formatSeconds(idleMs)} while streaming the body (stalled)`
              )
        )
    )
    const onCancel = () => fail(new CancelledError(`${what}: cancelled`))
    const forgetCancel = this.cancellation.subscribe(onCancel)
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

  /** Read what is left of a response that is not streamed to the caller (bounded). */
  private async drain(response: StreamResponse): Promise<RegistryResponse> {
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

  /** The one try of sendUpload: the body streams out, the (small) answer is read. */
  private async exchangeUpload(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Readable,
    context: RequestContext
  ): Promise<RegistryResponse> {
    const timeoutMs = this.policy.requestTimeoutMs
    const what = `${context.operation} ${context.target}`
    const controller = new AbortController()
    const onCancel = () => controller.abort(new CancelledError(`${what}: cancelled`))
    const forgetCancel = this.cancellation.subscribe(onCancel)
    const idle = new IdleTimer(
      timeoutMs,
      () => this.remainingMs(),
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
      throw this.requestFailure(error, controller, timeoutMs, context, 'no progress', url)
    } finally {
      idle.stop()
      forgetCancel()
      progress.destroy()
    }
  }

  private async errorFor(
    req: Pick<RegistryRequest, 'registry' | 'method' | 'scope' | 'context'>,
    response: RegistryResponse,
    challengeError?: string,
    extra: { retryAfterMs?: number } = {}
  ): Promise<RegistryError> {
    const { errors, text } = parseErrorBody(response.body)
    const scope = scopeList(req.scope).join(' ')
    const hint =
      response.status === 401 || response.status === 403
        ? authHint({
            registry: req.registry,
            status: response.status,
            scope: scope === '' ? undefined : scope,
            credentialSource: await this.auth.credentialSource(req.registry),
            challengeError: challengeError === undefined ? undefined : neutralise(challengeError),
            howToLogIn: this.howToLogIn
          })
        : undefined
    return new RegistryError(req.context, response.status, errors, {
      hint,
      bodyText: req.method === 'HEAD' ? undefined : text,
      retryAfterMs: extra.retryAfterMs
    })
  }

  /**
   * Get a token from the realm (auth/token.md). A password goes as Basic on a GET; an identity
   * token first as an OAuth2 refresh-token POST (auth/oauth.md), falling back to the GET when
   * the server answers 400, 401, 404 or 405, as containerd does for GCR, ACR and Artifactory.
   */
  private async fetchToken(tokenRequest: TokenRequest): Promise<TokenGrant> {
    const realm = new URL(tokenRequest.realm)
    const target = `${realm.origin}${realm.pathname}`
    if (
      realm.protocol !== 'https:' &&
      !(isLoopbackHost(realm.host) || this.insecure.has(realm.host.toLowerCase()))
    ) {
      throw new TransportError(
        { operation: 'GET token', target },
        'INSECURE_REALM',
        'refusing to send credentials to a token realm over plain HTTP'
      )
    }
    const credentials = tokenRequest.credentials
    if (credentials?.kind === 'identity-token') {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.password,
        client_id: this.userAgent
      })
      if (tokenRequest.service) form.set('service', tokenRequest.service)
      if (tokenRequest.scopes.length > 0) form.set('scope', tokenRequest.scopes.join(' '))
      const context: RequestContext = { operation: 'POST token', target }
      const response = await this.tokenExchange(
        context,
        realm.toString(),
        'POST',
        {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': this.userAgent
        },
        Buffer.from(form.toString())
      )
      if (response.status === 200) return this.tokenGrant(context, response, tokenRequest)
      if (![400, 401, 404, 405].includes(response.status))
        throw this.tokenError(context, response, tokenRequest)
      this.logger.debug(
        `POST token ${target}: ${response.status}; trying GET (containerd's fallback)`
      )
    }
    const url = new URL(realm)
    if (tokenRequest.service) url.searchParams.set('service', tokenRequest.service)
    for (const scope of tokenRequest.scopes) url.searchParams.append('scope', scope)
    const headers: Record<string, string> = { 'user-agent': this.userAgent }
    if (credentials && credentials.kind !== 'registry-token') {
      if (credentials.username) url.searchParams.set('account', credentials.username)
      headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    }
    const context: RequestContext = { operation: 'GET token', target }
    const response = await this.tokenExchange(context, url.toString(), 'GET', headers, undefined)
    if (response.status !== 200) throw this.tokenError(context, response, tokenRequest)
    return this.tokenGrant(context, response, tokenRequest)
  }

  /** One token request with the retry policy; any non-retryable answer is returned. */
  private async tokenExchange(
    context: RequestContext,
    url: string,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: Buffer | undefined
  ): Promise<RegistryResponse> {
    // Token requests have their own bound, apart from the registry's even on the same host
    // (ghcr.io/token): a stream holding a registry slot may need a fresh token to go on.
    const host = `token ${new URL(url).host}`
    return this.retrying(host, `${context.operation} ${context.target}`, async () => {
      const response = await this.exchange(host, url, method, headers, body, context)
      this.requestCounts.set(
        `${method} token`,
        (this.requestCounts.get(`${method} token`) ?? 0) + 1
      )
      if (isRetryableStatus(response.status)) {
        throw new RegistryError(context, response.status, parseErrorBody(response.body).errors, {
          retryAfterMs: parseRetryAfter(header(response.headers, 'retry-after'), this.clock.now())
        })
      }
      return response
    })
  }

  private tokenError(
    context: RequestContext,
    response: RegistryResponse,
    tokenRequest: TokenRequest
  ): RegistryError {
    const { errors, text } = parseErrorBody(response.body)
    return new RegistryError(context, response.status, errors, {
      bodyText: text,
      hint: authHint({
        registry: neutralise(tokenRequest.realm),
        status: response.status,
        scope: tokenRequest.scopes.join(' '),
        credentialSource: tokenRequest.credentials?.source ?? 'no credentials (anonymous)',
        challengeError: undefined,
        howToLogIn: this.howToLogIn
      })
    })
  }

  private tokenGrant(
    context: RequestContext,
    response: RegistryResponse,
    tokenRequest: TokenRequest
  ): TokenGrant {
    let parsed: unknown
    try {
      parsed = JSON.parse(response.body.toString('utf8'))
    } catch {
      parsed = undefined
    }
    const grant = parseTokenResponse(parsed)
    if (!grant) {
      throw new RegistryError(context, response.status, [], {
        bodyText: `the token response has neither token nor access_token (credentials: ${tokenRequest.credentials?.source ?? 'anonymous'})`
      })
    }
    return grant
  }
}

/**
 * Fires after `idleMs` without a touch, and never later than the deadline (`remaining`):
 * the per-request bound of a streamed body, which may take long but must not stall.
 */
class IdleTimer {
  private timer: NodeJS.Timeout | undefined
  private armedMs = 0

  constructor(
    private readonly idleMs: number,
    private readonly remaining: () => number,
    private readonly fire: (deadline: boolean) => void
  ) {
    this.touch()
  }

  /** Activity: start the bound again. */
  touch(): void {
    const ms = Math.max(1, Math.min(this.idleMs, this.remaining()))
    if (this.timer && ms === this.armedMs) {
      this.timer.refresh()
      return
    }
    clearTimeout(this.timer)
    this.armedMs = ms
    this.timer = setTimeout(() => this.fire(ms < this.idleMs), ms)
  }

  stop(): void {
    clearTimeout(this.timer)
  }
}

/** A whole (bounded) response body. */
async function readBody(
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

/** An error out of a streamed body, typed: ours as they are, the network's as TransportError. */
function streamFailure(error: Error, context: RequestContext): Error {
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

/**
 * A 401 from an origin that is not the registry's (a redirected blob's storage host, an
 * upload Location elsewhere): no auth state changes and no credential goes there.
 */
function foreignChallenge(req: Pick<RegistryRequest, 'registry' | 'context'>, url: string): Error {
  const host = new URL(url).host
  return new TransportError(
    req.context,
    'FOREIGN_CHALLENGE',
    `${host} answered 401 Unauthorized, but it is not the registry ${req.registry}; credentials are never sent to another host, so this request cannot succeed (check the registry's storage redirect configuration)`
  )
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
