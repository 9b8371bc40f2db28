/**
 * Durations as the inputs take them: `0`, `90` (seconds), `90s`, `10m`, `1h`, `500ms`, and
 * sums such as `1m30s`.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(trimmed)) return undefined
  let total = 0
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * UNIT_MS[unit]
  }
  return Math.round(total)
}

/** `90s`, `10m`, `1m30s` — the inverse, for messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${ms}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  // Seconds keep their milliseconds (`1.5s`, `1m30.5s`): rounding to whole seconds printed
  // 1500 as `2s` and 3_599_500 as `59m60s`, and a message comparing two durations (wait-timeout
  // vs timeout) could show two different values as equal.
  const s = Number(((ms % 60_000) / 1000).toFixed(3))
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || `${ms}ms`
}
