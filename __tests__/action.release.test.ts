/**
 * Repair at scale on real registries: Retina's whole v0.0.31 release in one step,
 * discovery of the platforms from a repository's tags, and sources in another repository
 * and another registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import {
  accessFor,
  getManifest,
  pushImage,
  type ImageOptions,
  type RegistryAccess
} from './helpers/seed.js'
import { skopeoInspectPlatform, skopeoInspectRaw } from './helpers/skopeo.js'
import { makeTempDir, removeDir } from './helpers/util.js'

let registry: RunningRegistry
let proxy: FaultProxy
let access: RegistryAccess

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' })
  proxy = await startFaultProxy(registry.url)
  access = accessFor(registry)
})

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
})

const LINUX: ImageOptions[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' }
]
const WINDOWS_2019: ImageOptions = {
  os: 'windows',
  architecture: 'amd64',
  osVersion: '10.0.17763.7009'
}
const WINDOWS_2022: ImageOptions = {
  os: 'windows',
  architecture: 'amd64',
  osVersion: '10.0.20348.3453'
}

function suffix(p: ImageOptions): string {
  const release = p.osVersion?.includes('.17763')
    ? '-ltsc2019'
    : p.osVersion?.includes('.20348')
      ? '-ltsc2022'
      : ''
  return `${p.os}${release}-${p.architecture}`
}

describe('the whole Retina v0.0.31 release in one step', () => {
  const components = (prefix: string) => [
    {
      repo: `${prefix}/retina-agent`,
      platforms: [...LINUX, WINDOWS_2019, WINDOWS_2022],
      list: 'linux/amd64, linux/arm64, windows(ltsc2019)/amd64, windows(ltsc2022)/amd64'
    },
    { repo: `${prefix}/retina-init`, platforms: LINUX, list: 'linux/amd64, linux/arm64' },
    { repo: `${prefix}/retina-operator`, platforms: [LINUX[0]], list: 'linux/amd64' },
    { repo: `${prefix}/retina-shell`, platforms: LINUX, list: 'linux/amd64, linux/arm64' },
    { repo: `${prefix}/kubectl-retina`, platforms: LINUX, list: 'linux/amd64, linux/arm64' }
  ]

  async function seed(prefix: string, skip?: string) {
    const images: string[] = []
    for (const c of components(prefix)) {
      for (const p of c.platforms) {
        const tag = `v0.0.31-${suffix(p)}`
        if (`${c.repo}:${tag}` !== skip) await pushImage(access, c.repo, tag, p)
      }
      images.push(`${proxy.host}/${c.repo} = ${c.list}`)
    }
    return images.join('\n')
  }

  it('creates all five indexes, then reports five unchanged', async () => {
    const images = await seed('rel1/microsoft/retina')
    const run = await runAction({ images, tag: 'v0.0.31' })
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    const result = JSON.parse(run.outputs.result)
    expect(result.images.map((i: { status: string }) => i.status)).toEqual(Array(5).fill('created'))
    expect(result.images.map((i: { platforms: unknown[] }) => i.platforms.length)).toEqual([
      4, 2, 1, 2, 2
    ])
    expect(run.outputs.digest).toBe(result.images[0].digest)
    for (const c of components('rel1/microsoft/retina')) {
      const index = await skopeoInspectRaw(`${registry.host}/${c.repo}:v0.0.31`)
      expect(index.manifests).toHaveLength(c.platforms.length)
    }
    // One log group per image, never interleaved.
    const groups = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('::group::') || l.startsWith('::endgroup::'))
    expect(groups).toHaveLength(10)
    groups.forEach((line, i) =>
      expect(line.startsWith(i % 2 === 0 ? '::group::' : '::endgroup::')).toBe(true)
    )

    proxy.reset()
    const again = await runAction({ images, tag: 'v0.0.31' })
    expect(again.code).toBe(0)
    expect(again.outputs.status).toBe('unchanged')
    expect(
      JSON.parse(again.outputs.result).images.map((i: { status: string }) => i.status)
    ).toEqual(Array(5).fill('unchanged'))
    expect(proxy.counts()['PUT manifest'] ?? 0).toBe(0)
  })

  it("with one image's arm64 tag missing, the other four are published and the step fails naming the tag", async () => {
    const prefix = 'rel2/microsoft/retina'
    const images = await seed(prefix, `${prefix}/retina-shell:v0.0.31-linux-arm64`)
    const run = await runAction({ images, tag: 'v0.0.31' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    const result = JSON.parse(run.outputs.result)
    expect(result.images.map((i: { status: string }) => i.status)).toEqual([
      'created',
      'created',
      'created',
      'failed',
      'created'
    ])
    expect(result.images[3].error).toContain(
      `${proxy.host}/${prefix}/retina-shell:v0.0.31-linux-arm64 (linux/arm64): not found`
    )
    expect(run.stdout).toMatch(/::error title=multiarch-index%3A .*retina-shell%3Av0.0.31::/)
    expect((await getManifest(access, `${prefix}/retina-shell`, 'v0.0.31')).status).toBe(404)
    expect((await getManifest(access, `${prefix}/kubectl-retina`, 'v0.0.31')).status).toBe(200)
  })
})

describe('platforms: auto (discovery for repair)', () => {
  it('finds exactly the pushed platforms among unrelated and cosign tags, across pages', async () => {
    const repo = 'disc/retina-agent'
    const agent = [LINUX[0], LINUX[1], WINDOWS_2022]
    const pushed: Record<string, string> = {}
    for (const p of agent)
      pushed[suffix(p)] = (await pushImage(access, repo, `v0.0.31-${suffix(p)}`, p)).digest
    // Other versions, unrelated tags, and cosign's signature/attestation/SBOM tags.
    const noise = [
      'v0.0.30-linux-amd64',
      'v0.0.30-linux-arm64',
      'v0.0.31-rc1-linux-amd64',
      'latest',
      'main',
      `sha256-${'a'.repeat(64)}.sig`,
      `sha256-${'b'.repeat(64)}.att`,
      `sha256-${'c'.repeat(64)}.sbom`,
      `sha256-${'d'.repeat(64)}`
    ]
    for (const tag of noise) await pushImage(access, repo, tag, LINUX[0])
    proxy.configure({ paginateTags: 4 })
    proxy.reset()
    try {
      const run = await runAction({
        images: `${proxy.host}/${repo}`,
        tag: 'v0.0.31',
        platforms: 'auto'
      })
      expect(run.stdout).not.toContain('::error')
      expect(run.code).toBe(0)
      // 12 tags at 4 per page: the Link headers were followed.
      expect(proxy.requests.filter((r) => r.kind === 'tags').length).toBe(3)
      const result = JSON.parse(run.outputs.result)
      const image = result.images[0]
      expect(
        image.platforms.map((p: { platform: string; digest: string }) => [p.platform, p.digest])
      ).toEqual([
        ['linux/amd64', pushed['linux-amd64']],
        ['linux/arm64', pushed['linux-arm64']],
        ['windows(10.0.20348.3453)/amd64', pushed['windows-ltsc2022-amd64']]
      ])
      expect(image.discovery.found.map((f: { tag: string }) => f.tag)).toEqual([
        'v0.0.31-linux-amd64',
        'v0.0.31-linux-arm64',
        'v0.0.31-windows-ltsc2022-amd64'
      ])
      const ignored = Object.fromEntries(
        image.discovery.ignored.map((g: { why: string; count: number }) => [g.why, g.count])
      )
      expect(ignored['a cosign signature, attestation or SBOM tag']).toBe(4)
      expect(
        ignored["not a per-platform tag of v0.0.31 under '{tag}-{os}{-release}-{arch}{-variant}'"]
      ).toBe(5)
      expect(run.summary).toContain('Discovered (platforms: auto)')
      expect(run.summary).toContain('cosign signature')
    } finally {
      proxy.configure({})
    }
  })
})

describe('sources in another repository and another registry', () => {
  let second: RunningRegistry

  beforeAll(async () => {
    second = await startRegistry({ auth: 'token' })
  })

  afterAll(async () => {
    await second?.stop()
  })

  it('copies the children into the target repository, then the index resolves for every platform', async () => {
    const amd64 = await pushImage(access, 'legacy/app-amd64', 'v1', LINUX[0])
    const [user, password] = Object.entries(second.users)[0]
    const arm64 = await pushImage(accessFor(second), 'mirror/app-arm64', 'v1', LINUX[1])
    const run = await runAction(
      {
        images: `${registry.host}/legacy/app`,
        tag: 'v1',
        sources: `${registry.host}/legacy/app-amd64:v1, ${second.host}/mirror/app-arm64:v1`
      },
      { env: { DOCKER_CONFIG: await dockerConfigFor(second.host, user, password) } }
    )
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /legacy\/app-amd64@sha256:[0-9a-f]+ → .*legacy\/app: blobs 2 mounted; manifest put by digest/
    )
    expect(run.stdout).toMatch(
      /mirror\/app-arm64@sha256:[0-9a-f]+ → .*legacy\/app: blobs 2 copied; manifest put by digest/
    )
    const ref = `${registry.host}/legacy/app:v1`
    expect(await skopeoInspectPlatform(ref, 'linux', 'amd64')).toBe(amd64.digest)
    expect(await skopeoInspectPlatform(ref, 'linux', 'arm64')).toBe(arm64.digest)
    // The children now live in the target repository itself.
    for (const digest of [amd64.digest, arm64.digest]) {
      expect((await getManifest(access, 'legacy/app', digest)).status).toBe(200)
    }
    // A re-run copies nothing and writes nothing.
    const again = await runAction(
      {
        images: `${registry.host}/legacy/app`,
        tag: 'v1',
        sources: `${registry.host}/legacy/app-amd64:v1, ${second.host}/mirror/app-arm64:v1`
      },
      { env: { DOCKER_CONFIG: await dockerConfigFor(second.host, user, password) } }
    )
    expect(again.outputs.status).toBe('unchanged')
    expect(again.stdout).not.toContain('manifest put by digest')
  })
})

const configDirs: string[] = []
afterAll(async () => {
  for (const dir of configDirs) await removeDir(dir)
})

/** A DOCKER_CONFIG directory whose config.json has Basic credentials for `host`. */
async function dockerConfigFor(host: string, user: string, password: string): Promise<string> {
  const dir = await makeTempDir('dockercfg')
  configDirs.push(dir)
  const auth = Buffer.from(`${user}:${password}`).toString('base64')
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }))
  return dir
}
