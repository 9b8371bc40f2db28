/**
 * GitHub's own local runner, `@github/local-action`, runs the Action (its TypeScript entry
 * point, with local-action's @actions/core) for the three uses of docs/design.md §1 and for
 * docker's push-by-digest merge, against the real registry with Basic auth, every
 * action.yml default filled in by the one runner emulation. local-action exits 0 whatever
 * the Action did, so each run is judged by its outputs and by what skopeo reads back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runLocalAction } from './helpers/local-action.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import {
  accessFor,
  getManifest,
  pushBuildxStyleIndex,
  pushImage,
  type RegistryAccess
} from './helpers/seed.js'
import { skopeoInspectPlatform, skopeoInspectRaw, type SkopeoCreds } from './helpers/skopeo.js'

let registry: RunningRegistry
let access: RegistryAccess
let creds: SkopeoCreds
let login: { username: string; password: string }

beforeAll(async () => {
  registry = await startRegistry({ auth: 'basic' })
  access = accessFor(registry)
  const [username, password] = Object.entries(registry.users)[0]
  login = { username, password }
  creds = { username, password }
})

afterAll(async () => {
  await registry?.stop()
})

const AMD64 = { os: 'linux', architecture: 'amd64' }
const ARM64 = { os: 'linux', architecture: 'arm64' }
const RUN_BOUND = 200_000

const digests = (index: { manifests: { digest: string }[] }): string[] =>
  index.manifests.map((m) => m.digest)

describe('@github/local-action runs the Action', () => {
  const repo = 'local/app'
  let amd64: string
  let arm64: string

  it(
    'release step: creates the index under the release tag (from GITHUB_REF_NAME) and latest',
    async () => {
      amd64 = (await pushImage(access, repo, 'v1.0.0-linux-amd64', AMD64)).digest
      arm64 = (await pushImage(access, repo, 'v1.0.0-linux-arm64', ARM64)).digest
      const run = await runLocalAction(
        { images: `${registry.host}/${repo}`, tags: 'latest', ...login },
        { env: { GITHUB_REF_NAME: 'v1.0.0' }, timeoutMs: RUN_BOUND }
      )
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('Running Action')
      expect(run.stdout).not.toContain('::error')
      expect(run.outputs.status).toBe('created')
      const index = await skopeoInspectRaw(`${registry.host}/${repo}:v1.0.0`, creds)
      expect(digests(index)).toEqual([amd64, arm64])
      const latest = await skopeoInspectRaw(`${registry.host}/${repo}:latest`, creds)
      expect(latest).toEqual(index)
      expect(JSON.parse(run.outputs.result).images[0].digest).toBe(run.outputs.digest)
    },
    RUN_BOUND + 10_000
  )

  it(
    're-run: the same step again changes nothing and says unchanged',
    async () => {
      const before = await skopeoInspectRaw(`${registry.host}/${repo}:v1.0.0`, creds)
      const run = await runLocalAction(
        { images: `${registry.host}/${repo}`, tags: 'latest', ...login },
        { env: { GITHUB_REF_NAME: 'v1.0.0' }, timeoutMs: RUN_BOUND }
      )
      expect(run.code).toBe(0)
      expect(run.outputs.status).toBe('unchanged')
      expect(await skopeoInspectRaw(`${registry.host}/${repo}:v1.0.0`, creds)).toEqual(before)
    },
    RUN_BOUND + 10_000
  )

  it(
    'workflow_dispatch repair of a past release: platforms auto, the tag given as an input on a run from main',
    async () => {
      const past = 'local/past'
      const a = (await pushImage(access, past, 'v0.9.0-linux-amd64', AMD64)).digest
      const b = (await pushImage(access, past, 'v0.9.0-linux-arm64', ARM64)).digest
      // An unrelated release's tag is not picked up.
      await pushImage(access, past, 'v0.9.1-linux-amd64', AMD64)
      const run = await runLocalAction(
        { images: `${registry.host}/${past}`, tag: 'v0.9.0', platforms: 'auto', ...login },
        { env: { GITHUB_REF_NAME: 'main', GITHUB_EVENT_NAME: 'workflow_dispatch' } }
      )
      expect(run.code).toBe(0)
      expect(run.outputs.status).toBe('created')
      const index = await skopeoInspectRaw(`${registry.host}/${past}:v0.9.0`, creds)
      expect(digests(index)).toEqual([a, b])
    },
    RUN_BOUND + 10_000
  )

  it(
    'a failing run still exits 0 under local-action: the outputs and the registry say it failed',
    async () => {
      const broken = 'local/broken'
      await pushImage(access, broken, 'v2.0.0-linux-amd64', AMD64)
      const run = await runLocalAction(
        { images: `${registry.host}/${broken}`, tag: 'v2.0.0', ...login },
        { timeoutMs: RUN_BOUND }
      )
      expect(run.code).toBe(0)
      expect(run.outputs.status).toBe('failed')
      expect(run.stdout).toMatch(/::error[^]*v2\.0\.0-linux-arm64 \(linux\/arm64\): not found/)
      expect((await getManifest(access, broken, 'v2.0.0')).status).toBe(404)
    },
    RUN_BOUND + 10_000
  )

  it(
    "push-by-digest merge: buildx digests from a build repository, metadata-action's tags and index: annotations",
    async () => {
      const build = 'local/merge-build'
      const target = `${registry.host}/local/merge`
      const x = await pushBuildxStyleIndex(access, build, null, AMD64)
      const y = await pushBuildxStyleIndex(access, build, null, ARM64)
      const run = await runLocalAction(
        {
          images: target,
          tag: '1.2.3',
          sources: [x, y].map((i) => `${registry.host}/${build}@${i.indexDigest}`).join('\n'),
          tags: [
            `${target}:1.2.3`,
            `${target}:1.2`,
            `${target}:latest`,
            'ghcr.io/o/merge:1.2.3'
          ].join('\n'),
          annotations:
            'index:org.opencontainers.image.version=1.2.3\nmanifest:org.opencontainers.image.version=1.2.3',
          ...login
        },
        { timeoutMs: RUN_BOUND }
      )
      expect(run.code).toBe(0)
      expect(run.stdout).not.toContain('::error')
      expect(run.outputs.status).toBe('created')
      const index = await skopeoInspectRaw(`${target}:1.2`, creds)
      expect(index.annotations).toEqual({ 'org.opencontainers.image.version': '1.2.3' })
      expect(digests(index)).toEqual(
        expect.arrayContaining([
          x.imageDigest,
          y.imageDigest,
          x.attestationDigest,
          y.attestationDigest
        ])
      )
      expect(index.manifests).toHaveLength(4)
      expect(
        await skopeoInspectPlatform(`${target}:latest`, 'linux', 'arm64', undefined, creds)
      ).toBe(y.imageDigest)
    },
    RUN_BOUND + 10_000
  )
})
