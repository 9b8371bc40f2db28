/**
 * When each request reached the proxy and was answered, on the bench's own clock, and the
 * critical path of a run computed from it (the "round trips" column).
 */
import { performance } from 'node:perf_hooks'
import type { ProxiedRequest } from '../support/counting-proxy.js'
import type { FaultProxy } from '../support/fault-proxy.js'
import { median } from './format.js'

/** A proxied request with arrival and answer times (performance.now(), this process's clock). */
export interface Timed extends ProxiedRequest {
  t0?: number
  t1?: number
}

/**
 * The proxy records each request when it arrives and sets its status when it answers; timing
 * both (by wrapping the record array's push and the records' status) gives each request's span
 * on the bench's own clock, without touching the helper.
 */
function instrument(proxy: FaultProxy): void {
  const arr = proxy.requests as Timed[]
  const push = arr.push
  arr.push = function (...items: Timed[]): number {
    const now = performance.now()
    for (const rec of items) {
      rec.t0 = now
      let status = rec.status
      Object.defineProperty(rec, 'status', {
        enumerable: true,
        configurable: true,
        get: () => status,
        set: (v: number) => {
          status = v
          if (v !== 0 && rec.t1 === undefined) rec.t1 = performance.now()
        }
      })
    }
    return push.apply(this, items)
  }
}

export function resetProxy(proxy: FaultProxy): void {
  proxy.reset()
  instrument(proxy)
}

/** The critical path of one run as the registry saw it. */
export interface Path {
  /** Round trips on the critical path: the longest chain of requests each of which started after the previous one was answered. */
  roundTrips: number
  /** First request's arrival → last answer. */
  spanMs: number
  /** Time the requests of that chain were at the proxy (latency + registry/token server). */
  busyMs: number
  /** Median time from a request's arrival to its answer. */
  medianRequestMs: number
}

export function criticalPath(reqs: Timed[]): Path {
  const sorted = reqs
    .filter((r) => r.t0 !== undefined && r.t1 !== undefined)
    .sort((a, b) => a.t0! - b.t0!)
  if (sorted.length === 0) return { roundTrips: 0, spanMs: 0, busyMs: 0, medianRequestMs: 0 }
  const depth: number[] = []
  const busy: number[] = []
  for (let i = 0; i < sorted.length; i++) {
    let d = 1
    let b = 0
    for (let j = 0; j < i; j++) {
      if (sorted[j].t1! <= sorted[i].t0! + 0.05 && depth[j] + 1 > d) {
        d = depth[j] + 1
        b = busy[j]
      }
    }
    depth.push(d)
    busy.push(b + (sorted[i].t1! - sorted[i].t0!))
  }
  let last = 0
  for (let i = 1; i < sorted.length; i++)
    if (depth[i] > depth[last] || (depth[i] === depth[last] && sorted[i].t1! > sorted[last].t1!))
      last = i
  return {
    roundTrips: depth[last],
    spanMs: Math.max(...sorted.map((r) => r.t1!)) - sorted[0].t0!,
    busyMs: busy[last],
    medianRequestMs: median(sorted.map((r) => r.t1! - r.t0!))
  }
}
