/**
 * The GitHub face's pure parts: the GitHub-only inputs (and that action.yml, the shared
 * input list and these agree), the release selection, the report issue's body (escaped: a
 * release or registry text cannot mention, link, inject HTML or break the table), the
 * open/update/close decision, and the messages for GitHub API errors.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { marked } from 'marked'
import { parse } from 'yaml'
import { describeApiError, type GitHubApi, type ReportIssue } from '../../src/action/github-api.js'
import {
  GITHUB_DEFAULTS,
  GITHUB_INPUT_NAMES,
  parseGitHubOptions
} from '../../src/action/github-inputs.js'
import {
  issueBody,
  repairCommand,
  repairImageLines,
  reportToIssue,
  type RunOutcome
} from '../../src/action/issue-report.js'
import { newestReleases } from '../../src/action/releases.js'
import { codeCell, neutralise, shellWord } from '../../src/action/untrusted-text.js'
import { INPUT_NAMES } from '../../src/publish/options.js'

const ENV = { GITHUB_REPOSITORY: 'octo/app' }
const TOKEN = { 'github-token': 'ghs_x' }

describe('GitHub-only inputs', () => {
  const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }

  it('action.yml holds exactly the shared inputs and these, with the same defaults', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      [...INPUT_NAMES, ...GITHUB_INPUT_NAMES].sort()
    )
    for (const name of GITHUB_INPUT_NAMES) {
      expect({ name, default: action.inputs[name].default }).toEqual({
        name,
        default: (GITHUB_DEFAULTS as Record<string, string>)[name]
      })
    }
  })

  it('with every default filled in, nothing is switched on and nothing is needed', () => {
    expect(parseGitHubOptions({ ...GITHUB_DEFAULTS }, {}, {})).toEqual({})
  })

  it('releases: a count from 1 to 100, the repository from GITHUB_REPOSITORY', () => {
    expect(parseGitHubOptions({ ...GITHUB_DEFAULTS, releases: '5' }, TOKEN, ENV)).toEqual({
      releases: { count: 5, includePrereleases: true },
      repository: { owner: 'octo', repo: 'app' }
    })
    expect(
      parseGitHubOptions(
        { ...GITHUB_DEFAULTS, releases: '2', 'include-prereleases': 'false' },
        TOKEN,
        ENV
      ).releases
    ).toEqual({ count: 2, includePrereleases: false })
    for (const bad of ['0', '101', 'five', '-1', '1.5']) {
      expect(() => parseGitHubOptions({ releases: bad }, TOKEN, ENV)).toThrow(
        /input 'releases': .* is not a number from 1 to 100/
      )
    }
  })

  it('releases refuses tag, tags and sources, naming the input', () => {
    const r = { ...GITHUB_DEFAULTS, releases: '3' }
    expect(() => parseGitHubOptions(r, { ...TOKEN, tag: 'v1' }, ENV)).toThrow(/input 'tag'/)
    expect(() => parseGitHubOptions(r, { ...TOKEN, tags: 'latest' }, ENV)).toThrow(
      /input 'tags': .*latest would be moved to every release/
    )
    expect(() => parseGitHubOptions(r, { ...TOKEN, sources: 'a/b:c' }, ENV)).toThrow(
      /input 'sources'/
    )
  })

  it('needs the token and the repository only when used', () => {
    expect(() => parseGitHubOptions({ releases: '1' }, {}, ENV)).toThrow(
      /input 'github-token': is empty; releases reads/
    )
    expect(() => parseGitHubOptions({ 'report-issue': 'true' }, TOKEN, {})).toThrow(
      /environment variable 'GITHUB_REPOSITORY'/
    )
    expect(() => parseGitHubOptions({ 'report-issue': 'yes' }, TOKEN, ENV)).toThrow(
      /input 'report-issue': 'yes' is not true or false/
    )
    expect(() =>
      parseGitHubOptions({ 'report-issue': 'true', 'report-label': 'a,b' }, TOKEN, ENV)
    ).toThrow(/input 'report-label'/)
    expect(() =>
      parseGitHubOptions({ 'report-issue': 'true', 'repair-workflow': '../x.yml' }, TOKEN, ENV)
    ).toThrow(/input 'repair-workflow'/)
    expect(
      parseGitHubOptions({ ...GITHUB_DEFAULTS, 'report-issue': 'TRUE' }, TOKEN, ENV).report
    ).toEqual({ label: 'multiarch-index', repairWorkflow: 'repair.yml' })
  })
})

describe('untrusted text', () => {
  it('one line; no workflow command can start', () => {
    const line = neutralise('::error::x\r\n##[warning]y\n::notice::z')
    expect(line).not.toMatch(/[\r\n]|##\[|^\s*::/)
  })

  it('a code cell outlasts backticks and escapes the cell separator', () => {
    expect(codeCell('a`b``c|d')).toBe('```a`b``c\\|d```')
  })

  it('a shell word keeps $(...), quotes and globs as text', () => {
    expect(shellWord('v1.2.3')).toBe('v1.2.3')
    expect(shellWord("x'$(rm -rf ~)*")).toBe(`'x'\\''$(rm -rf ~)*'`)
  })
})

const HOSTILE_RELEASE = 'v1|<img src=x onerror=alert(1)>@octocat`#1'
const OUTCOME: RunOutcome = {
  broken: [
    {
      release: HOSTILE_RELEASE,
      image: 'ghcr.io/octo/app',
      error:
        'ghcr.io/octo/app:v1 is not a complete index:\n  - has no entry for linux/arm64 <b>@team</b> ::error::x',
      imageLine: 'ghcr.io/octo/app = linux/amd64, linux/arm64'
    },
    {
      release: 'v0.9.0',
      image: 'ghcr.io/octo/op',
      error: 'ghcr.io/octo/op:v0.9.0 does not exist',
      imageLine: 'ghcr.io/octo/op'
    },
    {
      release: 'v0.9.0',
      image: 'ghcr.io/octo/app',
      error: 'ghcr.io/octo/app:v0.9.0 does not exist',
      imageLine: 'ghcr.io/octo/app = linux/amd64, linux/arm64'
    }
  ],
  checked: 6,
  mode: 'verify',
  runUrl: 'https://github.com/octo/app/actions/runs/1',
  now: new Date('2026-12-01T21:30:00Z')
}
const REPORT = { label: 'multiarch-index', repairWorkflow: 'repair.yml' }

describe('the report issue body', () => {
  const body = issueBody(OUTCOME, REPORT)
  const html = marked.parse(body, { async: false })

  it('one table row per broken image × release; every registry or release text in code', () => {
    const rows = html.split('<tbody>')[1].split('</tbody>')[0].match(/<tr>/g)
    expect(rows).toHaveLength(3)
    // No live HTML or mention from the hostile texts: every '@' and '<' of theirs is in <code>.
    const outsideCode = html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')
    expect(outsideCode).not.toMatch(/@octocat|@team|<img|<b>/)
    expect(body).not.toMatch(/^\s*::|##\[/m)
    expect(html).toContain('has no entry for linux/arm64')
    // The engine's problem list reads as one line in its cell.
    expect(body).toContain(
      'ghcr.io/octo/app:v1 is not a complete index: has no entry for linux/arm64'
    )
  })

  it('the repair command per release runs the repair workflow with its inputs, as shell words', () => {
    expect(body).toContain(
      `gh workflow run repair.yml -f version=${shellWord(HOSTILE_RELEASE)} -f images='ghcr.io/octo/app = linux/amd64, linux/arm64'`
    )
    expect(
      repairCommand('repair.yml', 'v0.9.0', [
        'ghcr.io/octo/op',
        'ghcr.io/octo/app = linux/amd64, linux/arm64'
      ])
    ).toBe(
      `gh workflow run repair.yml -f version=v0.9.0 -f images="$(printf '%s\\n' ghcr.io/octo/op 'ghcr.io/octo/app = linux/amd64, linux/arm64')"`
    )
    expect(body).toContain(
      `-f version=v0.9.0 -f images="$(printf '%s\\n' ghcr.io/octo/op 'ghcr.io/octo/app = linux/amd64, linux/arm64')"`
    )
  })

  it("each image's repair line is its images line, else it takes the run's platforms", () => {
    const lines = repairImageLines({
      images: 'ghcr.io/o/app\nghcr.io/o/op = linux/amd64',
      platforms: 'auto'
    })
    expect([...lines.entries()]).toEqual([
      ['ghcr.io/o/app', 'ghcr.io/o/app = auto'],
      ['ghcr.io/o/op', 'ghcr.io/o/op = linux/amd64']
    ])
    expect(repairImageLines({ images: 'ghcr.io/o/app' }).get('ghcr.io/o/app')).toBe('ghcr.io/o/app')
  })
})

/** An in-memory issue list with the GitHubApi calls the report makes, recording them. */
function fakeIssues(open: ReportIssue[], dropLabel = false) {
  const calls: string[] = []
  const api: Pick<GitHubApi, 'openIssues' | 'createIssue' | 'updateIssue' | 'comment' | 'close'> = {
    openIssues: async (label) => {
      calls.push(`list ${label}`)
      return open
    },
    createIssue: async (_title, _body, label) => {
      calls.push(`create ${label}`)
      return { number: 7, url: 'u', labels: dropLabel ? [] : [label] }
    },
    updateIssue: async (n) => void calls.push(`update #${n}`),
    comment: async (n) => void calls.push(`comment #${n}`),
    close: async (n) => void calls.push(`close #${n}`)
  }
  return { api, calls }
}

describe('open, update or close', () => {
  const issue = { number: 3, url: 'u', labels: ['multiarch-index'] }
  const allGood = { ...OUTCOME, broken: [] }

  it('opens one when none is open; updates the open one; comments and closes when all is well', async () => {
    const none = fakeIssues([])
    expect((await reportToIssue(none.api, REPORT, OUTCOME, true)).action).toBe('opened')
    const one = fakeIssues([issue])
    expect((await reportToIssue(one.api, REPORT, OUTCOME, true)).action).toBe('updated')
    const closing = fakeIssues([issue])
    expect((await reportToIssue(closing.api, REPORT, allGood, true)).action).toBe('closed')
    const quiet = fakeIssues([])
    expect((await reportToIssue(quiet.api, REPORT, allGood, true)).action).toBe('none')
    expect([none.calls, one.calls, closing.calls, quiet.calls]).toEqual([
      ['list multiarch-index', 'create multiarch-index'],
      ['list multiarch-index', 'update #3'],
      ['list multiarch-index', 'comment #3', 'close #3'],
      ['list multiarch-index']
    ])
  })

  it('two open with the label: the oldest is the report, and the user hears of the other', async () => {
    const two = fakeIssues([issue, { ...issue, number: 9 }])
    const done = await reportToIssue(two.api, REPORT, OUTCOME, true)
    expect(done.issue?.number).toBe(3)
    expect(done.warnings.join()).toMatch(/2 open issues .*#3, #9/)
    expect(two.calls).toEqual(['list multiarch-index', 'update #3'])
  })

  it('a label GitHub dropped is reported (the next run could not find the issue)', async () => {
    const dropped = fakeIssues([], true)
    const done = await reportToIssue(dropped.api, REPORT, OUTCOME, true)
    expect(done.warnings.join()).toMatch(/#7 was opened without the label 'multiarch-index'/)
  })

  it('dry-run reads and says what it would do; writes nothing', async () => {
    const read = fakeIssues([issue])
    expect((await reportToIssue(read.api, REPORT, allGood, false)).action).toBe('would close')
    expect((await reportToIssue(read.api, REPORT, OUTCOME, false)).action).toBe('would update')
    expect(read.calls).toEqual(['list multiarch-index', 'list multiarch-index'])
  })
})

describe('release selection', () => {
  function pages(...list: { tag: string; draft?: boolean; prerelease?: boolean }[][]) {
    let read = 0
    const api = {
      async *releasePages() {
        for (const page of list) {
          read++
          yield page.map((r) => ({ draft: false, prerelease: false, ...r }))
        }
      }
    }
    return { api, read: () => read }
  }

  it('newest first, drafts skipped, prereleases by choice; reads no page past the Nth', async () => {
    const p = pages(
      [
        { tag: 'v3', draft: true },
        { tag: 'v2-rc', prerelease: true }
      ],
      [{ tag: 'v2' }, { tag: 'v1' }],
      [{ tag: 'v0' }]
    )
    expect(await newestReleases(p.api, { count: 2, includePrereleases: true })).toEqual({
      tags: ['v2-rc', 'v2'],
      skipped: { drafts: 1, prereleases: 0 }
    })
    expect(p.read()).toBe(2)
    const q = pages([{ tag: 'v2-rc', prerelease: true }, { tag: 'v2' }], [{ tag: 'v1' }])
    expect(await newestReleases(q.api, { count: 5, includePrereleases: false })).toEqual({
      tags: ['v2', 'v1'],
      skipped: { drafts: 0, prereleases: 1 }
    })
  })
})

describe('GitHub API errors', () => {
  const call = { doing: 'opening the report issue', permission: 'issues: write' }
  const base = 'https://api.github.com'
  const now = () => Date.parse('2026-12-01T21:00:00Z')
  const err = (status: number, headers: Record<string, string>, message: string) =>
    Object.assign(new Error(message), { status, response: { headers, data: { message } } })

  it('a primary rate limit says when it resets', () => {
    const reset = String(Date.parse('2026-12-01T21:12:00Z') / 1000)
    const e = describeApiError(
      err(
        403,
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        'API rate limit exceeded'
      ),
      call,
      base,
      now
    )
    expect(e.code).toBe('RATE_LIMITED')
    expect(e.message).toBe(
      'GitHub API rate limit reached while opening the report issue (HTTP 403: API rate limit exceeded): it resets at 2026-12-01T21:12:00.000Z (in 12 min); run again after that'
    )
  })

  it('a secondary rate limit says how long to wait', () => {
    const e = describeApiError(err(429, { 'retry-after': '60' }, 'slow down'), call, base, now)
    expect(e.message).toMatch(/secondary rate limit .*\(HTTP 429: slow down\): retry after 60 s/)
  })

  it('a 403 names the permission; the API text is neutralised', () => {
    const e = describeApiError(
      err(403, {}, 'Resource not accessible by integration\n::error::x'),
      call,
      base,
      now
    )
    expect(e.code).toBe('FORBIDDEN')
    expect(e.message).toMatch(/needs `permissions: issues: write`/)
    expect(e.message).not.toMatch(/[\r\n]|^\s*::/)
  })

  it('no answer names the API URL', () => {
    expect(describeApiError(new Error('connect ECONNREFUSED'), call, base, now).message).toBe(
      'the GitHub API (https://api.github.com) did not answer while opening the report issue: connect ECONNREFUSED'
    )
  })
})
