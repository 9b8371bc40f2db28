/**
 * "Is the release out?" at a glance, on the real registry: a five-image release (Retina's
 * components) run through dist/index.js as a runner runs it. The job summary is rendered as
 * GitHub renders it (GFM, GitHub's allowlist) and read as text; skopeo reads what every tag
 * holds. With one image's arm64 missing, the four complete release tags are written and
 * every `latest` stays on the previous release.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction, type ActionRun } from './helpers/run-action.js'
import { accessFor, pushImage, type ImageOptions, type RegistryAccess } from './helpers/seed.js'
import { skopeoInspectRawBytes } from './helpers/skopeo.js'
import { renderGfm, tableRows } from './helpers/gfm.js'

let registry: RunningRegistry
let access: RegistryAccess

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' })
  access = accessFor(registry)
})

afterAll(async () => {
  await registry?.stop()
})

const LINUX: ImageOptions[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' }
]
const WINDOWS_2022: ImageOptions = {
  os: 'windows',
  architecture: 'amd64',
  osVersion: '10.0.20348.3453'
}
const suffix = (p: ImageOptions) => `${p.os}${p.osVersion ? '-ltsc2022' : ''}-${p.architecture}`

function components(prefix: string) {
  return [
    {
      name: 'retina-agent',
      platforms: [...LINUX, WINDOWS_2022],
      list: 'linux/amd64, linux/arm64, windows(ltsc2022)/amd64'
    },
    { name: 'retina-init', platforms: LINUX, list: 'linux/amd64, linux/arm64' },
    { name: 'retina-operator', platforms: [LINUX[0]], list: 'linux/amd64' },
    { name: 'retina-shell', platforms: LINUX, list: 'linux/amd64, linux/arm64' },
    { name: 'kubectl-retina', platforms: LINUX, list: 'linux/amd64, linux/arm64' }
  ].map((c) => ({ ...c, repo: `${prefix}/${c.name}` }))
}

/** Push every per-arch image of `tag` (built at `created`), except `skip` (`repo:tag`). */
async function seed(prefix: string, tag: string, created: string, skip?: string) {
  for (const c of components(prefix))
    for (const p of c.platforms) {
      const t = `${tag}-${suffix(p)}`
      if (`${c.repo}:${t}` !== skip) await pushImage(access, c.repo, t, { ...p, created })
    }
}

function imagesInput(prefix: string): string {
  return components(prefix)
    .map((c) => `${registry.host}/${c.repo} = ${c.list}`)
    .join('\n')
}

/** What a tag holds, read by skopeo (undefined when it does not exist). */
async function holds(repo: string, tag: string): Promise<string | undefined> {
  try {
    return (await skopeoInspectRawBytes(`${registry.host}/${repo}:${tag}`)).digest
  } catch {
    return undefined
  }
}

interface Result {
  images: {
    image: string
    status: string
    digest?: string
    tagResults: {
      tag: string
      change: string
      previousDigest?: string | null
      digest?: string | null
      older?: string
    }[]
  }[]
  heldBack?: string[]
}

function result(run: ActionRun): Result {
  return JSON.parse(run.outputs.result) as Result
}

/** Every run: no listener warning on stderr however many requests were in flight. */
function noListenerWarning(run: ActionRun) {
  expect(run.stderr).not.toContain('MaxListenersExceededWarning')
}

describe('a five-image release as a reader sees it', () => {
  const prefix = 'sum/microsoft/retina'
  const comps = components(prefix)
  const latestBefore = new Map<string, string | undefined>()

  it('created: the headline, one row per image, the full digests visible', async () => {
    await seed(prefix, 'v0.0.31', '2026-11-02T10:00:00Z')
    const run = await runAction({ images: imagesInput(prefix), tag: 'v0.0.31', tags: 'latest' })
    noListenerWarning(run)
    expect(run.code).toBe(0)
    const { tree, text } = renderGfm(run.summary)
    expect(text.split('\n')[0]).toBe('✅ v0.0.31: 5 of 5 images published (5 created)')
    const rows = tableRows(tree, 0)
    expect(rows.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual(
      comps.map((c) => [c.name, '✅ created', 'v0.0.31 created\nlatest created'])
    )
    for (const image of result(run).images) {
      expect(text).toContain(`${image.image}@${image.digest}`)
      expect(image.tagResults.map((t) => [t.tag, t.change, t.previousDigest])).toEqual([
        ['v0.0.31', 'created', null],
        ['latest', 'created', null]
      ])
    }
    for (const c of comps) latestBefore.set(c.repo, await holds(c.repo, 'latest'))
  })

  it('verify: every image verified', async () => {
    const run = await runAction({ images: imagesInput(prefix), tag: 'v0.0.31', mode: 'verify' })
    noListenerWarning(run)
    expect(run.code).toBe(0)
    const { tree, text } = renderGfm(run.summary)
    expect(text.split('\n')[0]).toBe('✅ v0.0.31: 5 of 5 images verified')
    expect(
      tableRows(tree, 0)
        .slice(1)
        .map((r) => r[1])
    ).toEqual(Array(5).fill('🔍 verified'))
  })

  it('one arm64 missing: four release tags written, every latest held back where it was', async () => {
    await seed(
      prefix,
      'v0.0.32',
      '2026-11-30T10:00:00Z',
      `${prefix}/kubectl-retina:v0.0.32-linux-arm64`
    )
    const run = await runAction({ images: imagesInput(prefix), tag: 'v0.0.32', tags: 'latest' })
    noListenerWarning(run)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    // The registry, read by skopeo: no latest moved; the complete images have v0.0.32.
    for (const c of comps) {
      expect(await holds(c.repo, 'latest')).toBe(latestBefore.get(c.repo))
      const release = await holds(c.repo, 'v0.0.32')
      if (c.name === 'kubectl-retina') expect(release).toBeUndefined()
      else expect(release).toMatch(/^sha256:/)
    }
    const doc = result(run)
    expect(doc.heldBack).toEqual(
      comps
        .filter((c) => c.name !== 'kubectl-retina')
        .map((c) => `${registry.host}/${c.repo}:latest`)
    )
    const kubectl = doc.images.find((i) => i.image.endsWith('/kubectl-retina'))!
    expect(kubectl.tagResults.map((t) => [t.tag, t.change, t.digest])).toEqual([
      ['v0.0.32', 'not-written', null],
      ['latest', 'not-written', latestBefore.get(`${prefix}/kubectl-retina`)]
    ])
    expect(run.stdout).toMatch(
      /::error::1 of 5 image\(s\) failed: .*kubectl-retina; the release v0\.0\.32 is incomplete: latest was held back/
    )

    const { tree, text } = renderGfm(run.summary)
    expect(text.split('\n')[0]).toBe(
      '❌ v0.0.32: 4 of 5 images published, 1 failed; latest held back'
    )
    expect(text).toContain(
      'The release is incomplete (kubectl-retina failed), so latest stayed where it was on every image'
    )
    const rows = tableRows(tree, 0).slice(1)
    expect(rows[0].slice(0, 4)).toEqual(['kubectl-retina', '❌ failed', '—', '1 of 2 found'])
    expect(rows.slice(1).map((r) => [r[1], r[4]])).toEqual(
      Array(4).fill(['✅ created', 'v0.0.32 created\nlatest held back'])
    )
    expect(text).toContain(
      `Next step: push ${registry.host}/${prefix}/kubectl-retina:v0.0.32-linux-arm64, then re-run this job`
    )
    expect(text).toMatch(/linux\/amd64\tv0\.0\.32-linux-amd64\t✅ found\tsha256:[0-9a-f]{64}/)
    expect(text).toContain('linux/arm64\tv0.0.32-linux-arm64\t❌ not found')
    for (const c of comps.filter((c) => c.name !== 'kubectl-retina'))
      expect(text).toContain(
        `held back (the release is incomplete): still holds ${latestBefore.get(c.repo)}`
      )
  })

  it('dry-run of the repair, then the update: latest moves, from → to with the previous digest', async () => {
    await pushImage(access, `${prefix}/kubectl-retina`, 'v0.0.32-linux-arm64', {
      ...LINUX[1],
      created: '2026-11-30T11:00:00Z'
    })
    await pushImage(access, `${prefix}/retina-agent`, 'v0.0.32-linux-amd64', {
      ...LINUX[0],
      created: '2026-11-30T12:00:00Z'
    })
    const dry = await runAction({
      images: imagesInput(prefix),
      tag: 'v0.0.32',
      tags: 'latest',
      mode: 'dry-run'
    })
    noListenerWarning(dry)
    expect(dry.code).toBe(0)
    const planned = renderGfm(dry.summary)
    expect(planned.text.split('\n')[0]).toBe(
      '📝 v0.0.32 (dry-run): 5 of 5 images ready to publish (1 would be created, 1 would be updated, 3 already published); nothing was written'
    )
    expect(
      tableRows(planned.tree, 0)
        .slice(1)
        .map((r) => r[1])
    ).toEqual([
      '📝 planned: would update',
      '📝 planned: already published',
      '📝 planned: already published',
      '📝 planned: already published',
      '📝 planned: would create'
    ])

    const run = await runAction({ images: imagesInput(prefix), tag: 'v0.0.32', tags: 'latest' })
    noListenerWarning(run)
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('updated')
    const doc = result(run)
    for (const [i, c] of comps.entries()) {
      const image = doc.images[i]
      expect(await holds(c.repo, 'latest')).toBe(image.digest)
      expect(image.tagResults[1]).toMatchObject({
        tag: 'latest',
        change: 'moved',
        previousDigest: latestBefore.get(c.repo),
        digest: image.digest
      })
    }
    const { tree, text } = renderGfm(run.summary)
    expect(text.split('\n')[0]).toBe(
      '✅ v0.0.32: 5 of 5 images published (1 created, 1 updated, 3 unchanged)'
    )
    expect(
      tableRows(tree, 0)
        .slice(1)
        .map((r) => [r[0], r[1], r[4]])
    ).toEqual([
      ['retina-agent', '🔄 updated', 'v0.0.32 moved\nlatest moved'],
      ['retina-init', '☑️ unchanged', 'v0.0.32 unchanged\nlatest moved'],
      ['retina-operator', '☑️ unchanged', 'v0.0.32 unchanged\nlatest moved'],
      ['retina-shell', '☑️ unchanged', 'v0.0.32 unchanged\nlatest moved'],
      ['kubectl-retina', '✅ created', 'v0.0.32 created\nlatest moved']
    ])
    expect(text).toContain(
      `moved from ${latestBefore.get(`${prefix}/retina-init`)} to ${doc.images[1].digest}`
    )
    expect(text).toContain('✏️ new image')
  })

  it('a dry-run that would take latest back to v0.0.31 calls it out', async () => {
    const dry = await runAction({
      images: imagesInput(prefix),
      tag: 'v0.0.31',
      tags: 'latest',
      mode: 'dry-run'
    })
    expect(dry.code).toBe(0)
    const older = result(dry).images.map((i) => i.tagResults[1])
    expect(
      older.every(
        (t) =>
          t.change === 'would-move' &&
          /built 2026-11-02T10:00:00Z, the one it replaces 2026-11-30T1\d:00:00Z/.test(
            t.older ?? ''
          )
      )
    ).toBe(true)
    const { text } = renderGfm(dry.summary)
    expect(text.split('\n')[0]).toBe(
      '📝 v0.0.31 (dry-run): 5 of 5 images ready to publish (5 already published); latest (5 images) would move back to an older index; nothing was written'
    )
  })
})

describe('floating-tags: each', () => {
  it('moves latest on every complete image at once, as asked', async () => {
    const prefix = 'each/o'
    await pushImage(access, `${prefix}/a`, 'v1-linux-amd64', LINUX[0])
    await pushImage(access, `${prefix}/b`, 'v1-linux-amd64', LINUX[0])
    const images = [
      `${registry.host}/${prefix}/a = linux/amd64`,
      `${registry.host}/${prefix}/b`
    ].join('\n')
    const run = await runAction({ images, tag: 'v1', tags: 'latest', 'floating-tags': 'each' })
    expect(run.code).toBe(1)
    const doc = result(run)
    expect(doc.heldBack).toBeUndefined()
    expect(await holds(`${prefix}/a`, 'latest')).toBe(doc.images[0].digest)
    expect(await holds(`${prefix}/b`, 'latest')).toBeUndefined()
    expect(renderGfm(run.summary).text.split('\n')[0]).toBe(
      '❌ v1: 1 of 2 images published, 1 failed'
    )
  })
})
