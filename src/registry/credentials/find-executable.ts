/**
 * Finding a program on PATH ourselves, so that what runs is an absolute path from PATH and
 * never a file in the current directory: on Windows, libuv's search (what child_process does
 * with a bare name) looks in the current directory first, which is the checked-out
 * workspace on a runner. Entries of PATH that are not absolute (`.`, empty) are skipped for
 * the same reason, on every platform.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { posix, win32 } from 'node:path'

interface FindExecutableOptions {
  env: Readonly<Record<string, string | undefined>>
  platform?: NodeJS.Platform
  /** True when `path` is a file this process may run (injected by tests). */
  isExecutable?: (path: string) => boolean
}

/** PATHEXT when the environment has none (cmd.exe's default, less the script types). */
const DEFAULT_PATHEXT = '.COM;.EXE'
/**
 * Node refuses to spawn .bat and .cmd files without a shell (CVE-2024-27980), and a shell
 * is what this avoids: they are not candidates.
 */
const SCRIPT_EXTENSIONS = new Set(['.bat', '.cmd'])

function defaultIsExecutable(platform: NodeJS.Platform): (path: string) => boolean {
  return (path) => {
    try {
      if (!statSync(path).isFile()) return false
      if (platform !== 'win32') accessSync(path, constants.X_OK)
      return true
    } catch {
      return false
    }
  }
}

/** The variable `name` of `env`, matched case-insensitively on Windows. */
function variable(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  platform: NodeJS.Platform
): string | undefined {
  if (platform !== 'win32') return env[name]
  const key = Object.keys(env).find((k) => k.toUpperCase() === name)
  return key === undefined ? undefined : env[key]
}

/**
 * The absolute path of program `name` (a bare name) found on PATH, or undefined. On Windows
 * each PATH directory is tried with each PATHEXT extension, in order, as cmd.exe does.
 */
export function findExecutable(name: string, options: FindExecutableOptions): string | undefined {
  const platform = options.platform ?? process.platform
  const path = platform === 'win32' ? win32 : posix
  const isExecutable = options.isExecutable ?? defaultIsExecutable(platform)
  const dirs = (variable(options.env, 'PATH', platform) ?? '')
    .split(path.delimiter)
    .map((dir) => (platform === 'win32' ? dir.replace(/^"(.*)"$/, '$1') : dir))
    .filter((dir) => dir !== '' && path.isAbsolute(dir))
  const extensions =
    platform === 'win32'
      ? (variable(options.env, 'PATHEXT', platform) ?? DEFAULT_PATHEXT)
          .split(';')
          // Windows file names ignore case; the lower-case form is what a reader expects.
          .map((ext) => ext.trim().toLowerCase())
          .filter((ext) => ext.startsWith('.') && !SCRIPT_EXTENSIONS.has(ext))
      : ['']
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}
