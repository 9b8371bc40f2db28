/**
 * The secrets of the test suite (registry passwords, tokens the token server issued,
 * password and token inputs), so that every Action run can be checked for leaks: no secret
 * may appear in anything a runner would show (docs/design.md §5).
 */

const secrets = new Set<string>()

/** Remember a secret; short values are ignored (they would match by accident). */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 8) secrets.add(value)
}

/** What a runner shows of a step's stdout: it consumes `::add-mask::` commands unprinted. */
export function visibleLog(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

/** The names of the texts that contain a registered secret (never the secret itself). */
export function leaks(texts: Record<string, string>): string[] {
  const found: string[] = []
  for (const [name, text] of Object.entries(texts)) {
    for (const secret of secrets) {
      if (text.includes(secret))
        found.push(
          `${name} contains a secret (${secret.length} characters, starting ${secret.slice(0, 2)}…)`
        )
    }
  }
  return found
}

/** How many secrets are known (for tests that want to show the check had something to find). */
export function secretCount(): number {
  return secrets.size
}
