/**
 * A local stand-in for the parts of the GitHub REST API the Action calls, on 127.0.0.1: the
 * releases list (paginated with a `Link` header, as GitHub paginates) and a repository's
 * issues (list by label, create, update, comment). The Action reaches it through
 * GITHUB_API_URL, as runners set it, with the real Octokit. It records every request, checks
 * the token like GitHub does, can refuse issue writes like a token without `issues: write`,
 * and can answer with injected faults (rate limits). Node built-ins only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { closeHttpServer, listenLoopback } from './util.js'

export interface ReleaseFixture {
  tag_name: string
  draft?: boolean
  prerelease?: boolean
}

export interface IssueState {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  labels: string[]
  comments: string[]
}

export interface RecordedRequest {
  method: string
  /** Path without the query. */
  path: string
  query: Record<string, string>
  /** Whether the request carried the expected token. */
  authorized: boolean
  body?: Record<string, unknown>
}

/** An answer given instead of the normal one to the next `times` matching requests. */
export interface Fault {
  method: string
  path: RegExp
  status: number
  headers?: Record<string, string>
  body?: Record<string, unknown>
  times?: number
}

export interface GitHubApiOptions {
  owner: string
  repo: string
  token: string
  releases?: ReleaseFixture[]
}

export interface GitHubApiStandIn {
  /** `http://127.0.0.1:PORT`, for GITHUB_API_URL. */
  url: string
  requests: RecordedRequest[]
  issues: IssueState[]
  /** One line per issue write, in order (for a readable history of the report). */
  history: string[]
  setReleases(releases: ReleaseFixture[]): void
  /** false: issue writes answer 403 as GitHub does for a token without `issues: write`. */
  setIssuesWritable(writable: boolean): void
  addFault(fault: Fault): void
  stop(): Promise<void>
}

/** GitHub's answer to a token that lacks the permission a call needs. */
const NOT_ACCESSIBLE = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
  status: '403'
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 1024 * 1024) throw new Error('request body over 1 MiB')
    chunks.push(chunk as Buffer)
  }
  if (chunks.length === 0) return undefined
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
}

export async function startGitHubApi(opts: GitHubApiOptions): Promise<GitHubApiStandIn> {
  let releases = opts.releases ?? []
  let issuesWritable = true
  const requests: RecordedRequest[] = []
  const issues: IssueState[] = []
  const history: string[] = []
  const faults: Fault[] = []
  const base = `/repos/${opts.owner}/${opts.repo}`
  let url = ''

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(JSON.stringify(body))
  }
  const issueJson = (i: IssueState) => ({
    id: 1000 + i.number,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    labels: i.labels.map((name, n) => ({ id: n + 1, name })),
    html_url: `https://github.example/${opts.owner}/${opts.repo}/issues/${i.number}`,
    comments: i.comments.length
  })

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://stand-in')
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      authorized: req.headers.authorization === `token ${opts.token}`,
      body: await readJson(req)
    }
    requests.push(record)
    const fault = faults.find((f) => f.method === record.method && f.path.test(record.path))
    if (fault) {
      fault.times = (fault.times ?? 1) - 1
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1)
      return send(res, fault.status, fault.body ?? { message: 'fault' }, fault.headers)
    }
    if (!record.authorized) {
      return send(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest'
      })
    }
    const write = record.method !== 'GET'
    if (record.method === 'GET' && record.path === `${base}/releases`) {
      const perPage = Math.min(100, Number(record.query.per_page ?? 30))
      const page = Math.max(1, Number(record.query.page ?? 1))
      const last = Math.max(1, Math.ceil(releases.length / perPage))
      const link = (p: number) => `<${url}${base}/releases?per_page=${perPage}&page=${p}>`
      const links = [
        page < last ? `${link(page + 1)}; rel="next"` : '',
        page < last ? `${link(last)}; rel="last"` : '',
        page > 1 ? `${link(1)}; rel="first"` : '',
        page > 1 ? `${link(page - 1)}; rel="prev"` : ''
      ].filter(Boolean)
      const data = releases.slice((page - 1) * perPage, page * perPage).map((r, i) => ({
        id: (page - 1) * perPage + i + 1,
        tag_name: r.tag_name,
        name: r.tag_name,
        draft: r.draft ?? false,
        prerelease: r.prerelease ?? false
      }))
      return send(res, 200, data, links.length ? { link: links.join(', ') } : {})
    }
    if (record.path === `${base}/issues` && record.method === 'GET') {
      const wanted = (record.query.labels ?? '').split(',').filter(Boolean)
      const state = record.query.state ?? 'open'
      const found = issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => wanted.every((l) => i.labels.includes(l)))
        .sort((a, b) =>
          record.query.direction === 'asc' ? a.number - b.number : b.number - a.number
        )
      return send(res, 200, found.map(issueJson))
    }
    if (write && !issuesWritable && record.path.startsWith(`${base}/issues`))
      return send(res, 403, NOT_ACCESSIBLE)
    const body = record.body ?? {}
    if (record.path === `${base}/issues` && record.method === 'POST') {
      const issue: IssueState = {
        number: issues.length + 1,
        title: String(body.title ?? ''),
        body: String(body.body ?? ''),
        state: 'open',
        state_reason: null,
        labels: Array.isArray(body.labels) ? body.labels.map(String) : [],
        comments: []
      }
      issues.push(issue)
      history.push(`opened #${issue.number} "${issue.title}" labels ${issue.labels.join(',')}`)
      return send(res, 201, issueJson(issue))
    }
    const one = new RegExp(`^${base}/issues/(\\d+)(/comments)?$`).exec(record.path)
    const issue = one ? issues.find((i) => i.number === Number(one[1])) : undefined
    if (issue && !one?.[2] && record.method === 'PATCH') {
      if (typeof body.title === 'string') issue.title = body.title
      if (typeof body.body === 'string') issue.body = body.body
      if (body.state === 'open' || body.state === 'closed') issue.state = body.state
      if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason
      history.push(
        body.state === 'closed'
          ? `closed #${issue.number} (${issue.state_reason})`
          : `updated #${issue.number} "${issue.title}"`
      )
      return send(res, 200, issueJson(issue))
    }
    if (issue && one?.[2] && record.method === 'POST') {
      issue.comments.push(String(body.body ?? ''))
      history.push(`commented on #${issue.number}: ${String(body.body ?? '')}`)
      return send(res, 201, { id: issue.comments.length, body: body.body })
    }
    return send(res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest'
    })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }))
  })
  const port = await listenLoopback(server)
  url = `http://127.0.0.1:${port}`
  return {
    url,
    requests,
    issues,
    history,
    setReleases: (list) => (releases = list),
    setIssuesWritable: (writable) => (issuesWritable = writable),
    addFault: (fault) => faults.push(fault),
    stop: () => closeHttpServer(server)
  }
}
