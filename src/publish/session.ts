/**
 * The shared machinery of one run: one transport (one connection pool, one token cache,
 * one deadline) and the registry client over it. Side effects come in as overrides so tests
 * inject a dispatcher, a clock and a sleep.
 */
import type { Dispatcher } from 'undici'
import { RegistryClient, repositoryScope, type RepositoryAccess } from '../registry/api/client.js'
import { SYSTEM_CLOCK, realSleep, type Clock, type Sleep } from '../registry/base/clock.js'
import { Deadline } from '../registry/base/deadline.js'
import { credentialChain } from '../registry/credentials/credential-chain.js'
import type { CredentialResolver, CredentialWords } from '../registry/credentials/credentials.js'
import type { ExecFn } from '../registry/credentials/exec.js'
import { SILENT_LOGGER, type Logger } from '../registry/base/logger.js'
import type { RetryPolicy } from '../registry/base/retry-policy.js'
import { Transport } from '../registry/transport/transport.js'
import type { Mode, PublishOptions } from './options.js'

/** Side effects and tuning that tests and the CLI may replace. */
export interface SessionOverrides {
  dispatcher?: Dispatcher
  clock?: Clock
  sleep?: Sleep
  random?: () => number
  logger?: Logger
  signal?: AbortSignal
  policy?: RetryPolicy
  credentials?: CredentialResolver
  /** Environment for the credential chain (DOCKER_CONFIG, HOME). Default: none (no Docker config). */
  env?: Record<string, string | undefined>
  /** Runs credential helpers. */
  exec?: ExecFn
  /** Hears every secret as soon as it is read (the Action masks it). */
  onSecret?: (secret: string) => void
  /** Bound on one credential-helper run. */
  helperTimeoutMs?: number
  /** Requests in flight per registry. */
  concurrency?: number
  /** How credential sources are named in messages (default: the Action's inputs). */
  credentialWords?: CredentialWords
}

export interface Session {
  client: RegistryClient
  transport: Transport
  clock: Clock
  /** The step's deadline and cancellation: the transport's and the engine's waits share it. */
  deadline: Deadline
  /** The retry loops' jitter source. */
  random: () => number
  logger: Logger
  close(): Promise<void>
}

/** The access a mode needs to its target repositories: only `publish` writes. */
export function targetAccess(mode: Mode): RepositoryAccess {
  return mode === 'publish' ? 'pull,push' : 'pull'
}

/**
 * Every scope the step's plans need, by registry: each target repository with the mode's
 * access, each source repository elsewhere with `pull`. (Sources found by `platforms: auto`
 * are in the target repository.)
 */
function stepScopes(options: PublishOptions): Map<string, string[]> {
  const byRegistry = new Map<string, Set<string>>()
  const add = (registry: string, scope: string) => {
    let scopes = byRegistry.get(registry)
    if (!scopes) byRegistry.set(registry, (scopes = new Set()))
    scopes.add(scope)
  }
  for (const plan of options.plans) {
    add(plan.image.registry, repositoryScope(plan.image.repository, targetAccess(options.mode)))
    for (const { reference } of plan.sources) {
      const elsewhere =
        reference.registry !== plan.image.registry || reference.repository !== plan.image.repository
      if (elsewhere) add(reference.registry, repositoryScope(reference.repository, 'pull'))
    }
  }
  return new Map([...byRegistry].map(([registry, scopes]) => [registry, [...scopes]]))
}

/** Open the run's session; its deadline is now + `timeout`. */
export function openSession(options: PublishOptions, overrides: SessionOverrides = {}): Session {
  const clock = overrides.clock ?? SYSTEM_CLOCK
  const logger = overrides.logger ?? SILENT_LOGGER
  const credentials =
    overrides.credentials ??
    credentialChain({
      targetRegistries: [...new Set(options.plans.map((p) => p.image.registry))],
      username: options.username,
      password: options.password,
      githubToken: options.githubToken,
      env: overrides.env,
      exec: overrides.exec,
      onSecret: overrides.onSecret,
      helperTimeoutMs: overrides.helperTimeoutMs,
      logger,
      words: overrides.credentialWords
    })
  const deadline = new Deadline(
    clock.now() + options.timeoutMs,
    clock,
    overrides.sleep ?? realSleep,
    overrides.signal
  )
  const random = overrides.random ?? Math.random
  const transport = new Transport({
    dispatcher: overrides.dispatcher,
    clock,
    random,
    logger,
    policy: overrides.policy,
    credentials,
    insecureRegistries: options.insecureRegistries,
    deadline,
    concurrency: overrides.concurrency,
    howToLogIn: overrides.credentialWords?.howToLogIn
  })
  // One token per registry for all the step's repositories where the token server grants
  // them together (auth.ts: shareScopes); a 40-image release asks once, not 40 times.
  for (const [registry, scopes] of stepScopes(options)) transport.auth.shareScopes(registry, scopes)
  return {
    client: new RegistryClient(transport),
    transport,
    clock,
    deadline,
    random,
    logger,
    close: () => transport.close()
  }
}
