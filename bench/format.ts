/** Medians and the way the report writes times and request counts. */

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const KIND_ORDER = [
  'GET ping',
  'GET token',
  'POST token',
  'HEAD manifest',
  'GET manifest',
  'HEAD blob',
  'GET blob',
  'PUT manifest',
  'DELETE manifest'
]

export function formatCounts(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort((a, b) => {
    const ia = KIND_ORDER.indexOf(a)
    const ib = KIND_ORDER.indexOf(b)
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b)
  })
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  return `${keys.map((k) => `${k} ${counts[k]}`).join(', ')} (**${total}**)`
}

export function ms(x: number): string {
  return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`
}

/** Peak memory figures as the report gives them: the largest, with how many and their median. */
export function maxOf(xs: number[]): string {
  return xs.length === 0
    ? 'not measured'
    : `${Math.max(...xs).toFixed(1)} MB (max of ${xs.length}; median ${median(xs).toFixed(1)} MB)`
}
