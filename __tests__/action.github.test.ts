/**
 * Releases as tags and the report issue, end to end: the bundle (dist/index.js) runs as a
 * runner runs it (runAction: every action.yml default filled in, github-token the job's), against the real registry and a
 * local stand-in for the GitHub REST API reached through GITHUB_API_URL (Octokit is the real
 * client). Set MAI_SHOW_CYCLE=1 to print the report's whole cycle from the full-cycle test.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { FAKE_GITHUB_TOKEN } from '../script/runner-env.js'
import { startGitHubApi, type GitHubApiStandIn, type ReleaseFixture } from './helpers/github-api.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { PROJECT_ROOT, runAction, type ActionRun } from './helpers/run-action.js'
import {
  MT,
  accessFor,
  getManifest,
  pushImage,
  putManifest,
  type ImageOptions,
  type PushedImage,
  type RegistryAccess
} from './helpers/seed.js'
import { skopeoInspectRaw } from './helpers/skopeo.js'

/** The job's token, as the runner emulation fills in action.yml's `${{ github.token }}`. */
const TOKEN = FAKE_GITHUB_TOKEN
const OWNER = 'octo'
const REPO = 'app'
const AMD64: ImageOptions = { os: 'linux', architecture: 'amd64' }
const ARM64: ImageOptions = { os: 'linux', architecture: 'arm64', variant: 'v8' }

let registry: RunningRegistry
let access: RegistryAccess
let api: GitHubApiStandIn | undefined

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' })
  access = accessFor(registry)
})

afterAll(async () => {
  await registry?.stop()
})

afterEach(async () => {
  await api?.stop()
  api = undefined
})

async function standIn(releases: ReleaseFixture[]): Promise<GitHubApiStandIn> {
  api = await startGitHubApi({ owner: OWNER, repo: REPO, token: TOKEN, releases })
  return api
}

/** Run the bundle as a runner in octo/app would, with the stand-in as the GitHub API. */
function runStep(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction(inputs, {
    env: {
      GITHUB_API_URL: api!.url,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_RUN_ID: '4242'
    }
  })
}

interface ResultRow {
  image: string
  tags: string[]
  status: string
  plannedAction?: string
  error?: string
}

function rows(run: ActionRun): ResultRow[] {
  return (JSON.parse(run.outputs.result) as { images: ResultRow[] }).images
}

/** `image:tag status` per row, with the image's repository path only. */
function table(run: ActionRun): string[] {
  return rows(run).map((r) => `${r.image.split('/').slice(1).join('/')}:${r.tags[0]} ${r.status}`)
}

/** The per-arch tags of one release. */
async function seedRelease(repo: string, tag: string, platforms: ImageOptions[]) {
  const pushed: PushedImage[] = []
  for (const p of platforms)
    pushed.push(await pushImage(access, repo, `${tag}-${p.os}-${p.architecture}`, p))
  return pushed
}

/** An index that names only some of the per-arch images (the arm64 leg finished too late). */
async function pushPartialIndex(
  repo: string,
  tag: string,
  images: PushedImage[],
  platforms: ImageOptions[]
) {
  const list = {
    schemaVersion: 2,
    mediaType: MT.dockerList,
    manifests: images.map((m, i) => ({
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.size,
      platform: {
        os: platforms[i].os,
        architecture: platforms[i].architecture,
        ...(platforms[i].variant ? { variant: platforms[i].variant } : {})
      }
    }))
  }
  await putManifest(access, repo, tag, MT.dockerList, Buffer.from(JSON.stringify(list)))
}

const apiCalls = (a: GitHubApiStandIn) =>
  a.requests.map((r) => `${r.method} ${r.path}${r.query.page ? `?page=${r.query.page}` : ''}`)

describe('releases as tags', () => {
  it('lists releases across pages, skips the draft, and works in publish, dry-run and verify', async () => {
    const a = await standIn([
      { tag_name: 'v1.3.0', draft: true },
      { tag_name: 'v1.2.0' },
      { tag_name: 'v1.2.0-rc.1', prerelease: true },
      { tag_name: 'v1.1.0' },
      { tag_name: 'v1.0.0' }
    ])
    const app = 'pages/app'
    const op = 'pages/op'
    for (const tag of ['v1.2.0', 'v1.2.0-rc.1', 'v1.1.0', 'v1.0.0']) {
      await seedRelease(app, tag, [AMD64, ARM64])
      await seedRelease(op, tag, [AMD64])
    }
    const images = `${registry.host}/${app}\n${registry.host}/${op} = linux/amd64`

    const published = await runStep({ images, releases: '3' })
    expect(published.stdout).toContain('releases: v1.2.0, v1.2.0-rc.1, v1.1.0 (skipped 1 draft(s))')
    expect(published.code).toBe(0)
    expect(table(published)).toEqual([
      'pages/app:v1.2.0 created',
      'pages/op:v1.2.0 created',
      'pages/app:v1.2.0-rc.1 created',
      'pages/op:v1.2.0-rc.1 created',
      'pages/app:v1.1.0 created',
      'pages/op:v1.1.0 created'
    ])
    // A page of 3 held a draft: the Link header's next page was read, and nothing else.
    expect(apiCalls(a)).toEqual([
      'GET /repos/octo/app/releases',
      'GET /repos/octo/app/releases?page=2'
    ])
    expect(a.requests.every((r) => r.authorized && r.query.per_page === '3')).toBe(true)
    expect((await skopeoInspectRaw(`${registry.host}/${app}:v1.1.0`)).manifests).toHaveLength(2)
    // The draft's tag was never touched.
    expect((await getManifest(access, app, 'v1.3.0')).status).toBe(404)

    const planned = await runStep({
      images,
      releases: '3',
      'include-prereleases': 'false',
      mode: 'dry-run'
    })
    expect(planned.code).toBe(0)
    expect(rows(planned).map((r) => `${r.tags[0]} ${r.plannedAction}`)).toEqual([
      'v1.2.0 nothing',
      'v1.2.0 nothing',
      'v1.1.0 nothing',
      'v1.1.0 nothing',
      'v1.0.0 create',
      'v1.0.0 create'
    ])
    expect((await getManifest(access, app, 'v1.0.0')).status).toBe(404)

    const verified = await runStep({ images, releases: '3', mode: 'verify' })
    expect(verified.code).toBe(0)
    expect(verified.outputs.status).toBe('verified')
    expect(rows(verified)).toHaveLength(6)
    // No issue was read or written: the report is opt-in.
    expect(a.requests.filter((r) => r.path.includes('/issues'))).toEqual([])
  })
})

describe('the report issue', () => {
  it('opens one issue naming the missing arm64, updates it, and closes it after the repair', async () => {
    const a = await standIn([{ tag_name: 'v2.1.0' }, { tag_name: 'v2.0.0' }])
    const app = 'cycle/app'
    const op = 'cycle/op'
    const images = `${registry.host}/${app}\n${registry.host}/${op} = linux/amd64`
    await seedRelease(app, 'v2.0.0', [AMD64, ARM64])
    await seedRelease(op, 'v2.0.0', [AMD64])
    await seedRelease(op, 'v2.1.0', [AMD64])
    expect((await runStep({ images, tag: 'v2.0.0' })).code).toBe(0)
    expect(
      (await runStep({ images: `${registry.host}/${op} = linux/amd64`, tag: 'v2.1.0' })).code
    ).toBe(0)
    // v2.1.0 of app: both per-arch tags are there, its index names amd64 only.
    const [amd64, arm64] = await seedRelease(app, 'v2.1.0', [AMD64, ARM64])
    expect(arm64).toBeDefined()
    await pushPartialIndex(app, 'v2.1.0', [amd64], [AMD64])

    const check = { images, releases: '2', mode: 'verify', 'report-issue': 'true' }
    const transcript: string[] = []
    const note = (label: string, run: ActionRun) =>
      transcript.push(
        `--- ${label}: exit ${run.code}, status ${run.outputs.status}`,
        ...run.stdout.split('\n').filter((l) => /^(releases:|report-issue:|::error)/.test(l))
      )

    const broken = await runStep(check)
    note('verify (broken)', broken)
    expect(broken.code).toBe(1)
    expect(table(broken)).toEqual([
      'cycle/app:v2.1.0 failed',
      'cycle/op:v2.1.0 verified',
      'cycle/app:v2.0.0 verified',
      'cycle/op:v2.0.0 verified'
    ])
    expect(broken.stdout).toContain('report-issue: opened issue #1')
    expect(broken.summary).toContain(
      '**Report issue:** `opened issue #1 https://github.example/octo/app/issues/1`'
    )
    expect(a.issues).toHaveLength(1)
    const [issue] = a.issues
    expect(issue.labels).toEqual(['multiarch-index'])
    expect(issue.title).toBe('multiarch-index: 1 release without a complete image index (v2.1.0)')
    expect(issue.body).toContain(`has no entry for linux/arm64`)
    expect(issue.body).toContain(
      `gh workflow run repair.yml -f version=v2.1.0 -f images=${registry.host}/${app}`
    )
    expect(issue.body).toContain('https://github.example/octo/app/actions/runs/4242')
    expect(issue.body).toContain('found 1 of 4 image × release indexes')
    transcript.push('--- issue #1 as opened:', issue.title, issue.body)

    const again = await runStep(check)
    note('verify (still broken)', again)
    expect(again.code).toBe(1)
    expect(again.stdout).toContain('report-issue: updated issue #1')
    expect(a.issues).toHaveLength(1)
    expect(
      a.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues'))
    ).toHaveLength(1)
    expect(a.history).toEqual([
      'opened #1 "multiarch-index: 1 release without a complete image index (v2.1.0)" labels multiarch-index',
      'updated #1 "multiarch-index: 1 release without a complete image index (v2.1.0)"'
    ])

    // The repair: publish with platforms auto over the same releases (the bulk repair).
    const repair = await runStep({ images, releases: '2', platforms: 'auto' })
    note('publish, platforms auto (repair)', repair)
    expect(repair.code).toBe(0)
    expect(table(repair)).toEqual([
      'cycle/app:v2.1.0 updated',
      'cycle/op:v2.1.0 unchanged',
      'cycle/app:v2.0.0 unchanged',
      'cycle/op:v2.0.0 unchanged'
    ])
    const repaired = await skopeoInspectRaw(`${registry.host}/${app}:v2.1.0`)
    expect(repaired.manifests.map((m: { digest: string }) => m.digest)).toEqual([
      amd64.digest,
      arm64.digest
    ])

    const fixed = await runStep(check)
    note('verify (repaired)', fixed)
    expect(fixed.code).toBe(0)
    expect(fixed.outputs.status).toBe('verified')
    expect(fixed.stdout).toContain('report-issue: closed issue #1')
    expect(issue.state).toBe('closed')
    expect(issue.state_reason).toBe('completed')
    expect(issue.comments).toEqual([
      expect.stringMatching(
        /^\[this run\]\(https:\/\/github\.example\/octo\/app\/actions\/runs\/4242\) \(verify, .* UTC\) found all 4 image × release indexes complete\. Closing\.$/
      )
    ])

    // Everything complete and nothing open: one read, no write.
    const before = a.requests.length
    const quiet = await runStep(check)
    note('verify (all well, nothing open)', quiet)
    expect(quiet.code).toBe(0)
    expect(apiCalls(a).slice(before)).toEqual([
      'GET /repos/octo/app/releases',
      'GET /repos/octo/app/issues'
    ])
    transcript.push('--- the stand-in API, in order:', ...a.history)
    if (process.env.MAI_SHOW_CYCLE === '1') console.log(transcript.join('\n'))
  })
})

describe('GitHub API errors never hide the verification result', () => {
  it('403 without issues: write: the broken release is reported, then the permission is named', async () => {
    const a = await standIn([{ tag_name: 'v3.0.0' }])
    a.setIssuesWritable(false)
    await seedRelease('errs/app', 'v3.0.0', [AMD64, ARM64])
    const run = await runStep({
      images: `${registry.host}/errs/app`,
      releases: '1',
      mode: 'verify',
      'report-issue': 'true'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(rows(run)[0].error).toMatch(
      /errs\/app:v3\.0\.0 does not exist: the index was never pushed/
    )
    expect(run.summary).toContain('errs/app')
    expect(run.stdout).toMatch(
      /::error title=multiarch-index%3A .*errs\/app%3Av3\.0\.0::.*does not exist/
    )
    expect(run.stdout).toContain(
      '::error title=multiarch-index%3A issue report::report-issue: GitHub API refused opening the report issue (HTTP 403: Resource not accessible by integration): the token needs `permissions: issues: write` in the workflow or job'
    )
    expect(run.summary).toContain('**Report issue failed:** ``GitHub API refused opening')
    expect(a.issues).toEqual([])
  })

  it('a secondary rate limit (429, retry-after) on the report leaves the step verified, and says when to retry', async () => {
    const a = await standIn([{ tag_name: 'v3.1.0' }])
    await seedRelease('errs/ok', 'v3.1.0', [AMD64, ARM64])
    expect((await runStep({ images: `${registry.host}/errs/ok`, tag: 'v3.1.0' })).code).toBe(0)
    a.addFault({
      method: 'GET',
      path: /\/issues$/,
      status: 429,
      headers: { 'retry-after': '30' },
      body: { message: 'You have exceeded a secondary rate limit.' }
    })
    const run = await runStep({
      images: `${registry.host}/errs/ok`,
      releases: '1',
      mode: 'verify',
      'report-issue': 'true'
    })
    expect(run.outputs.status).toBe('verified')
    expect(table(run)).toEqual(['errs/ok:v3.1.0 verified'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      "report-issue: GitHub API secondary rate limit while looking for the open issue labelled 'multiarch-index' (HTTP 429: You have exceeded a secondary rate limit.): retry after 30 s"
    )
  })

  it('a primary rate limit (403, x-ratelimit-reset) on the releases list says when it resets; no registry request', async () => {
    const a = await standIn([{ tag_name: 'v3.2.0' }])
    const reset = Math.floor(Date.now() / 1000) + 600
    a.addFault({
      method: 'GET',
      path: /\/releases$/,
      status: 403,
      headers: {
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset)
      },
      body: { message: 'API rate limit exceeded for installation.' }
    })
    const run = await runStep({
      images: `${registry.host}/errs/none`,
      releases: '1',
      mode: 'verify'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.stdout).toContain(
      `::error::GitHub API rate limit reached while listing the releases of octo/app (HTTP 403: API rate limit exceeded for installation.): it resets at ${new Date(reset * 1000).toISOString()}`
    )
    expect(run.stdout).toContain('(nothing was sent to any registry)')
  })

  it('releases with tag is refused before any request, naming the input', async () => {
    const a = await standIn([{ tag_name: 'v1' }])
    const run = await runStep({ images: `${registry.host}/errs/none`, releases: '1', tag: 'v1' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      "::error::input 'tag': cannot be combined with releases: the releases name the tags (nothing was sent to any registry)"
    )
    expect(a.requests).toEqual([])
  })
})

describe('lazy loading', () => {
  /** The files dist/index.js loads at start: itself and its static imports, transitively. */
  function startupFiles(): string[] {
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const text = readFileSync(join(PROJECT_ROOT, 'dist', file), 'utf8')
      // Paths are relative to the importing file (chunks live in dist/chunks/).
      const near = (path: string) => posix.join(posix.dirname(file), path)
      for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"\.\/([^"]+)"/gm))
        visit(near(m[1]))
      for (const m of text.matchAll(/^import\s*"\.\/([^"]+)"/gm)) visit(near(m[1]))
    }
    visit('index.js')
    return [...seen]
  }

  it('Octokit is not in anything a plain run loads; it is in the chunk the releases run imports', () => {
    const files = startupFiles()
    for (const file of files)
      expect([
        file,
        readFileSync(join(PROJECT_ROOT, 'dist', file), 'utf8').includes('@octokit')
      ]).toEqual([file, false])
    // Of the chunks those files import on demand, one holds Octokit.
    const lazy = files.flatMap((file) =>
      [
        ...readFileSync(join(PROJECT_ROOT, 'dist', file), 'utf8').matchAll(
          /import\("\.\/([^"]+)"\)/g
        )
      ].map((m) => posix.join(posix.dirname(file), m[1]))
    )
    const withOctokit = lazy.filter((file) =>
      readFileSync(join(PROJECT_ROOT, 'dist', file), 'utf8').includes('octokit')
    )
    expect(withOctokit).toHaveLength(1)
  })
})
