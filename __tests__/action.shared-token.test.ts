/**
 * One token request per registry for a step with many images (src/registry/transport/auth.ts
 * shareScopes), on the real registry with the test token server: distribution checks each
 * request against the token's `access` claim, so a token that did not grant a repository
 * would be refused here as on Docker Hub or ghcr.io.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import { accessFor, pushImage, type RegistryAccess } from './helpers/seed.js'
import { skopeoInspectRaw } from './helpers/skopeo.js'

let registry: RunningRegistry
let proxy: CountingProxy
let access: RegistryAccess

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  proxy = await startCountingProxy(registry.url)
  access = accessFor(registry)
})

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
})

const PLATFORMS: Array<[string, string, string?]> = [
  ['linux', 'amd64'],
  ['linux', 'arm64'],
  ['linux', 'arm', 'v7'],
  ['linux', 's390x']
]

/** Seeds `count` repositories under `prefix` with the per-arch images of v1. */
async function seed(prefix: string, count: number): Promise<string[]> {
  const repos = Array.from({ length: count }, (_, i) => `${prefix}/image-${i + 1}`)
  for (const repo of repos)
    await Promise.all(
      PLATFORMS.map(([os, architecture, variant]) =>
        pushImage(access, repo, `v1-${os}-${architecture}${variant ? `-${variant}` : ''}`, {
          os,
          architecture,
          ...(variant ? { variant } : {})
        })
      )
    )
  return repos
}

function inputs(repos: string[]): Record<string, string> {
  const [username, password] = Object.entries(registry.users)[0]
  return {
    images: repos.map((r) => `${proxy.host}/${r}`).join('\n'),
    platforms: PLATFORMS.map(
      ([os, arch, variant]) => `${os}/${arch}${variant ? `/${variant}` : ''}`
    ).join(','),
    tag: 'v1',
    tags: 'latest',
    username,
    password
  }
}

describe('a release of many images on one registry', () => {
  it('40 images × 4 platforms × 2 tags: one token request for all 40 repositories', async () => {
    const repos = await seed('many', 40)
    proxy.reset()
    const before = registry.tokenServer!.requests.length
    const run = await runAction(inputs(repos), { timeoutMs: 120_000 })
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    const result = JSON.parse(run.outputs.result)
    expect(result.images.map((i: { status: string }) => i.status)).toEqual(
      Array(40).fill('created')
    )
    const tokenRequests = registry.tokenServer!.requests.slice(before)
    expect(tokenRequests).toHaveLength(1)
    expect(new Set(tokenRequests[0].scopes)).toEqual(
      new Set(repos.map((r) => `repository:${r}:pull,push`))
    )
    // The request plan is otherwise what it was: per image 2 tag reads, 4 manifests, 4
    // configs, 2 PUTs, 2 confirming reads; plus the first challenge.
    const counts = proxy.counts()
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    expect(counts['PUT manifest']).toBe(80)
    expect(total).toBe(40 * 14 + 1)
    // An independent reader sees both tags of the last image as the 4-platform index.
    for (const tag of ['v1', 'latest']) {
      const index = await skopeoInspectRaw(`${registry.host}/${repos[39]}:${tag}`, {
        username: Object.keys(registry.users)[0],
        password: Object.values(registry.users)[0]
      })
      expect(index.manifests).toHaveLength(4)
    }
  })

  it('a token server that grants only the first scope: each other repository gets its own token', async () => {
    const repos = await seed('first-only', 3)
    registry.tokenServer!.setGrant((scopes) => scopes.slice(0, 1))
    try {
      const before = registry.tokenServer!.requests.length
      const run = await runAction(inputs(repos))
      expect(run.stdout).not.toContain('::error')
      expect(run.code).toBe(0)
      expect(
        JSON.parse(run.outputs.result).images.map((i: { status: string }) => i.status)
      ).toEqual(['created', 'created', 'created'])
      const scopes = registry.tokenServer!.requests.slice(before).map((r) => r.scopes)
      // One shared request; the two repositories its token does not name ask for their own.
      expect(scopes[0]).toHaveLength(3)
      expect(
        scopes
          .slice(1)
          .map((s) => s.join(' '))
          .sort()
      ).toEqual(
        repos
          .filter((r) => `repository:${r}:pull,push` !== scopes[0][0])
          .map((r) => `repository:${r}:pull,push`)
          .sort()
      )
    } finally {
      registry.tokenServer!.setGrant(undefined)
    }
  })
})
