/**
 * The one failure classifier (docs/design.md §3 "Retry"): every retry in the project asks it
 * whether a new try may help.
 *
 * - retryable: the registry refused before doing anything (408, 429), or the request never
 *   left (connection refused by a registry that has answered before): try again.
 * - may-have-landed: 5xx (other than 501/505), a reset, a timeout: try again, and know that a
 *   write may already have been applied (a PUT whose answer was lost).
 * - permanent: every other answer (4xx, 501 Not Implemented and 505 HTTP Version Not
 *   Supported will not change), a digest mismatch, refused credentials, an unreachable
 *   registry, a response too large, a redirect loop, the deadline, a cancellation.
 */
import {
  CancelledError,
  DeadlineError,
  IntegrityError,
  RegistryError,
  TransportError
} from './errors.js'

type FailureKind = 'retryable' | 'may-have-landed' | 'permanent'

interface Failure {
  kind: FailureKind
  /** Short and stable, for log lines: `503 Service Unavailable`, `network error ECONNRESET`. */
  why: string
  /** What the registry asked for with `Retry-After`. */
  retryAfterMs?: number
}

/**
 * An operation's own word that a fresh start fixes this failure (an upload session the
 * registry forgot needs a new session; a refused token was dropped and the next try fetches a
 * new one). The operation decides once; the classifier then calls it retryable.
 */
export class RestartRequested extends Error {
  override name = 'RestartRequested'
  constructor(
    readonly why: string,
    readonly failure: Error
  ) {
    super(failure.message, { cause: failure })
  }
}

/** TransportError codes that a new try cannot fix. */
const PERMANENT_TRANSPORT_CODES = new Set([
  'TOO_LARGE',
  'REDIRECT',
  'INSECURE_REALM',
  'INSECURE_REDIRECT',
  'FOREIGN_CHALLENGE',
  'UNREACHABLE',
  // Our own connection pool was closed or destroyed (the run is over: another request of the
  // same image failed and the session closed). No later try can use it; retrying would keep
  // the process alive until the step's deadline.
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED'
])

/** Network codes for a request that never reached the server (nothing can have landed). */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT'
])

/**
 * TLS failures: a certificate or protocol problem will not go away on a new try
 * (`ERR_SSL_WRONG_VERSION_NUMBER` is HTTPS spoken to a plain-HTTP registry).
 */
function isTlsFailure(code: string): boolean {
  return /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_(GET|VERIFY)|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)
}

const STATUS_WORDS: Record<number, string> = {
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

/** `503 Service Unavailable`, or the bare status. */
function statusText(status: number): string {
  const word = STATUS_WORDS[status]
  return word ? `${status} ${word}` : String(status)
}

/** True for the statuses that a later try may fix. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)
}

export function classifyFailure(error: unknown): Failure {
  if (error instanceof RestartRequested) return { kind: 'retryable', why: error.why }
  if (
    error instanceof CancelledError ||
    error instanceof DeadlineError ||
    error instanceof IntegrityError
  ) {
    return { kind: 'permanent', why: error.name }
  }
  if (error instanceof RegistryError) {
    const why = statusText(error.status)
    if (!isRetryableStatus(error.status)) return { kind: 'permanent', why }
    const kind = error.status === 408 || error.status === 429 ? 'retryable' : 'may-have-landed'
    return { kind, why, retryAfterMs: error.retryAfterMs }
  }
  if (error instanceof TransportError) {
    if (PERMANENT_TRANSPORT_CODES.has(error.code) || isTlsFailure(error.code))
      return { kind: 'permanent', why: `network error ${error.code}` }
    if (error.code === 'TIMEOUT') return { kind: 'may-have-landed', why: 'timed out' }
    return {
      kind: NOT_SENT_CODES.has(error.code) ? 'retryable' : 'may-have-landed',
      why: `network error ${error.code}`
    }
  }
  return { kind: 'permanent', why: error instanceof Error ? error.name : 'error' }
}

/** Network codes that, before a host has ever answered, mean it cannot be reached at all. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT'
])
