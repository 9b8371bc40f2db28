/**
 * The one place HTTP happens (the choke point of DESIGN.md §6): scheme choice, per-registry
 * concurrency, authentication, redirects, per-request timeouts, retries and the step's
 * deadline. Callers describe a request as data and get the response, or a typed error.
 */
import { Agent, request, type Dispatcher } from 'undici'
import type { IncomingHttpHeaders } from 'node:http'
import { Authenticator, parseTokenResponse, type TokenGrant, type TokenRequest } from './auth.js'
import { SYSTEM_CLOCK, realSleep, type Clock, type Sleep } from './clock.js'
import { ANONYMOUS, type CredentialResolver } from './credentials.js'
import {
  CancelledError,
  DeadlineError,
  RegistryError,
  TransportError,
  parseErrorBody,
  type RequestContext
} from './errors.js'
import { SILENT_LOGGER, type Logger } from './logger.js'
import { isLoopbackHost, registryApiHost } from './reference.js'
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy
} from './retry-policy.js'
import { Semaphore } from './semaphore.js'
import { authHint } from './auth-hints.js'

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
  /** Absolute time (ms) by which everything must be done: the `timeout` input. */
  deadline?: number
  /** Aborted when the step is cancelled. */
  signal?: AbortSignal
  /** Requests in flight per registry. */
  concurrency?: number
  userAgent?: string
}

/** A request, as data. */
export interface RegistryRequest {
  /** The registry as users name it (`docker.io`, `127.0.0.1:5000`). */
  registry: string
  method: 'GET' | 'HEAD' | 'PUT' | 'POST'
  /** Path and query under the registry root, e.g. `/v2/o/r/manifests/v1`. */
  path: string
  headers?: Record<string, string>
  body?: Buffer
  /** The token scope this request needs, e.g. `repository:o/r:pull,push`. */
  scope?: string
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

/** Four manifest sizes of headroom: registries accept manifests of at least 4 MiB. */
const DEFAULT_MAX_BODY = 16 * 1024 * 1024
const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Thrown inside one attempt to ask the retry loop for another. */
class RetryableFailure extends Error {
  constructor(
    readonly error: Error,
    readonly retryAfterMs: number | undefined,
    readonly why: string
  ) {
    super(error.message)
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
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
  private readonly sleep: Sleep
  private readonly random: () => number
  private readonly logger: Logger
  private readonly policy: RetryPolicy
  private readonly insecure: ReadonlySet<string>
  private readonly deadline: number
  private readonly signal: AbortSignal | undefined
  private readonly concurrency: number
  private readonly userAgent: string
  private readonly gates = new Map<string, Semaphore>()
  /** The first request to a registry goes alone, so concurrent ones do not all hit its 401. */
  private readonly firstContact = new Map<string, Promise<void>>()
  /** Retries performed, for reports and tests. */
  retries = 0
  /** Requests sent, by `METHOD kind`, for reports and tests. */
  readonly requestCounts = new Map<string, number>()

  constructor(options: TransportOptions = {}) {
    this.ownsDispatcher = options.dispatcher === undefined
    this.dispatcher = options.dispatcher ?? createDefaultDispatcher()
    this.clock = options.clock ?? SYSTEM_CLOCK
    this.sleep = options.sleep ?? realSleep
    this.random = options.random ?? Math.random
    this.logger = options.logger ?? SILENT_LOGGER
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY
    this.insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()))
    this.deadline = options.deadline ?? Number.POSITIVE_INFINITY
    this.signal = options.signal
    this.concurrency = options.concurrency ?? 8
    this.userAgent = options.userAgent ?? 'multiarch-index'
    this.auth = new Authenticator(
      options.credentials ?? ANONYMOUS,
      (r) => this.fetchToken(r),
      () => this.clock.now()
    )
  }

  /** Close the connection pool if this transport created it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  /** `http` for loopback and insecure-registries, else `https` (DESIGN.md §2). */
  baseUrl(registry: string): string {
    const plain = isLoopbackHost(registry) || this.insecure.has(registry.toLowerCase())
    return `${plain ? 'http' : 'https'}://${registryApiHost(registry)}`
  }

  /** Milliseconds left before the step's deadline. */
  remainingMs(): number {
    return this.deadline - this.clock.now()
  }

  /** Wait, bounded by the deadline and cut short by cancellation. */
  async wait(ms: number, what: string): Promise<void> {
    const remaining = this.remainingMs()
    if (ms > remaining) {
      throw new DeadlineError(
        `${what}: waiting ${formatSeconds(ms)} would pass the step's timeout (${formatSeconds(Math.max(0, remaining))} left)`
      )
    }
    await this.sleep(ms, this.signal)
  }

  /** Send a registry request: auth, redirects, retries, deadline. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    await this.awaitFirstContact(req.registry)
    try {
      return await this.sendWithRetries(req)
    } finally {
      // The first caller can fail before its first attempt (cancelled, deadline passed); the
      // callers waiting on it must then go on (and fail or proceed) rather than hang forever.
      this.releaseFirst(req.registry)
    }
  }

  private async sendWithRetries(req: RegistryRequest): Promise<RegistryResponse> {
    let reauthenticated = false
    let challengeError: string | undefined
    for (let attempt = 1; ; attempt++) {
      this.checkLive(req.context)
      try {
        const response = await this.attempt(req)
        if (response.status === 401) {
          // Learn the challenge and drop the refused token, also on the final 401 (its
          // `error`, e.g. insufficient_scope, goes into the message).
          const sent = response.requestAuthorization
          const challenge = await this.auth.unauthorized(
            req.registry,
            response.headers['www-authenticate'],
            sent
          )
          challengeError = challenge?.params.error
          // insufficient_scope with a token we just got will not change on a retry.
          const hopeless = sent !== undefined && challenge?.params.error === 'insufficient_scope'
          if (challenge && !hopeless && !reauthenticated) {
            reauthenticated = true
            attempt--
            continue
          }
        }
        if (req.accept.includes(response.status)) return response
        throw await this.errorFor(req, response, challengeError)
      } catch (error) {
        await this.backOff(error, attempt, req.context)
      }
    }
  }

  /**
   * After a failed try: rethrow what cannot be retried (or the last failure), else log one
   * line and wait (Retry-After or full-jitter backoff). A wait that would pass the deadline
   * fails now, before announcing a retry that would never happen.
   */
  private async backOff(error: unknown, attempt: number, context: RequestContext): Promise<void> {
    if (!(error instanceof RetryableFailure)) throw error
    if (attempt >= this.policy.attempts) throw error.error
    const delay = error.retryAfterMs ?? backoffDelay(this.policy, attempt, this.random)
    const what = `${context.operation} ${context.target}`
    if (delay > this.remainingMs()) {
      throw new DeadlineError(
        `${what}: ${error.why}; the next try would be in ${formatSeconds(delay)}${error.retryAfterMs !== undefined ? ' (Retry-After)' : ''}, past the step's timeout (${formatSeconds(Math.max(0, this.remainingMs()))} left)`
      )
    }
    this.retries++
    // "retry n of m" counts retries, not tries: the first try is not a retry.
    this.logger.info(
      `${what}: ${error.why}; retry ${attempt} of ${this.policy.attempts - 1} in ${formatSeconds(delay)}${error.retryAfterMs !== undefined ? ' (Retry-After)' : ''}`
    )
    this.logger.debug(`${what}: ${error.error.message}`)
    await this.wait(delay, `${what} (${error.why})`)
  }

  private checkLive(context: RequestContext): void {
    if (this.signal?.aborted)
      throw new CancelledError(`${context.operation} ${context.target}: cancelled`)
    if (this.remainingMs() <= 0) {
      throw new DeadlineError(`${context.operation} ${context.target}: the step's timeout ran out`)
    }
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

  /** One try: authorize, send (following redirects), read the body; classify failures. */
  private async attempt(
    req: RegistryRequest
  ): Promise<RegistryResponse & { requestAuthorization?: string }> {
    try {
      const authorization = await this.auth.authorization(req.registry, req.scope)
      let url = `${this.baseUrl(req.registry)}${req.path}`
      const origin = new URL(url).origin
      for (let hop = 0; ; hop++) {
        const sameOrigin = new URL(url).origin === origin
        const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers }
        // Never forward Authorization to another host (distribution-spec, API: redirects).
        if (authorization && sameOrigin) headers.authorization = authorization
        const response = await this.exchange(
          req.registry,
          url,
          req.method,
          headers,
          hop === 0 ? req.body : undefined,
          req.context,
          req.maxBodyBytes
        )
        this.count(req)
        if (req.followRedirects && REDIRECTS.has(response.status)) {
          const location = header(response.headers, 'location')
          if (!location || hop >= MAX_REDIRECTS) {
            throw new TransportError(
              req.context,
              'REDIRECT',
              `${response.status} redirect without a usable Location after ${hop + 1} hops`
            )
          }
          url = new URL(location, url).toString()
          this.logger.debug(
            `${req.context.operation} ${req.context.target}: redirected to ${new URL(url).host}`
          )
          continue
        }
        if (response.status === 429 || isRetryableStatus(response.status)) {
          const retryAfter = parseRetryAfter(
            header(response.headers, 'retry-after'),
            this.clock.now()
          )
          throw new RetryableFailure(
            await this.errorFor(req, response),
            retryAfter,
            `${response.status}${statusWord(response.status)}`
          )
        }
        return { ...response, requestAuthorization: sameOrigin ? authorization : undefined }
      }
    } finally {
      this.releaseFirst(req.registry)
    }
  }

  private count(req: RegistryRequest): void {
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
    let gate = this.gates.get(registry)
    if (!gate) {
      gate = new Semaphore(this.concurrency)
      this.gates.set(registry, gate)
    }
    return gate.run(async () => {
      this.checkLive(context)
      const timeoutMs = Math.max(1, Math.min(this.policy.requestTimeoutMs, this.remainingMs()))
      const controller = new AbortController()
      const onCancel = () =>
        controller.abort(new CancelledError(`${context.operation} ${context.target}: cancelled`))
      this.signal?.addEventListener('abort', onCancel, { once: true })
      const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs)
      try {
        const response = await request(url, {
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
          dispatcher: this.dispatcher,
          signal: controller.signal
        })
        const chunks: Buffer[] = []
        let size = 0
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length
          if (size > maxBodyBytes) {
            response.body.destroy()
            throw new TransportError(
              context,
              'TOO_LARGE',
              `the response is larger than ${maxBodyBytes} bytes`
            )
          }
          chunks.push(chunk as Buffer)
        }
        return {
          status: response.statusCode,
          headers: response.headers as IncomingHttpHeaders,
          body: Buffer.concat(chunks),
          url
        }
      } catch (error) {
        if (error instanceof TransportError) throw error
        const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined
        if (reason instanceof CancelledError) throw reason
        if (reason !== undefined) {
          const deadlineHit = timeoutMs < this.policy.requestTimeoutMs
          const failure = new TransportError(
            context,
            'TIMEOUT',
            `no complete answer within ${formatSeconds(timeoutMs)}`,
            { cause: error }
          )
          if (deadlineHit) throw new DeadlineError(`${failure.message} (the step's timeout)`)
          throw new RetryableFailure(
            failure,
            undefined,
            `timed out after ${formatSeconds(timeoutMs)}`
          )
        }
        const code = (error as { code?: string }).code ?? 'NETWORK'
        throw new RetryableFailure(
          new TransportError(context, code, `${(error as Error).message} (${code})`, {
            cause: error
          }),
          undefined,
          `network error ${code}`
        )
      } finally {
        clearTimeout(timer)
        this.signal?.removeEventListener('abort', onCancel)
      }
    })
  }

  private async errorFor(
    req: RegistryRequest,
    response: RegistryResponse,
    challengeError?: string
  ): Promise<RegistryError> {
    const { errors, text } = parseErrorBody(response.body)
    const hint =
      response.status === 401 || response.status === 403
        ? authHint({
            registry: req.registry,
            status: response.status,
            scope: req.scope,
            credentialSource: await this.auth.credentialSource(req.registry),
            challengeError
          })
        : undefined
    return new RegistryError(req.context, response.status, errors, {
      hint,
      bodyText: req.method === 'HEAD' ? undefined : text
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
    const host = new URL(url).host
    for (let attempt = 1; ; attempt++) {
      this.checkLive(context)
      try {
        const response = await this.exchange(host, url, method, headers, body, context)
        this.requestCounts.set(
          `${method} token`,
          (this.requestCounts.get(`${method} token`) ?? 0) + 1
        )
        if (isRetryableStatus(response.status)) {
          const retryAfter = parseRetryAfter(
            header(response.headers, 'retry-after'),
            this.clock.now()
          )
          throw new RetryableFailure(
            new RegistryError(context, response.status, parseErrorBody(response.body).errors),
            retryAfter,
            `${response.status}${statusWord(response.status)}`
          )
        }
        return response
      } catch (error) {
        await this.backOff(error, attempt, context)
      }
    }
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
        registry: tokenRequest.realm,
        status: response.status,
        scope: tokenRequest.scopes.join(' '),
        credentialSource: tokenRequest.credentials?.source ?? 'no credentials (anonymous)',
        challengeError: undefined
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

function statusWord(status: number): string {
  const words: Record<number, string> = {
    408: ' Request Timeout',
    429: ' Too Many Requests',
    500: ' Internal Server Error',
    502: ' Bad Gateway',
    503: ' Service Unavailable',
    504: ' Gateway Timeout'
  }
  return words[status] ?? ''
}

/** `1.5s` */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000
  return `${seconds >= 10 ? Math.round(seconds) : Math.round(seconds * 10) / 10}s`
}
