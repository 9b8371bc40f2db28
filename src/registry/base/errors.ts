/**
 * Typed errors. Every failure a registry can cause is one of these, carrying the HTTP status
 * and the distribution error code (distribution-spec "Error Codes": a JSON body
 * `{"errors":[{"code","message","detail"}]}`; bodies may be anything, HEAD has none).
 */

import { neutralise } from '../../oci/untrusted-text.js'

/** One entry of a distribution error body. */
interface RegistryErrorDetail {
  code: string
  message: string
  detail?: unknown
}

/** What was being done when a request failed, for messages that say which and where. */
export interface RequestContext {
  /** e.g. `GET manifest`, `PUT manifest`, `GET blob`, `GET token`. */
  operation: string
  /** The reference or URL the request was about (never a URL carrying credentials). */
  target: string
}

/** A registry answered with a status we did not want. */
export class RegistryError extends Error {
  override name = 'RegistryError'
  readonly status: number
  /** The first error code of the body (`MANIFEST_UNKNOWN`, `DENIED`...), if any. */
  readonly code: string | undefined
  readonly errors: RegistryErrorDetail[]
  readonly operation: string
  readonly target: string
  /** A hint for the user: what to check or do. */
  readonly hint: string | undefined
  /** How long the registry asked to wait before a new try (`Retry-After`), if it said. */
  readonly retryAfterMs: number | undefined

  constructor(
    context: RequestContext,
    status: number,
    errors: RegistryErrorDetail[],
    options: { hint?: string; bodyText?: string; retryAfterMs?: number } = {}
  ) {
    const first = errors[0]
    const answer = first
      ? `${status} ${first.code}: ${first.message}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`
      : `${status}${options.bodyText ? ` ${options.bodyText}` : ''}`
    super(
      `${context.operation} ${context.target}: ${answer}${options.hint ? `. ${options.hint}` : ''}`
    )
    this.status = status
    this.code = first?.code
    this.errors = errors
    this.operation = context.operation
    this.target = context.target
    this.hint = options.hint
    this.retryAfterMs = options.retryAfterMs
  }

  /** True when any error in the body has this code. */
  hasCode(code: string): boolean {
    return this.errors.some((e) => e.code === code)
  }
}

/** The network failed: reset, refused, timed out, DNS. */
export class TransportError extends Error {
  override name = 'TransportError'
  readonly code: string
  readonly operation: string
  readonly target: string
  constructor(
    context: RequestContext,
    code: string,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(`${context.operation} ${context.target}: ${message}`, options)
    this.code = code
    this.operation = context.operation
    this.target = context.target
  }
}

/** The step's time bound (`timeout`) ran out, or a wait would run past it. */
export class DeadlineError extends Error {
  override name = 'DeadlineError'
  readonly code = 'DEADLINE_EXCEEDED'
}

/** The step was cancelled (SIGTERM/SIGINT from the runner). */
export class CancelledError extends Error {
  override name = 'CancelledError'
  readonly code = 'CANCELLED'
}

/** What a registry served differs from what it said or what we asked for. */
export class IntegrityError extends Error {
  override name = 'IntegrityError'
  readonly code: string
  constructor(
    code: 'DIGEST_MISMATCH' | 'MEDIA_TYPE_MISMATCH' | 'TOO_LARGE' | 'BAD_DOCUMENT',
    message: string
  ) {
    super(message)
    this.code = code
  }
}

/** Read a distribution error body; anything else yields no entries (and a short text). */
export function parseErrorBody(body: Buffer | undefined): {
  errors: RegistryErrorDetail[]
  text?: string
} {
  if (!body || body.length === 0) return { errors: [] }
  const text = body.toString('utf8')
  try {
    const parsed = JSON.parse(text) as { errors?: unknown }
    if (Array.isArray(parsed.errors)) {
      const errors = parsed.errors
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
        // Registry text goes into messages, logs and annotations: one line, no commands.
        .map((e) => ({
          code: typeof e.code === 'string' ? neutralise(e.code.slice(0, 100)) : 'UNKNOWN',
          message: typeof e.message === 'string' ? neutralise(clip(e.message, 500)) : '',
          detail: e.detail
        }))
      return { errors }
    }
  } catch {
    // not JSON: an HTML error page from a proxy, or plain text
  }
  const oneLine = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return { errors: [], text: neutralise(clip(oneLine, 160)) }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}

/** True for a RegistryError with this status. */
export function isStatus(error: unknown, status: number): error is RegistryError {
  return error instanceof RegistryError && error.status === status
}
