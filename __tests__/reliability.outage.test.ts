/**
 * Registry outages on the real registry behind the fault proxy (docs/design.md §3 "Retry": until
 * the step's deadline, not a count). For each phase of a publish — the token, the source
 * reads, the PUT of the release tag, the PUT of an extra tag, the read-back — the proxy
 * refuses every request for OUTAGE_MS, once answering 503 with Retry-After and once resetting
 * the connection. Every run must succeed with the default `timeout` and leave both tags on
 * the complete index (read back by skopeo, straight from the registry). An outage longer than
 * `timeout` must fail at the deadline, saying so.
 *
 * These runs are long (an outage each), so they all run at once, each through its own proxy
 * into its own repository of one registry, in beforeAll; the tests then check each run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  startFaultProxy,
  type Fault,
  type FaultProxy,
  type Outage,
  type OutageRecord
} from './helpers/fault-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction, type ActionRun } from './helpers/run-action.js'
import { accessFor, getManifest, pushImage, type RegistryAccess } from './helpers/seed.js'
import { skopeoInspectRawBytes } from './helpers/skopeo.js'
import { delay, freePort } from './helpers/util.js'

const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 30_000)
/** The step's timeout of the runs that must fail: shorter than their outage. */
const SHORT_TIMEOUT = '20s'

const FAULTS: Record<string, Fault> = {
  '503 + Retry-After': { kind: 'status-503', phase: 'before', retryAfterSeconds: 1 },
  'connection resets': { kind: 'reset', phase: 'before' }
}

/** Where the outage starts: the first request that matches, once `after` has been seen. */
const PHASES: Record<string, Pick<Outage, 'from' | 'after'>> = {
  token: { from: { kinds: ['token'] } },
  'source reads': { from: { kinds: ['manifest'], methods: ['GET'] }, after: { kinds: ['token'] } },
  'PUT of the release tag': {
    from: { kinds: ['manifest'], methods: ['PUT'], pathIncludes: '/manifests/v1' }
  },
  'PUT of an extra tag': {
    from: { kinds: ['manifest'], methods: ['PUT'], pathIncludes: '/manifests/latest' }
  },
  'read-back': {
    from: { kinds: ['manifest'], methods: ['HEAD'] },
    after: { kinds: ['manifest'], methods: ['PUT'], pathIncludes: '/manifests/latest' }
  }
}

interface Case {
  name: string
  phase: string
  fault: string
  outageMs: number
  timeout?: string
}

interface Outcome {
  run: ActionRun
  wallMs: number
  outage: OutageRecord
  repo: string
  /** Failed tries, from the debug lines. */
  retries: number
}

const cases: Case[] = [
  ...Object.keys(PHASES).flatMap((phase) =>
    Object.keys(FAULTS).map((fault) => ({
      name: `${phase}, ${fault}`,
      phase,
      fault,
      outageMs: OUTAGE_MS
    }))
  ),
  ...Object.keys(FAULTS).map((fault) => ({
    name: `longer than timeout (${SHORT_TIMEOUT}), ${fault}`,
    phase: 'PUT of the release tag',
    fault,
    outageMs: 10 * 60_000,
    timeout: SHORT_TIMEOUT
  }))
]

let registry: RunningRegistry
let access: RegistryAccess
let creds: { username: string; password: string }
const proxies: FaultProxy[] = []
const outcomes = new Map<string, Outcome>()
let allWallMs = 0

/** Between the starts of two runs: twelve Action processes starting at once load a 2-core runner. */
const STAGGER_MS = 1_500

async function runCase(c: Case, index: number): Promise<void> {
  await delay(index * STAGGER_MS)
  const repo = `outage/case${index}`
  await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
  await pushImage(access, repo, 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
  const proxy = await startFaultProxy(registry.url, {
    tokenTarget: registry.tokenServer!.url,
    outage: { ...PHASES[c.phase], durationMs: c.outageMs, fault: FAULTS[c.fault] }
  })
  proxies.push(proxy)
  const started = Date.now()
  const run = await runAction(
    {
      images: `${proxy.host}/${repo}`,
      tag: 'v1',
      tags: 'latest',
      ...(c.timeout ? { timeout: c.timeout } : {}),
      ...creds
    },
    { timeoutMs: 180_000 }
  )
  outcomes.set(c.name, {
    run,
    wallMs: Date.now() - started,
    outage: proxy.outage(),
    repo,
    retries: (run.stdout.match(/^::debug::.*; try \d+ failed, next in /gm) ?? []).length
  })
}

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  access = accessFor(registry)
  const [username, password] = Object.entries(registry.users)[0]
  creds = { username, password }
  const started = Date.now()
  await Promise.all(cases.map((c, i) => runCase(c, i)))
  allWallMs = Date.now() - started
}, 300_000)

afterAll(async () => {
  const rows = cases.map((c) => {
    const o = outcomes.get(c.name)
    return o
      ? `${c.name}: exit ${o.run.code}, ${(o.wallMs / 1000).toFixed(1)} s, outage ${(c.outageMs / 1000).toFixed(0)} s opened by ${o.outage.openedBy ?? 'nothing'}, ${o.outage.refused} requests refused, ${o.retries} failed tries retried`
      : `${c.name}: did not run`
  })
  const sample = outcomes.get(cases[4].name)
  const sampleLog = (sample?.run.stdout ?? '')
    .split('\n')
    .filter((l) => /retrying until|still failing after|answering again after/.test(l))
  console.log(
    [
      `outage runs (all at once): ${(allWallMs / 1000).toFixed(1)} s of wall time`,
      ...rows,
      `the outage lines of '${cases[4].name}':`,
      ...sampleLog
    ].join('\n')
  )
  await Promise.all(proxies.map((p) => p.stop()))
  await registry?.stop()
})

describe(`an outage of ${OUTAGE_MS / 1000} s with the default timeout`, () => {
  const riding = cases.filter((c) => c.timeout === undefined)
  it.each(riding.map((c) => [c.name]))('%s: the publish succeeds', async (name) => {
    const o = outcomes.get(name)!
    expect(o.run.stdout).not.toMatch(/^::error/m)
    expect(o.run.code).toBe(0)
    expect(o.run.outputs.status).toBe('created')
    // The outage happened, in this phase, and lasted its whole length during the run.
    expect(o.outage.openedAt).toBeDefined()
    expect(o.outage.refused).toBeGreaterThan(0)
    expect(o.retries).toBeGreaterThan(0)
    // A readable log: one line when retrying started, lines at growing intervals (10 s, 30 s),
    // one when the registry answered again; not a line per try (those are under debug).
    const outageLines = o.run.stdout
      .split('\n')
      .filter((l) => /retrying until|still failing after|answering again after/.test(l))
    expect(outageLines.filter((l) => l.includes('retrying until it answers'))[0]).toBeDefined()
    expect(o.run.stdout).toMatch(/still failing after \d+s, \d+ failed tries \(last: /)
    expect(o.run.stdout).toMatch(/answering again after \d+s and \d+ failed tries/)
    expect(outageLines.length).toBeLessThanOrEqual(12)
    // Both tags hold the complete index, read straight from the registry.
    const stored = await skopeoInspectRawBytes(`${registry.host}/${o.repo}:v1`, creds)
    expect(stored.digest).toBe(o.run.outputs.digest)
    const index = JSON.parse(stored.stdout.toString('utf8')) as { manifests: unknown[] }
    expect(index.manifests).toHaveLength(2)
    expect((await getManifest(access, o.repo, 'latest')).digest).toBe(o.run.outputs.digest)
  })
})

describe('an outage longer than timeout', () => {
  const failing = cases.filter((c) => c.timeout !== undefined)
  it.each(failing.map((c) => [c.name]))("%s: fails at the step's deadline", async (name) => {
    const o = outcomes.get(name)!
    expect(o.run.code).toBe(1)
    expect(o.run.outputs.status).toBe('failed')
    expect(o.outage.refused).toBeGreaterThan(0)
    // The error names the deadline and what kept failing.
    const errors = o.run.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors.join('\n')).toMatch(
      /PUT manifest .*:v1: (503 Service Unavailable|network error \w+) \(\d+ tries over [\d.]+s\); the next try would be in .*, past the step's timeout|the step's timeout ran out/
    )
    // The release tag was never written (every PUT was refused before the registry saw it).
    expect((await getManifest(access, o.repo, 'v1')).status).toBe(404)
    // The report says, for every tag, what it holds now: the release tag's write was under
    // way when the deadline struck (it may or may not have landed: a re-run settles it), the
    // extra tag was not written; neither is reported as holding the new index.
    const result = JSON.parse(o.run.outputs.result) as {
      images: Array<{ tagResults?: Array<{ tag: string; change: string; digest?: string | null }> }>
    }
    const tags = (result.images[0].tagResults ?? []).map((t) => ({
      tag: t.tag,
      change: t.change,
      digest: t.digest ?? null
    }))
    expect(tags).toEqual([
      { tag: 'v1', change: 'unknown', digest: null },
      { tag: 'latest', change: 'not-written', digest: null }
    ])
    expect(o.run.summary).toContain('not written')
  })
})

describe('a registry that has never answered', () => {
  it('fails at once with one line saying it cannot be reached and what to check', async () => {
    // A port with nothing listening: connection refused on first contact.
    const port = await freePort()
    const run = await runAction({ images: `127.0.0.1:${port}/o/r`, tag: 'v1' })
    expect(run.code).toBe(1)
    // One line for the registry (the other ::error line is the run's tally of failed images).
    const errors = run.stdout.split('\n').filter((l) => l.includes('cannot reach'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^::error /)
    expect(errors[0]).toContain(
      `cannot reach 127.0.0.1:${port}: nothing accepts connections at 127.0.0.1:${port} (ECONNREFUSED), and it has not answered any request; check the registry host and port in the image name`
    )
    expect(run.stdout).not.toMatch(/retrying until/)
  })
})
