/**
 * The environment a Docker credential helper runs with: what docker's own helpers and the
 * cloud helpers read (their config locations and their own credentials), and nothing of the
 * step's: no `INPUT_*` (the Action's inputs, its password among them), no `ACTIONS_*` (the
 * runner's tokens), no `GITHUB_TOKEN`. A helper is a program named by a Docker config, which
 * the workspace may have written.
 */

/** Variables passed by exact name (compared case-insensitively: Windows names are). */
const NAMES = new Set(
  [
    // Where programs and per-user configuration are found (POSIX).
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'SHELL',
    'TMPDIR',
    'LANG',
    'TZ',
    'DOCKER_CONFIG',
    // Windows: where the system, the user's profile and its config live; PATHEXT.
    'PATHEXT',
    'SYSTEMROOT',
    'SYSTEMDRIVE',
    'WINDIR',
    'COMSPEC',
    'USERPROFILE',
    'USERNAME',
    'HOMEDRIVE',
    'HOMEPATH',
    'APPDATA',
    'LOCALAPPDATA',
    'PROGRAMDATA',
    'PROGRAMFILES',
    'PROGRAMFILES(X86)',
    'TEMP',
    'TMP',
    // Reaching the network as everything else on the machine does.
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'NO_PROXY',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR'
  ].map((name) => name.toUpperCase())
)

/**
 * Prefixes passed on: XDG base directories and locale; and the cloud helpers' own
 * credentials and settings (docker-credential-ecr-login reads AWS_*, -gcloud CLOUDSDK_* and
 * GOOGLE_*, the ACR helpers AZURE_*), which a workflow sets for exactly these helpers.
 */
const PREFIXES = ['XDG_', 'LC_', 'AWS_', 'CLOUDSDK_', 'GOOGLE_', 'AZURE_']

/** Never passed, whatever the lists above say. */
const DENIED_PREFIXES = ['INPUT_', 'ACTIONS_']
const DENIED = new Set(['GITHUB_TOKEN'])

/** True for a variable a credential helper may see. */
function isHelperVariable(name: string): boolean {
  const upper = name.toUpperCase()
  if (DENIED.has(upper) || DENIED_PREFIXES.some((p) => upper.startsWith(p))) return false
  return NAMES.has(upper) || PREFIXES.some((p) => upper.startsWith(p))
}

/** The part of `env` a credential helper runs with. */
export function helperEnvironment(
  env: Readonly<Record<string, string | undefined>>
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && isHelperVariable(name)) out[name] = value
  return out
}
