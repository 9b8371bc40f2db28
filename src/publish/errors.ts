/**
 * Errors of the engine. InputError: an input is wrong, found before any request.
 * PublishError: the registry's state does not allow the index (missing or wrong sources, a
 * tag holding something else); carries one line per problem.
 */

/**
 * A bad input, rejected before any request. `input` is the action.yml input name, or the
 * name of a tuning environment variable (`what` then says so).
 */
export class InputError extends Error {
  override name = 'InputError'
  readonly code = 'INPUT_INVALID'
  constructor(
    readonly input: string,
    message: string,
    what: 'input' | 'environment variable' = 'input'
  ) {
    super(`${what} '${input}': ${message}`)
  }
}

type PublishErrorCode =
  | 'SOURCES_MISSING'
  | 'SOURCE_INVALID'
  | 'PLATFORM_MISMATCH'
  | 'DUPLICATE_PLATFORM'
  | 'TAG_HOLDS_OTHER'
  | 'TAG_IMMUTABLE'
  | 'MEDIA_TYPE_REFUSED'
  | 'CHILD_MISSING'
  | 'INDEX_INVALID'
  | 'VERIFY_FAILED'
  | 'CONFIRM_FAILED'

/** The registry's content does not allow what was asked. */
export class PublishError extends Error {
  override name = 'PublishError'
  constructor(
    readonly code: PublishErrorCode,
    message: string,
    /** One line per problem, each naming the reference and platform concerned. */
    readonly problems: string[] = []
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message)
  }
}
