/**
 * The Action (dist/index.js, run as a runner runs it) against the registries people push to,
 * emulated: the real registry behind ./helpers/quirk-proxy.ts with one quirk of
 * docs/registry-quirks.md switched on per case. Every quirk that touches what the Action does goes
 * through the three uses (publish, re-run, verify) and `platforms: auto`; the refusals are
 * checked for the error a user needs and for nothing written. One registry (token auth) for
 * the file; one proxy per case; cases run concurrently.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startQuirkProxy, type QuirkProxy, type Quirks } from './helpers/quirk-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction, type ActionRun } from './helpers/run-action.js'
import {
  accessFor,
  getManifest,
  pushImage,
  sha256Digest,
  type RegistryAccess
} from './helpers/seed.js'
import { skopeoInspectRaw } from './helpers/skopeo.js'

let registry: RunningRegistry
let access: RegistryAccess
let username = ''
let password = ''
const proxies: QuirkProxy[] = []
/**
 * Bound on one concurrent case. Jest counts a concurrent test's time from the start of the
 * batch, queueing included, and each case is up to five Action runs (each bounded by
 * runAction's own 60 s); on a loaded 2-core machine the last case may start minutes late.
 */
const CASE_TIMEOUT_MS = 600_000

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  ;[username, password] = Object.entries(registry.users)[0] ?? ['', '']
  access = accessFor(registry)
})

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()))
  await registry?.stop()
})

async function quirkProxy(quirks: Quirks): Promise<QuirkProxy> {
  const proxy = await startQuirkProxy(registry.url, registry.tokenServer?.url, quirks)
  proxies.push(proxy)
  return proxy
}

/** Per-arch images of releases v1 and v2 (Retina's tag scheme), pushed straight to the registry. */
async function seedReleases(repo: string, format: 'docker' | 'oci' = 'docker'): Promise<void> {
  for (const release of ['v1', 'v2']) {
    for (const architecture of ['amd64', 'arm64']) {
      await pushImage(access, repo, `${release}-linux-${architecture}`, {
        os: 'linux',
        architecture,
        format
      })
    }
  }
}

function inputs(
  proxy: QuirkProxy,
  repo: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return { images: `${proxy.host}/${repo}`, tag: 'v1', username, password, ...extra }
}

function ok(run: ActionRun, status: string): void {
  expect(run.stdout).not.toContain('::error')
  expect(run.code).toBe(0)
  expect(run.outputs.status).toBe(status)
}

function failed(run: ActionRun): string {
  expect(run.code).toBe(1)
  expect(run.outputs.status).toBe('failed')
  const result = JSON.parse(run.outputs.result) as { images: Array<{ error: string }> }
  return result.images[0].error
}

/** What the registry itself holds under a tag (read past the proxy, by the independent reader). */
async function held(repo: string, tag: string): Promise<string | undefined> {
  const got = await getManifest(access, repo, tag)
  return got.status === 200 ? sha256Digest(got.body) : undefined
}

interface Uses {
  publish: ActionRun
  rerun: ActionRun
  verify: ActionRun
  auto: ActionRun
}

/** Publish v1, publish it again, verify it, then repair v2 with `platforms: auto`. */
async function threeUsesAndAuto(
  proxy: QuirkProxy,
  repo: string,
  extra: Record<string, string> = {}
): Promise<Uses> {
  const publish = await runAction(inputs(proxy, repo, extra))
  ok(publish, 'created')
  expect(await held(repo, 'v1')).toBe(publish.outputs.digest)
  const rerun = await runAction(inputs(proxy, repo, extra))
  ok(rerun, 'unchanged')
  expect(rerun.outputs.digest).toBe(publish.outputs.digest)
  const verify = await runAction(inputs(proxy, repo, { ...extra, mode: 'verify' }))
  ok(verify, 'verified')
  expect(verify.outputs.digest).toBe(publish.outputs.digest)
  const auto = await runAction(inputs(proxy, repo, { ...extra, tag: 'v2', platforms: 'auto' }))
  ok(auto, 'created')
  const v2 = await held(repo, 'v2')
  expect(v2).toBe(auto.outputs.digest)
  const index = JSON.parse((await getManifest(access, repo, 'v2')).body.toString('utf8')) as {
    manifests: Array<{ platform: { architecture: string } }>
  }
  expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64'])
  return { publish, rerun, verify, auto }
}

// Not the first contact's 401 (the challenge that tells the scheme).
const tagRequests = (proxy: QuirkProxy) =>
  proxy.requests.filter((r) => r.kind === 'tags' && r.status !== 401)

interface Case {
  name: string
  quirks: Quirks
  format?: 'docker' | 'oci'
  /** What the quirk must have been seen to do, so the case cannot pass with the switch off. */
  check: (proxy: QuirkProxy, uses: Uses) => void
  /** More to do after the uses (on this case's repository). */
  after?: (proxy: QuirkProxy, repo: string, uses: Uses) => Promise<void>
}

const IMMUTABLE_RULES = {
  ecr: "ECR's tag immutability",
  harbor: 'Harbor tag immutability rule',
  gar: 'Artifact Registry',
  acr: 'ACR: write-enabled is false'
} as const

/** A rebuilt amd64 image makes v1's index another one: moving the immutable tag must fail. */
async function moveImmutableTag(
  proxy: QuirkProxy,
  repo: string,
  uses: Uses,
  rule: string
): Promise<void> {
  await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
  const error = failed(await runAction(inputs(proxy, repo)))
  expect(error).toContain(`${proxy.host}/${repo}:v1 is immutable on this registry`)
  expect(error).toContain(rule)
  expect(error).toContain(`it holds ${uses.publish.outputs.digest}, not the new index`)
  expect(await held(repo, 'v1')).toBe(uses.publish.outputs.digest)
}

const CASES: Case[] = [
  {
    name: 'row 16 (GCR): 401 without WWW-Authenticate, the challenge only on /v2/',
    quirks: { challengeOnlyOnPing: true },
    check: (proxy) => {
      expect(proxy.requests.some((r) => r.kind === 'ping')).toBe(true)
      expect(proxy.requests.some((r) => r.kind === 'token' && r.status === 200)).toBe(true)
    }
  },
  {
    name: 'row 21 (Gitea, GitLab): a challenge without service or scope',
    quirks: { bareChallenge: true },
    check: (proxy) => expect(proxy.requests.some((r) => r.kind === 'token')).toBe(true)
  },
  {
    name: 'row 22: a token server that answers access_token only',
    quirks: { accessTokenOnly: true },
    check: (proxy) => expect(proxy.requests.some((r) => r.kind === 'token')).toBe(true)
  },
  {
    name: 'row 33 (Artifactory): HEAD of a missing tag answers 403',
    quirks: { forbiddenMissingTag: true },
    check: (proxy) =>
      expect(proxy.requests.some((r) => r.method === 'HEAD' && r.status === 403)).toBe(true)
  },
  {
    name: 'rows 35 and 33 (ECR historic, Artifactory): no Docker-Content-Digest, HEAD as octet-stream',
    quirks: { noContentDigest: true },
    check: (proxy) =>
      expect(proxy.requests.some((r) => r.method === 'HEAD' && r.kind === 'manifest')).toBe(true)
  },
  {
    name: 'row 34 (Harbor): HEAD and GET lengths differ, 404s coded UNKNOWN',
    quirks: { harborManifestAnswers: true },
    check: (proxy) => expect(proxy.requests.some((r) => r.status === 404)).toBe(true)
  },
  {
    name: 'row 36: a manifest PUT answered 200, not 201',
    quirks: { putAnswers200: true },
    check: (proxy) =>
      expect(proxy.requests.some((r) => r.method === 'PUT' && r.status === 200)).toBe(true)
  },
  {
    name: 'row 38 (GHCR, ECR Public, Docker Hub): a fresh tag reads 404 for a while',
    quirks: { readAfterWriteLag: 2 },
    check: (proxy) =>
      expect(
        proxy.requests.filter((r) => r.kind === 'manifest' && r.status === 404).length
      ).toBeGreaterThanOrEqual(2)
  },
  ...(['ecr', 'harbor', 'gar', 'acr'] as const).map((flavour): Case => ({
    name: `rows 2-4: immutable tags as ${flavour} refuses them; moving one fails naming the rule`,
    quirks: { immutableTags: flavour },
    // The re-run reads the tag first and writes nothing, so the registry never refuses it.
    check: (proxy) =>
      expect(
        proxy.requests.filter((r) => r.method === 'PUT' && r.kind === 'manifest')
      ).toHaveLength(2),
    after: (proxy, repo, uses) => moveImmutableTag(proxy, repo, uses, IMMUTABLE_RULES[flavour])
  })),
  {
    name: 'rows 6-8 (distribution 3.1.0, ECR, Quay): a tags page size above the bound is a 400',
    quirks: { tagsMaxPageSize: 100 },
    check: (proxy) => expect(tagRequests(proxy).map((r) => r.status)).toEqual([400, 200])
  },
  {
    name: 'row 9 (ACR): relative Link with an extra orderby parameter',
    quirks: { tagsLinkExtraParam: true },
    check: (proxy) => {
      expect(tagRequests(proxy).length).toBeGreaterThan(2)
      expect(tagRequests(proxy).some((r) => r.path.includes('orderby='))).toBe(true)
    }
  },
  {
    name: 'row 10 (Gitea): a Link on the last page too',
    quirks: { tagsLinkOnLastPage: true },
    check: (proxy) => expect(tagRequests(proxy).length).toBeGreaterThan(2)
  },
  {
    name: 'row 8 (Quay 2016-2022): opaque next_page tokens',
    quirks: { tagsOpaqueNextPage: true },
    check: (proxy) =>
      expect(tagRequests(proxy).some((r) => r.path.includes('next_page='))).toBe(true)
  },
  {
    name: 'row 11 (gcr.io): extra manifest and child fields in the tag list',
    quirks: { tagsExtraFields: true },
    check: (proxy) => expect(tagRequests(proxy)).toHaveLength(1)
  },
  {
    name: 'row 12 (Artifactory): digests listed as tags',
    quirks: { tagsDigestsAsTags: true },
    // Not tag names (distribution-spec grammar): dropped from the listing unread, and counted.
    check: (_proxy, uses) => {
      const result = JSON.parse(uses.auto.outputs.result) as {
        images: Array<{ discovery: { invalidTags?: number } }>
      }
      // One digest per tag of the repository: 4 per-arch tags and the v1 index.
      expect(result.images[0].discovery.invalidTags).toBe(5)
    }
  }
]

describe('each quirk: publish, re-run, verify and platforms: auto through dist/index.js', () => {
  it.concurrent.each(CASES.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const slug = c.name
        .replace(/[^a-z0-9]+/gi, '-')
        .toLowerCase()
        .slice(0, 60)
      const repo = `quirks/${slug.replace(/^-+|-+$/g, '')}`
      await seedReleases(repo, c.format)
      const proxy = await quirkProxy(c.quirks)
      const uses = await threeUsesAndAuto(proxy, repo)
      c.check(proxy, uses)
      await c.after?.(proxy, repo, uses)
    },
    CASE_TIMEOUT_MS
  )
})

describe('refusals: a clear error and nothing written', () => {
  it.concurrent(
    'row 31 (zot): a Docker list refused with 415 names media-type: oci; with it the three uses pass',
    async () => {
      const repo = 'quirks/zot-docker-types'
      await seedReleases(repo)
      const proxy = await quirkProxy({ refuseDockerTypes: true })
      const refused = await runAction(inputs(proxy, repo))
      const error = failed(refused)
      expect(error).toContain('415 MANIFEST_INVALID')
      expect(error).toContain('set the input media-type: oci')
      expect(await held(repo, 'v1')).toBeUndefined()
      const uses = await threeUsesAndAuto(proxy, repo, { 'media-type': 'oci' })
      expect(JSON.parse(uses.publish.outputs.result).images[0].mediaType).toBe(
        'application/vnd.oci.image.index.v1+json'
      )
    },
    CASE_TIMEOUT_MS
  )

  it.concurrent(
    'row 30 (Quay without OCI support): an OCI index refused names media-type: docker; the default (a Docker list) passes',
    async () => {
      const repo = 'quirks/quay-oci-gated'
      await seedReleases(repo)
      const proxy = await quirkProxy({ refuseOciIndex: true })
      const refused = await runAction(inputs(proxy, repo, { 'media-type': 'oci' }))
      const error = failed(refused)
      expect(error).toContain('400 MANIFEST_INVALID')
      expect(error).toContain('set the input media-type: docker')
      expect(await held(repo, 'v1')).toBeUndefined()
      const uses = await threeUsesAndAuto(proxy, repo)
      expect(JSON.parse(uses.publish.outputs.result).images[0].mediaType).toBe(
        'application/vnd.docker.distribution.manifest.list.v2+json'
      )
    },
    CASE_TIMEOUT_MS
  )

  it.concurrent(
    'row 13 (Docker Hub): a token for any scope, then the PUT refused with DENIED: one try, a clear error, nothing written',
    async () => {
      const repo = 'quirks/hub-denied'
      await seedReleases(repo)
      const proxy = await quirkProxy({ denyPushAfterToken: true })
      const run = await runAction(inputs(proxy, repo))
      const error = failed(run)
      expect(error).toContain('401 DENIED')
      expect(error).toContain(`the token does not grant repository:${repo}:pull,push`)
      expect(proxy.requests.filter((r) => r.method === 'PUT')).toHaveLength(1)
      expect(await held(repo, 'v1')).toBeUndefined()
    },
    CASE_TIMEOUT_MS
  )
})

describe('row 37 (Docker Hub): pull-limit headers', () => {
  it.concurrent(
    'what is left goes into the result and the summary; the tag reads are HEADs',
    async () => {
      const repo = 'quirks/hub-rate-limit'
      await seedReleases(repo)
      const proxy = await quirkProxy({ rateLimit: { limit: 100 } })
      ok(await runAction(inputs(proxy, repo)), 'created')
      const before = proxy.pulls()
      const rerun = await runAction(inputs(proxy, repo))
      ok(rerun, 'unchanged')
      // A pull per per-arch image read; the target tag is read with a HEAD, which is no pull.
      expect(proxy.pulls() - before).toBe(2)
      const result = JSON.parse(rerun.outputs.result) as {
        images: Array<{ rateLimit: { limit: number; remaining: number; windowSeconds: number } }>
      }
      expect(result.images[0].rateLimit).toEqual({
        limit: 100,
        remaining: 100 - proxy.pulls(),
        windowSeconds: 21600
      })
      expect(rerun.summary).toContain(`**Pull limit:** ${100 - proxy.pulls()} of 100 per 6h left`)
      const index = await skopeoInspectRaw(`${registry.host}/${repo}:v1`, { username, password })
      expect(index.manifests).toHaveLength(2)
    },
    CASE_TIMEOUT_MS
  )
})
