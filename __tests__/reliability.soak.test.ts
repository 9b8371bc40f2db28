/**
 * Soak: 40 seeded runs of the Retina publish (four platforms, two tags, token auth) through
 * a proxy that injects a fault into 40% of requests — every fault kind, both phases, every
 * request kind, token requests included. With the Action's default settings every run must
 * succeed, skopeo must read back the same complete index, and no run may leave a tag
 * pointing at a partial or different index.
 *
 * The runs go in LANES lanes at once, each lane with its own proxy (so each seed meets the
 * same faults in the same request order, as one run at a time would) and its own repository.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  ALL_FAULTS,
  startFaultProxy,
  type FaultProxy,
  type InjectedFault
} from './helpers/fault-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import {
  accessFor,
  deleteManifest,
  getManifest,
  pushImage,
  type PushedImage
} from './helpers/seed.js'
import { skopeoInspectRawBytes } from './helpers/skopeo.js'

const RUNS = Number(process.env.SOAK_RUNS ?? 40)
const LANES = Number(process.env.SOAK_LANES ?? 4)
const RATE = 0.4
const PLATFORMS = 'linux/amd64, linux/arm64, windows(ltsc2019)/amd64, windows(ltsc2022)/amd64'

interface Lane {
  repo: string
  proxy: FaultProxy
  pushed: PushedImage[]
}

let registry: RunningRegistry
const lanes: Lane[] = []

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  const access = accessFor(registry)
  for (let n = 1; n <= LANES; n++) {
    const repo = `microsoft/retina/lane${n}/retina-agent`
    const proxy = await startFaultProxy(registry.url, { tokenTarget: registry.tokenServer!.url })
    const pushed: PushedImage[] = []
    lanes.push({ repo, proxy, pushed })
    pushed.push(
      await pushImage(access, repo, 'v0.0.31-linux-amd64', { os: 'linux', architecture: 'amd64' })
    )
    pushed.push(
      await pushImage(access, repo, 'v0.0.31-linux-arm64', { os: 'linux', architecture: 'arm64' })
    )
    pushed.push(
      await pushImage(access, repo, 'v0.0.31-windows-ltsc2019-amd64', {
        os: 'windows',
        architecture: 'amd64',
        osVersion: '10.0.17763.7009'
      })
    )
    pushed.push(
      await pushImage(access, repo, 'v0.0.31-windows-ltsc2022-amd64', {
        os: 'windows',
        architecture: 'amd64',
        osVersion: '10.0.20348.3453'
      })
    )
  }
}, 120_000)

afterAll(async () => {
  await Promise.all(lanes.map((lane) => lane.proxy.stop()))
  await registry?.stop()
})

describe('soak', () => {
  it(`${RUNS} seeded runs at ${RATE * 100}% faults all succeed with the same index`, async () => {
    const [username, password] = Object.entries(registry.users)[0]
    const creds = { username, password }
    // Stalls are held 1.5 s and then cut: with the default 30 s per-request timeout the client
    // sees a dropped connection (a dedicated test covers the timeout itself).
    const faults = ALL_FAULTS.map((f) => (f.kind === 'stall' ? { ...f, stallMs: 1500 } : f))
    const injected: InjectedFault[] = []
    let retries = 0
    const failures: string[] = []
    const runMs: number[] = []
    const started = Date.now()
    const soakLane = async (lane: Lane, laneIndex: number): Promise<void> => {
      const { proxy, repo, pushed } = lane
      let digest: string | undefined
      for (let seed = laneIndex + 1; seed <= RUNS; seed += LANES) {
        // Every other run starts from a deleted index, so creation is soaked as well as re-runs.
        proxy.configure({
          tokenTarget: registry.tokenServer!.url,
          random: { seed, rate: RATE, faults }
        })
        proxy.reset()
        const runStarted = Date.now()
        const run = await runAction(
          {
            images: `${proxy.host}/${repo}`,
            tag: 'v0.0.31',
            tags: 'latest',
            platforms: PLATFORMS,
            ...creds
          },
          { timeoutMs: 240_000 }
        )
        runMs.push(Date.now() - runStarted)
        injected.push(...proxy.injected)
        retries += (run.stdout.match(/^::debug::.*; try \d+ failed, next in /gm) ?? []).length
        if (run.code !== 0)
          failures.push(
            `seed ${seed}: exit ${run.code}: ${run.stdout
              .split('\n')
              .filter((l) => l.startsWith('::error'))
              .join(' | ')}`
          )
        digest ??= run.outputs.digest
        if (run.outputs.digest !== digest)
          failures.push(`seed ${seed}: digest ${run.outputs.digest}, expected ${digest}`)
        // Independent reads, straight from the registry (not through the faulty proxy).
        const stored = await skopeoInspectRawBytes(`${registry.host}/${repo}:v0.0.31`, creds)
        const latest = await getManifest(accessFor(registry), repo, 'latest')
        if (stored.digest !== digest || latest.digest !== digest) {
          failures.push(
            `seed ${seed}: tags hold ${stored.digest} / ${latest.digest}, expected ${digest}`
          )
        }
        const index = JSON.parse(stored.stdout.toString('utf8')) as {
          manifests: Array<{ digest: string }>
        }
        if (
          JSON.stringify(index.manifests.map((m) => m.digest)) !==
          JSON.stringify(pushed.map((p) => p.digest))
        ) {
          failures.push(`seed ${seed}: the index does not hold exactly the four images in order`)
        }
        if (seed % 2 === 0) {
          proxy.configure({ tokenTarget: registry.tokenServer!.url })
          await deleteIndex(repo, digest!)
        }
      }
    }
    await Promise.all(lanes.map((lane, i) => soakLane(lane, i)))
    const byKind: Record<string, number> = {}
    for (const f of injected)
      byKind[`${f.fault.kind}/${f.fault.phase} on ${f.method} ${f.kind}`] =
        (byKind[`${f.fault.kind}/${f.fault.phase} on ${f.method} ${f.kind}`] ?? 0) + 1
    const byFault: Record<string, number> = {}
    for (const f of injected)
      byFault[`${f.fault.kind}/${f.fault.phase}`] =
        (byFault[`${f.fault.kind}/${f.fault.phase}`] ?? 0) + 1
    console.log(
      [
        `soak: ${RUNS} runs in ${LANES} lanes, ${injected.length} faults injected, ${retries} failed tries retried, ${failures.length} failures`,
        `wall time ${((Date.now() - started) / 1000).toFixed(0)} s; per run: median ${(median(runMs) / 1000).toFixed(1)} s, longest ${(Math.max(...runMs) / 1000).toFixed(1)} s`,
        `faults by kind/phase: ${JSON.stringify(byFault)}`,
        `faults by request kind: ${JSON.stringify(byKind)}`
      ].join('\n')
    )
    expect(failures).toEqual([])
    // The soak really injected every fault kind in both phases.
    for (const fault of ALL_FAULTS)
      expect(byFault[`${fault.kind}/${fault.phase}`] ?? 0).toBeGreaterThan(0)
    expect(injected.length).toBeGreaterThan(RUNS * 2)
  }, 900_000)
})

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** Delete the index by digest (both tags go with it), straight on the registry, so the next run creates it. */
async function deleteIndex(repo: string, digest: string): Promise<void> {
  const res = await deleteManifest(accessFor(registry), repo, digest)
  if (res.status !== 202) throw new Error(`DELETE ${digest}: ${res.status} ${res.body}`)
}
