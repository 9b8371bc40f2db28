/**
 * Soak: 40 seeded runs of the Retina publish (four platforms, two tags, token auth) through
 * a proxy that injects a fault into 20% of requests — every fault kind, both phases, every
 * request kind, token requests included. With the Action's default settings every run must
 * succeed, skopeo must read back the same complete index, and no run may leave a tag
 * pointing at a partial or different index.
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
const RATE = 0.2
const REPO = 'microsoft/retina/retina-agent'
const PLATFORMS = 'linux/amd64, linux/arm64, windows(ltsc2019)/amd64, windows(ltsc2022)/amd64'

let registry: RunningRegistry
let proxy: FaultProxy
const pushed: PushedImage[] = []

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  // Stalls are held 1.5 s and then cut: with the default 30 s per-request timeout the client
  // sees a dropped connection (a dedicated test covers the timeout itself).
  proxy = await startFaultProxy(registry.url, { tokenTarget: registry.tokenServer!.url })
  const access = accessFor(registry)
  pushed.push(
    await pushImage(access, REPO, 'v0.0.31-linux-amd64', { os: 'linux', architecture: 'amd64' })
  )
  pushed.push(
    await pushImage(access, REPO, 'v0.0.31-linux-arm64', { os: 'linux', architecture: 'arm64' })
  )
  pushed.push(
    await pushImage(access, REPO, 'v0.0.31-windows-ltsc2019-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.17763.7009'
    })
  )
  pushed.push(
    await pushImage(access, REPO, 'v0.0.31-windows-ltsc2022-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.3453'
    })
  )
}, 60_000)

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
})

describe('soak', () => {
  it(`${RUNS} seeded runs at ${RATE * 100}% faults all succeed with the same index`, async () => {
    const [username, password] = Object.entries(registry.users)[0]
    const creds = { username, password }
    const faults = ALL_FAULTS.map((f) => (f.kind === 'stall' ? { ...f, stallMs: 1500 } : f))
    const injected: InjectedFault[] = []
    let retries = 0
    let digest: string | undefined
    const failures: string[] = []
    for (let seed = 1; seed <= RUNS; seed++) {
      // Every other run starts from a deleted index, so creation is soaked as well as re-runs.
      proxy.configure({
        tokenTarget: registry.tokenServer!.url,
        random: { seed, rate: RATE, faults }
      })
      proxy.reset()
      const run = await runAction(
        {
          images: `${proxy.host}/${REPO}`,
          tag: 'v0.0.31',
          tags: 'latest',
          platforms: PLATFORMS,
          ...creds
        },
        { timeoutMs: 120_000 }
      )
      injected.push(...proxy.injected)
      retries += (run.stdout.match(/; retry \d+ of \d+ in /g) ?? []).length
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
      const stored = await skopeoInspectRawBytes(`${registry.host}/${REPO}:v0.0.31`, creds)
      const latest = await getManifest(accessFor(registry), REPO, 'latest')
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
        await deleteIndex(digest!)
      }
    }
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
        `soak: ${RUNS} runs, ${injected.length} faults injected, ${retries} retries logged, ${failures.length} failures`,
        `faults by kind/phase: ${JSON.stringify(byFault)}`,
        `faults by request kind: ${JSON.stringify(byKind)}`
      ].join('\n')
    )
    expect(failures).toEqual([])
    // The soak really injected every fault kind in both phases.
    for (const fault of ALL_FAULTS)
      expect(byFault[`${fault.kind}/${fault.phase}`] ?? 0).toBeGreaterThan(0)
    expect(injected.length).toBeGreaterThan(RUNS * 2)
  }, 480_000)
})

/** Delete the index by digest (both tags go with it), straight on the registry, so the next run creates it. */
async function deleteIndex(digest: string): Promise<void> {
  const res = await deleteManifest(accessFor(registry), REPO, digest)
  if (res.status !== 202) throw new Error(`DELETE ${digest}: ${res.status} ${res.body}`)
}
