/**
 * The few GitHub REST calls the Action makes (releases, the report issue), through
 * `@actions/github`'s Octokit with the workflow's token. Octokit takes its base URL from
 * GITHUB_API_URL, which runners set (GitHub Enterprise Server included). Loaded only by runs
 * that use releases or the issue report (main.ts imports this module dynamically), so a plain
 * publish never pays for Octokit.
 */
import { getOctokit } from '@actions/github'
import { neutralise } from './untrusted-text.js'

/** One release as the Action uses it. */
interface Release {
  tag: string
  draft: boolean
  prerelease: boolean
}

/** One open report issue. */
export interface ReportIssue {
  number: number
  url: string
  labels: string[]
}

/** The REST calls, typed; the report and the release selection see only this. */
export interface GitHubApi {
  /** The base URL requests go to (GITHUB_API_URL), for messages. */
  readonly baseUrl: string
  /** Releases newest first, one page at a time (GitHub sorts by creation, newest first). */
  releasePages(perPage: number): AsyncIterable<Release[]>
  /** Open issues (not pull requests) with the label, oldest first. */
  openIssues(label: string): Promise<ReportIssue[]>
  createIssue(title: string, body: string, label: string): Promise<ReportIssue>
  updateIssue(number: number, title: string, body: string): Promise<void>
  comment(number: number, body: string): Promise<void>
  close(number: number): Promise<void>
}

/** Which call failed, for messages; the permission it needs. */
interface ApiCall {
  doing: string
  permission: string
}

/** A GitHub API call that failed, with a message that says what to do. */
class GitHubApiError extends Error {
  override name = 'GitHubApiError'
  constructor(
    message: string,
    /** HTTP status, 0 when no answer came. */
    readonly status: number,
    readonly code:
      'RATE_LIMITED' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'NO_ANSWER' | 'FAILED'
  ) {
    super(message)
  }
}

/** Bound on one API request: a scheduled check must not hang on a stuck connection. */
const API_REQUEST_TIMEOUT_MS = 30_000

interface OctokitErrorShape {
  status?: unknown
  message?: unknown
  response?: { headers?: Record<string, unknown>; data?: unknown }
}

function header(error: OctokitErrorShape, name: string): string | undefined {
  const value = error.response?.headers?.[name]
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/** The API's own `message`, untrusted: one neutralised line, bounded. */
function apiMessage(error: OctokitErrorShape): string {
  const data = error.response?.data
  const text =
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : typeof error.message === 'string'
        ? error.message
        : ''
  return neutralise(text).slice(0, 200)
}

/**
 * Turn what Octokit threw into a message that says what failed and what to do. Rate limits
 * (GitHub REST: 403 or 429 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`, or a
 * secondary limit with `retry-after`) say when to try again; a 403 names the permission.
 */
export function describeApiError(
  error: unknown,
  call: ApiCall,
  baseUrl: string,
  now: () => number = Date.now
): GitHubApiError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as OctokitErrorShape
  const status = typeof e.status === 'number' ? e.status : 0
  const said = apiMessage(e)
  const answer = `HTTP ${status}${said ? `: ${said}` : ''}`
  if (status === 0) {
    return new GitHubApiError(
      `the GitHub API (${baseUrl}) did not answer while ${call.doing}: ${said || 'no response'}`,
      0,
      'NO_ANSWER'
    )
  }
  const remaining = header(e, 'x-ratelimit-remaining')
  const reset = Number(header(e, 'x-ratelimit-reset'))
  const retryAfter = Number(header(e, 'retry-after'))
  if ((status === 403 || status === 429) && remaining === '0' && Number.isFinite(reset)) {
    const minutes = Math.max(0, Math.ceil((reset * 1000 - now()) / 60_000))
    return new GitHubApiError(
      `GitHub API rate limit reached while ${call.doing} (${answer}): it resets at ${new Date(reset * 1000).toISOString()} (in ${minutes} min); run again after that`,
      status,
      'RATE_LIMITED'
    )
  }
  if ((status === 403 || status === 429) && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return new GitHubApiError(
      `GitHub API secondary rate limit while ${call.doing} (${answer}): retry after ${retryAfter} s`,
      status,
      'RATE_LIMITED'
    )
  }
  if (status === 429) {
    return new GitHubApiError(
      `GitHub API rate limit while ${call.doing} (${answer}); run again later`,
      status,
      'RATE_LIMITED'
    )
  }
  if (status === 401) {
    return new GitHubApiError(
      `GitHub API refused the token while ${call.doing} (${answer}): github-token is not a valid token`,
      status,
      'UNAUTHORIZED'
    )
  }
  if (status === 403) {
    return new GitHubApiError(
      `GitHub API refused ${call.doing} (${answer}): the token needs \`permissions: ${call.permission}\` in the workflow or job`,
      status,
      'FORBIDDEN'
    )
  }
  if (status === 404) {
    return new GitHubApiError(
      `GitHub API found nothing while ${call.doing} (${answer}): the repository does not exist or the token cannot see it (\`permissions: ${call.permission}\`)`,
      status,
      'NOT_FOUND'
    )
  }
  return new GitHubApiError(`GitHub API failed while ${call.doing} (${answer})`, status, 'FAILED')
}

/** The most release pages read (100 each): newest N ≤ 100 published ones are within them. */
const MAX_RELEASE_PAGES = 10

/**
 * Connect to the GitHub API with the token. `signal` cancels every request (the runner's
 * cancel); each request is also bounded by {@link API_REQUEST_TIMEOUT_MS}.
 */
export function connectGitHub(
  token: string,
  repository: { owner: string; repo: string },
  signal: AbortSignal,
  debug: (message: string) => void
): GitHubApi {
  const octokit = getOctokit(token, {
    userAgent: 'multiarch-index',
    log: { debug, info: debug, warn: debug, error: debug }
  })
  octokit.hook.wrap('request', (request, options) =>
    request({
      ...options,
      request: {
        ...options.request,
        signal: AbortSignal.any([signal, AbortSignal.timeout(API_REQUEST_TIMEOUT_MS)])
      }
    })
  )
  const baseUrl = String(octokit.request.endpoint.DEFAULTS.baseUrl)
  const { owner, repo } = repository
  const call = async <T>(what: ApiCall, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      throw describeApiError(error, what, baseUrl)
    }
  }
  const issueCall = (doing: string): ApiCall => ({ doing, permission: 'issues: write' })
  const toIssue = (data: {
    number: number
    html_url: string
    labels: (string | { name?: string })[]
  }): ReportIssue => ({
    number: data.number,
    url: data.html_url,
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')))
  })

  return {
    baseUrl,
    async *releasePages(perPage) {
      const what = {
        doing: `listing the releases of ${owner}/${repo}`,
        permission: 'contents: read'
      }
      const pages = octokit.paginate.iterator(octokit.rest.repos.listReleases, {
        owner,
        repo,
        per_page: perPage
      })
      const iterator = pages[Symbol.asyncIterator]()
      for (let page = 0; page < MAX_RELEASE_PAGES; page++) {
        const next = await call(what, () => iterator.next())
        if (next.done) return
        yield next.value.data.map((r) => ({
          tag: r.tag_name,
          draft: r.draft,
          prerelease: r.prerelease
        }))
      }
    },
    async openIssues(label) {
      const { data } = await call(
        { doing: `looking for the open issue labelled '${label}'`, permission: 'issues: read' },
        () =>
          octokit.rest.issues.listForRepo({
            owner,
            repo,
            state: 'open',
            labels: label,
            sort: 'created',
            direction: 'asc',
            per_page: 100
          })
      )
      return data.filter((i) => !i.pull_request).map(toIssue)
    },
    async createIssue(title, body, label) {
      const { data } = await call(issueCall('opening the report issue'), () =>
        octokit.rest.issues.create({ owner, repo, title, body, labels: [label] })
      )
      return toIssue(data)
    },
    async updateIssue(number, title, body) {
      await call(issueCall(`updating issue #${number}`), () =>
        octokit.rest.issues.update({ owner, repo, issue_number: number, title, body })
      )
    },
    async comment(number, body) {
      await call(issueCall(`commenting on issue #${number}`), () =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
      )
    },
    async close(number) {
      await call(issueCall(`closing issue #${number}`), () =>
        octokit.rest.issues.update({
          owner,
          repo,
          issue_number: number,
          state: 'closed',
          state_reason: 'completed'
        })
      )
    }
  }
}
