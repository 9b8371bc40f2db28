/**
 * The one place HTTP happens (the choke point of docs/design.md §6), composed of small parts,
 * outermost first: the first-contact latch (./first-contact.ts), the one retry loop
 * (../base/retry.ts) until the step's deadline (../base/deadline.ts, shared with the engine),
 * re-authentication (./reauthentication.ts), redirects (./redirects.ts), the per-registry
 * slots (./slots.ts) and one undici exchange (./exchange.ts). Tokens come from the token
 * client (./token-client.ts). Callers describe a request as data (./request.ts) and get the
 * response, or a typed error.
 */
import type { Dispatcher } from 'undici'
import { Agent } from './http.js'
import { Authenticator } from './auth.js'
import { SYSTEM_CLOCK, realSleep, type Clock, type Sleep } from '../base/clock.js'
import { Deadline } from '../base/deadline.js'
import { ANONYMOUS, type CredentialResolver } from '../credentials/credentials.js'
import type { RequestContext } from '../base/errors.js'
import { SILENT_LOGGER, type Logger } from '../base/logger.js'
import { OutageLog } from '../base/outage-log.js'
import { retry } from '../base/retry.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../base/retry-policy.js'
import type { Cancellation } from '../base/cancellation.js'
import { AnswerErrors, foreignChallenge } from './answer-errors.js'
import { MAX_ERROR_BODY } from './body.js'
import { HttpExchange } from './exchange.js'
import { FirstContact } from './first-contact.js'
import { RegistryOrigins } from './origin.js'
import { reauthenticating, type ReauthenticationParts } from './reauthentication.js'
import { sendFollowingRedirects, type Hop, type RedirectParts } from './redirects.js'
import { RequestCounts } from './request-counts.js'
import type { RegistryRequest, RegistryResponse, StreamResponse, UploadRequest } from './request.js'
import { RegistrySlots } from './slots.js'
import { TokenClient } from './token-client.js'

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

/**
 * Requests in flight per registry. High enough that reading 32 per-arch images and the
 * target's tags is one wave (the critical path must not grow with the number of
 * platforms: bench/), low enough to stay polite; registries serve far more concurrent
 * pulls than this from one client.
 */
export const DEFAULT_CONCURRENCY = 64

export class Transport {
  readonly auth: Authenticator
  /** The step's deadline and cancellation, shared with the engine. */
  private readonly deadline: Deadline
  /** One listener on the step's signal for every request in flight (the deadline's). */
  readonly cancellation: Cancellation
  /** Retries performed, for reports and tests. */
  retries = 0
  /** Requests sent, by `METHOD kind`, for reports and tests. */
  readonly requestCounts: Map<string, number>
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly random: () => number
  private readonly policy: RetryPolicy
  private readonly userAgent: string
  private readonly origins: RegistryOrigins
  private readonly http: HttpExchange
  private readonly slots: RegistrySlots
  private readonly firstContact = new FirstContact()
  private readonly counts = new RequestCounts()
  private readonly outages: OutageLog
  private readonly errors: AnswerErrors
  private readonly redirects: RedirectParts
  private readonly reauthentication: ReauthenticationParts

  constructor(options: TransportOptions = {}) {
    const clock = options.clock ?? SYSTEM_CLOCK
    const logger = options.logger ?? SILENT_LOGGER
    this.ownsDispatcher = options.dispatcher === undefined
    this.dispatcher = options.dispatcher ?? createDefaultDispatcher()
    this.random = options.random ?? Math.random
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY
    this.userAgent = options.userAgent ?? 'multiarch-index'
    this.deadline =
      options.deadline instanceof Deadline
        ? options.deadline
        : new Deadline(
            options.deadline ?? Number.POSITIVE_INFINITY,
            clock,
            options.sleep ?? realSleep,
            options.signal
          )
    this.cancellation = this.deadline.cancellation
    this.requestCounts = this.counts.byKind
    this.origins = new RegistryOrigins(options.insecureRegistries ?? [], this.userAgent)
    this.http = new HttpExchange(this.dispatcher, this.policy.requestTimeoutMs, this.deadline)
    this.slots = new RegistrySlots(options.concurrency ?? DEFAULT_CONCURRENCY)
    this.outages = new OutageLog(logger, clock)
    const tokens = new TokenClient({
      exchange: (slot, url, method, headers, body, context) =>
        this.slots.run(slot, () => this.http.buffered({ url, method, headers, body, context })),
      retrying: (key, what, run) => this.retrying(key, what, run),
      allowsPlainHttp: (host) => this.origins.allowsPlainHttp(host),
      now: () => clock.now(),
      logger,
      userAgent: this.userAgent,
      howToLogIn: options.howToLogIn,
      onRequest: (method) => this.counts.token(method)
    })
    this.auth = new Authenticator(
      options.credentials ?? ANONYMOUS,
      (request) => tokens.fetch(request),
      () => clock.now(),
      (registry) => this.pingChallenge(registry)
    )
    this.errors = new AnswerErrors(this.auth, options.howToLogIn)
    const hop: Hop = (req, url, headers, body, stream) => {
      const out = { url, method: req.method, headers, body, context: req.context }
      return stream
        ? this.slots.hold(req.registry, () => this.http.streamed(out))
        : this.slots.run(req.registry, () => this.http.buffered(out, req.maxBodyBytes))
    }
    this.redirects = {
      origins: this.origins,
      authorization: (registry, scope) => this.auth.authorization(registry, scope),
      hop,
      counts: this.counts,
      errors: this.errors,
      logger,
      now: () => clock.now(),
      tried: (registry) => this.firstContact.release(registry)
    }
    this.reauthentication = {
      auth: this.auth,
      origins: this.origins,
      errors: this.errors,
      send: (req, stream) => sendFollowingRedirects(this.redirects, req, stream)
    }
  }

  /** Close the connection pool if this transport created it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  /** `http` for loopback and insecure-registries, else `https` (docs/design.md §2). */
  baseUrl(registry: string): string {
    return this.origins.baseUrl(registry)
  }

  /** Throw CancelledError once the step is cancelled, DeadlineError once its time is up. */
  checkLive(context: RequestContext): void {
    this.deadline.check(`${context.operation} ${context.target}`)
  }

  /** Send a registry request: auth, redirects, retries, deadline. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    return this.firstContact.after(
      req.registry,
      async () => (await this.sendWithRetries(req, false)) as RegistryResponse
    )
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
    return this.firstContact.after(
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
    return this.firstContact.after(req.registry, async () => {
      this.checkLive(req.context)
      const authorization = await this.auth.authorization(req.registry, req.scope)
      const url = this.origins.requestUrl(req.registry, req.path)
      const { headers, sameOrigin } = this.origins.requestHeaders(req, url, authorization)
      const { method, body, context } = req
      const response = await this.http.upload({ url, method, headers, body, context })
      this.counts.request(req.method, req.path)
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
      throw await this.errors.registryError(req, response)
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
    return this.retrying(
      req.registry,
      `${req.context.operation} ${req.context.target}`,
      reauthenticating(this.reauthentication, req, stream)
    )
  }

  /**
   * `GET /v2/` once, for its `WWW-Authenticate` (docs/registry-quirks.md #16: GCR sends the
   * challenge only there). One try: a ping that fails leaves the 401 as it was.
   */
  private async pingChallenge(registry: string): Promise<string | string[] | undefined> {
    const context: RequestContext = { operation: 'GET /v2/ (ping)', target: registry }
    const out = {
      url: `${this.baseUrl(registry)}/v2/`,
      method: 'GET',
      headers: { 'user-agent': this.userAgent },
      body: undefined,
      context
    }
    try {
      const response = await this.slots.run(registry, () => this.http.buffered(out, MAX_ERROR_BODY))
      this.counts.request('GET', '/v2/')
      return response.headers['www-authenticate']
    } catch {
      return undefined
    }
  }
}

/** The shared keep-alive connection pool used when no dispatcher is injected. */
function createDefaultDispatcher(): Agent {
  return new Agent({ keepAliveTimeout: 10_000, connections: 32 })
}
