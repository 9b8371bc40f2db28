/** Where the layers below the Action write what they do. The Action maps it to @actions/core. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

/** Writes nothing: the default for library use and unit tests. */
export const SILENT_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined
}
