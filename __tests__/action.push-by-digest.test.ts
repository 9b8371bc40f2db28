/**
 * Docker's "distribute the build across runners" merge, done by this Action on the real
 * registry (dist/index.js through the one runner emulation, so every action.yml default is
 * filled in as a runner fills it): per-arch jobs push by digest (buildx
 * `push-by-digest=true`), the merge step gets the digests as `sources`, docker/metadata-action's
 * `tags` output (full references, possibly for a second registry) as `tags`, and its
 * `annotations` output (`index:` keys) as `annotations`. skopeo reads back what was pushed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { PROJECT_ROOT } from '../script/runner-env.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import {
  accessFor,
  getManifest,
  pushBuildxStyleIndex,
  pushImage,
  type RegistryAccess
} from './helpers/seed.js'
import { skopeoInspectPlatform, skopeoInspectRaw } from './helpers/skopeo.js'

let registry: RunningRegistry
let access: RegistryAccess

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' })
  access = accessFor(registry)
})

afterAll(async () => {
  await registry?.stop()
})

const AMD64 = { os: 'linux', architecture: 'amd64' }
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' }

/** docker/metadata-action's `tags` output for `images: <target>, ghcr.io/o/app` at 1.2.3. */
function metadataTags(target: string): string {
  return [
    `${target}:1.2.3`,
    `${target}:1.2`,
    `${target}:latest`,
    'ghcr.io/o/app:1.2.3',
    'ghcr.io/o/app:1.2',
    'ghcr.io/o/app:latest'
  ].join('\n')
}

describe('push-by-digest merge', () => {
  it('same repository: image digests as sources, with every action.yml default present', async () => {
    const repo = 'pbd/same'
    const amd64 = await pushImage(access, repo, null, AMD64)
    const arm64 = await pushImage(access, repo, null, ARM64)
    const target = `${registry.host}/${repo}`
    const run = await runAction({
      images: target,
      tag: '1.2.3',
      sources: `${target}@${amd64.digest}\n${target}@${arm64.digest}`
    })
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    const index = await skopeoInspectRaw(`${target}:1.2.3`)
    expect(index.manifests.map((m: { digest: string }) => m.digest)).toEqual([
      amd64.digest,
      arm64.digest
    ])
    expect(await skopeoInspectPlatform(`${target}:1.2.3`, 'linux', 'arm64', 'v8')).toBe(
      arm64.digest
    )
  })

  it("digests in a build repository; metadata-action's tags for two registries: this registry's are pushed, the other's set aside with a notice", async () => {
    const build = 'pbd/app-build'
    const amd64 = await pushImage(access, build, null, AMD64)
    const arm64 = await pushImage(access, build, null, ARM64)
    const target = `${registry.host}/pbd/app`
    const inputs = {
      images: target,
      tag: '1.2.3',
      sources: [amd64, arm64].map((i) => `${registry.host}/${build}@${i.digest}`).join('\n'),
      tags: metadataTags(target)
    }
    const run = await runAction(inputs)
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    expect(run.stdout).toMatch(
      /::notice::input 'tags': the tags for ghcr\.io\/o\/app were set aside/
    )
    const result = JSON.parse(run.outputs.result)
    expect(result.images[0].tags).toEqual(['1.2.3', '1.2', 'latest'])
    for (const tag of ['1.2.3', '1.2', 'latest']) {
      const raw = await skopeoInspectRaw(`${target}:${tag}`)
      expect(raw.manifests.map((m: { digest: string }) => m.digest)).toEqual([
        amd64.digest,
        arm64.digest
      ])
    }
    // The children were copied into the target repository.
    for (const digest of [amd64.digest, arm64.digest])
      expect((await getManifest(access, 'pbd/app', digest)).status).toBe(200)

    const again = await runAction(inputs)
    expect(again.code).toBe(0)
    expect(again.outputs.status).toBe('unchanged')
  })

  it("buildx-style digests (index of image + attestation): the images go in, their attestations are kept; metadata-action's index: annotations are applied", async () => {
    const repo = 'pbd/buildx'
    const amd64 = await pushBuildxStyleIndex(access, repo, null, AMD64)
    const arm64 = await pushBuildxStyleIndex(access, repo, null, ARM64)
    const target = `${registry.host}/${repo}`
    const run = await runAction({
      images: target,
      tag: '1.2.3',
      sources: `${target}@${amd64.indexDigest}\n${target}@${arm64.indexDigest}`,
      tags: metadataTags(target),
      annotations: [
        'manifest:org.opencontainers.image.version=1.2.3',
        'index:org.opencontainers.image.version=1.2.3',
        'index:org.opencontainers.image.source=https://github.com/o/app'
      ].join('\n')
    })
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    expect(run.stdout).toMatch(/::notice::input 'annotations': 1 annotation\(s\)/)
    const index = await skopeoInspectRaw(`${target}:latest`)
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(index.annotations).toEqual({
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.source': 'https://github.com/o/app'
    })
    const entries = index.manifests.map(
      (m: { digest: string; annotations?: Record<string, string> }) => ({
        digest: m.digest,
        references: m.annotations?.['vnd.docker.reference.digest']
      })
    )
    expect(entries).toEqual(
      expect.arrayContaining([
        { digest: amd64.imageDigest, references: undefined },
        { digest: arm64.imageDigest, references: undefined },
        { digest: amd64.attestationDigest, references: amd64.imageDigest },
        { digest: arm64.attestationDigest, references: arm64.imageDigest }
      ])
    )
    expect(entries).toHaveLength(4)
    expect(await skopeoInspectPlatform(`${target}:1.2.3`, 'linux', 'amd64')).toBe(amd64.imageDigest)
    expect(await skopeoInspectPlatform(`${target}:1.2`, 'linux', 'arm64', 'v8')).toBe(
      arm64.imageDigest
    )
  })
})

/**
 * The merge step of examples/push-by-digest.yml, its `with:` as written, with each
 * expression replaced by what the earlier steps give (metadata-action's outputs in its own
 * formats, the digest list the example's shell step prints).
 */
function exampleMergeInputs(values: Record<string, string>): Record<string, string> {
  const workflow = parse(readFileSync(join(PROJECT_ROOT, 'examples/push-by-digest.yml'), 'utf8'))
  const steps = workflow.jobs.merge.steps as { uses?: string; with?: Record<string, string> }[]
  const step = steps.find((s) => s.uses?.startsWith('multiarch-index/multiarch-index@'))
  if (!step?.with) throw new Error('examples/push-by-digest.yml: no multiarch-index step')
  return Object.fromEntries(
    Object.entries(step.with).map(([name, text]) => [
      name,
      String(text).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
        const value = values[expression]
        if (value === undefined) throw new Error(`no value for \${{ ${expression} }}`)
        return value
      })
    ])
  )
}

describe('examples/push-by-digest.yml', () => {
  it('its merge step, with the outputs its earlier steps give, publishes on the real registry', async () => {
    const repo = 'pbd/example'
    const target = `${registry.host}/${repo}`
    const amd64 = await pushBuildxStyleIndex(access, repo, null, AMD64)
    const arm64 = await pushBuildxStyleIndex(access, repo, null, ARM64)
    const inputs = exampleMergeInputs({
      'env.IMAGE': target,
      'steps.meta.outputs.version': '1.2.3',
      'steps.digests.outputs.sources': `${target}@${amd64.indexDigest}\n${target}@${arm64.indexDigest}`,
      'steps.meta.outputs.tags': `${target}:1.2.3\n${target}:1.2`,
      'steps.meta.outputs.annotations': [
        'index:org.opencontainers.image.created=2026-12-01T21:00:00.000Z',
        'index:org.opencontainers.image.version=1.2.3'
      ].join('\n')
    })
    expect(Object.keys(inputs).sort()).toEqual(
      ['annotations', 'images', 'sources', 'tag', 'tags', 'wait-timeout'].sort()
    )
    const run = await runAction(inputs)
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    const index = await skopeoInspectRaw(`${target}:1.2`)
    expect(index.annotations['org.opencontainers.image.version']).toBe('1.2.3')
    expect(index.manifests).toHaveLength(4)
    expect(await skopeoInspectPlatform(`${target}:1.2.3`, 'linux', 'arm64', 'v8')).toBe(
      arm64.imageDigest
    )
  })
})
