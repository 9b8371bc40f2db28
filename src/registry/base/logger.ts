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

/** Keeps lines to replay later, in order (one image's log group, printed when it is done). */
export class BufferedLogger implements Logger {
  private readonly lines: Array<{ level: keyof Logger; message: string }> = []
  debug(message: string): void {
    this.lines.push({ level: 'debug', message })
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message })
  }
  warning(message: string): void {
    this.lines.push({ level: 'warning', message })
  }
  /** Write every kept line to `target`. */
  replay(target: Logger): void {
    for (const line of this.lines) target[line.level](line.message)
  }
}
