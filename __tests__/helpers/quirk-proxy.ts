/**
 * A proxy in front of the real registry that answers the way other registries do: one switch
 * per documented quirk of docs/registry-quirks.md (the row is named at each switch). It is built
 * on the forwarding core of ./counting-proxy.ts, so it counts requests as the other proxies
 * do. The registry still decides everything it can (authentication, existence, content); a
 * switch only changes how the answer looks, or refuses what the emulated registry refuses.
 *
 * It always proxies the token server too (`tokenTarget`): Bearer realms are rewritten to
 * `${proxy.url}/token`, so the token quirks can be applied to its answers.
 *
 * Row 5 (an OCI index asked for without its type is a 404 on GHCR) needs no switch:
 * distribution 2.8 answers so itself.
 *
 * Everything binds 127.0.0.1; answers are small and read whole (test images are tiny).
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import {
  startProxyServer,
  type ProxyExchange,
  type ProxyServer,
  type SyntheticResponse,
  type UpstreamResponse
} from './counting-proxy.js'

/** Registries whose immutable-tag refusal can be emulated (rows 2, 3, 4). */
export type ImmutableFlavour = 'ecr' | 'harbor' | 'gar' | 'acr'

/** One switch per quirk; several may be on at once. */
export interface Quirks {
  /** Row 16 (GCR): a 401 carries WWW-Authenticate only when it answers the `/v2/` ping. */
  challengeOnlyOnPing?: boolean
  /** Row 21 (Gitea, GitLab): the Bearer challenge names the realm only, no service or scope. */
  bareChallenge?: boolean
  /** Row 22: the token server answers `access_token` and no `token`. */
  accessTokenOnly?: boolean
  /**
   * Row 13 (Docker Hub): the token server grants every scope asked for, and the registry then
   * refuses the manifest PUT: 401 DENIED, `insufficient_scope`.
   */
  denyPushAfterToken?: boolean
  /** Row 33 (Artifactory virtual repository): HEAD of a missing tag answers 403, not 404. */
  forbiddenMissingTag?: boolean
  /** Rows 35, 33 (ECR 2016-17, Artifactory): no Docker-Content-Digest; HEAD says octet-stream. */
  noContentDigest?: boolean
  /** Row 34 (Harbor): HEAD and GET differ in Content-Length; 404s say `UNKNOWN`, "not found". */
  harborManifestAnswers?: boolean
  /** Row 36: a manifest PUT answers 200 (containerd: "some registries return 200"). */
  putAnswers200?: boolean
  /** Rows 2, 3, 4: a manifest PUT onto an existing tag is refused as that registry does. */
  immutableTags?: ImmutableFlavour
  /** Row 31 (zot): Docker media types on a manifest PUT get 415 MANIFEST_INVALID. */
  refuseDockerTypes?: boolean
  /** Row 30 (Quay without FEATURE_GENERAL_OCI_SUPPORT): an OCI index PUT gets 400 MANIFEST_INVALID. */
  refuseOciIndex?: boolean
  /** Row 38 (GHCR, ECR Public, Docker Hub): this many reads of a tag just PUT answer 404. */
  readAfterWriteLag?: number
  /** Row 37 (Docker Hub): RateLimit headers on manifest answers; each GET (not HEAD) is a pull. */
  rateLimit?: { limit: number }
  /** Rows 6, 7, 8: a tags page size `n` above this is refused with 400. */
  tagsMaxPageSize?: number
  /** Row 9 (ACR): pages of 2 with a relative Link carrying an extra `orderby=` parameter. */
  tagsLinkExtraParam?: boolean
  /** Row 10 (Gitea): pages of 2, and a Link on every non-empty page, the last one included. */
  tagsLinkOnLastPage?: boolean
  /** Row 8 (Quay 2016-2022): pages of 2 with an opaque `next_page` token; `last` ignored. */
  tagsOpaqueNextPage?: boolean
  /** Row 11 (gcr.io): the tag list carries non-standard `manifest` and `child` fields. */
  tagsExtraFields?: boolean
  /** Row 12 (Artifactory): digests appear in the tag list as if they were tags. */
  tagsDigestsAsTags?: boolean
}

export interface QuirkProxy extends ProxyServer {
  readonly quirks: Quirks
  /** Manifest GETs counted as pulls by `rateLimit`. */
  pulls(): number
}

/** The page size of the emulated paginating registries: small, so a few tags make pages. */
export const QUIRK_TAGS_PAGE = 2

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' }
const DOCKER_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
])
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  OCI_INDEX
].join(', ')

function errorBody(code: string, message: string, detail?: unknown): Buffer {
  return Buffer.from(JSON.stringify({ errors: [{ code, message, detail: detail ?? null }] }))
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 10_000)
    const done = (): void => {
      clearTimeout(timer)
      resolve()
    }
    req.once('end', done)
    req.once('close', done)
    req.once('error', done)
    req.resume()
  })
}

/** The refusal of a PUT onto an existing tag, as each registry words it (rows 2, 3, 4). */
function immutableRefusal(flavour: ImmutableFlavour, name: string, tag: string): SyntheticResponse {
  switch (flavour) {
    case 'ecr':
      return {
        status: 400,
        headers: JSON_TYPE,
        body: errorBody(
          'TAG_INVALID',
          `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the tag is immutable.`
        )
      }
    case 'harbor':
      return {
        status: 412,
        headers: JSON_TYPE,
        body: errorBody(
          'PRECONDITION',
          `Failed to process request due to '${name}:${tag}' configured as immutable.`
        )
      }
    case 'gar':
      return {
        status: 400,
        headers: JSON_TYPE,
        body: errorBody(
          'MANIFEST_INVALID',
          `manifest invalid: cannot update tag ${tag}. The repository has enabled tag immutability.`
        )
      }
    case 'acr':
      return {
        status: 405,
        headers: JSON_TYPE,
        body: errorBody(
          'REGISTRY_DISALLOWED_OPERATION',
          'The operation is disallowed on this registry, repository or image.'
        )
      }
  }
}

/**
 * Starts a quirk proxy on a free 127.0.0.1 port in front of `target` (the registry), with the
 * token server at `tokenTarget` proxied under `/token`.
 */
export async function startQuirkProxy(
  target: string,
  tokenTarget: string | undefined,
  quirks: Quirks
): Promise<QuirkProxy> {
  /** Reads still to answer 404, per `name:tag`, after a PUT (row 38). */
  const lagging = new Map<string, number>()
  let pulls = 0
  let proxyUrl = ''

  /** The registry's challenge, as the emulated registry sends it. */
  function challengeHeaders(
    headers: Record<string, string | string[]>,
    path: string
  ): Record<string, string | string[]> {
    const out = { ...headers }
    const value = out['www-authenticate']
    if (value === undefined) return out
    if (quirks.challengeOnlyOnPing === true && path !== '/v2/' && path !== '/v2') {
      delete out['www-authenticate']
      return out
    }
    const fix = (v: string): string => {
      if (!/^\s*bearer\s/i.test(v)) return v
      if (quirks.bareChallenge === true) return `Bearer realm="${proxyUrl}/token"`
      return v.replace(/realm=("[^"]*"|[^,\s]*)/i, `realm="${proxyUrl}/token"`)
    }
    out['www-authenticate'] = Array.isArray(value) ? value.map(fix) : fix(value)
    return out
  }

  /** Sends an answer of the registry (or a made-up one) with the challenge quirks applied. */
  function send(
    ex: ProxyExchange,
    answer: SyntheticResponse | UpstreamResponse,
    synthetic: boolean
  ): void {
    const pathname = ex.record.path.split('?')[0] ?? ''
    ex.respond({ ...answer, headers: challengeHeaders(answer.headers ?? {}, pathname) }, synthetic)
  }

  async function token(ex: ProxyExchange): Promise<void> {
    if (tokenTarget === undefined) {
      await drain(ex.req)
      ex.respond({ status: 404, headers: JSON_TYPE, body: '{}' })
      return
    }
    const up = await ex.fetchUpstream({ target: tokenTarget })
    if (quirks.accessTokenOnly === true && up.status === 200) {
      const granted = JSON.parse(up.body.toString('utf8')) as Record<string, unknown>
      const body = Buffer.from(
        JSON.stringify({ access_token: granted.token, expires_in: granted.expires_in })
      )
      ex.respond({ status: 200, headers: JSON_TYPE, body }, true)
      return
    }
    ex.respond(up, false)
  }

  async function putManifest(ex: ProxyExchange, name: string, ref: string): Promise<void> {
    const { req } = ex
    const type = (single(req.headers['content-type']) ?? '').split(';')[0]?.trim() ?? ''
    const refuse = async (answer: SyntheticResponse): Promise<void> => {
      await drain(req)
      send(ex, answer, true)
    }
    if (quirks.refuseDockerTypes === true && DOCKER_TYPES.has(type)) {
      return refuse({
        status: 415,
        headers: JSON_TYPE,
        body: errorBody('MANIFEST_INVALID', 'manifest invalid', { mediaType: type })
      })
    }
    if (quirks.refuseOciIndex === true && type === OCI_INDEX) {
      return refuse({
        status: 400,
        headers: JSON_TYPE,
        body: errorBody('MANIFEST_INVALID', 'manifest invalid', { mediaType: type })
      })
    }
    if (quirks.denyPushAfterToken === true) {
      const auth = single(req.headers.authorization)
      if (auth !== undefined) {
        return refuse({
          status: 401,
          headers: {
            ...JSON_TYPE,
            'www-authenticate': `Bearer realm="${proxyUrl}/token",service="registry.docker.io",scope="repository:${name}:pull,push",error="insufficient_scope"`
          },
          body: errorBody('DENIED', 'requested access to the resource is denied')
        })
      }
    }
    const byTag = !ref.includes(':')
    if (quirks.immutableTags !== undefined && byTag) {
      const headers: Record<string, string> = { accept: MANIFEST_ACCEPT }
      const auth = single(req.headers.authorization)
      if (auth !== undefined) headers.authorization = auth
      const head = await proxy.targetRequest({
        method: 'HEAD',
        path: `/v2/${name}/manifests/${encodeURIComponent(ref)}`,
        headers
      })
      if (head.status === 200) return refuse(immutableRefusal(quirks.immutableTags, name, ref))
    }
    const up = await ex.fetchUpstream()
    const ok = up.status >= 200 && up.status < 300
    if (ok && byTag && quirks.readAfterWriteLag !== undefined)
      lagging.set(`${name}:${ref}`, quirks.readAfterWriteLag)
    if (ok && quirks.putAnswers200 === true) return send(ex, { ...up, status: 200 }, true)
    send(ex, up, false)
  }

  async function readManifest(ex: ProxyExchange, name: string, ref: string): Promise<void> {
    const { record } = ex
    const head = record.method === 'HEAD'
    const up = await ex.fetchUpstream()
    const key = `${name}:${ref}`
    const lag = lagging.get(key)
    if (lag !== undefined && up.status === 200) {
      if (lag <= 1) lagging.delete(key)
      else lagging.set(key, lag - 1)
      return send(
        ex,
        {
          status: 404,
          headers: JSON_TYPE,
          body: errorBody('MANIFEST_UNKNOWN', 'manifest unknown', { Tag: ref })
        },
        true
      )
    }
    let answer: SyntheticResponse = { status: up.status, headers: { ...up.headers }, body: up.body }
    let synthetic = false
    const headers = answer.headers as Record<string, string | string[]>
    if (quirks.forbiddenMissingTag === true && head && !ref.includes(':') && up.status === 404) {
      return send(
        ex,
        {
          status: 403,
          headers: JSON_TYPE,
          body: errorBody(
            'UNAUTHORIZED',
            `Download request for repo:${name}:${ref} is forbidden for user: 'anonymous'.`
          )
        },
        true
      )
    }
    if (quirks.harborManifestAnswers === true) {
      if (up.status === 404) {
        answer = { ...answer, body: errorBody('UNKNOWN', `${name}:${ref} not found`) }
        synthetic = true
      } else if (up.status === 200 && head) {
        const length = Number(single(headers['content-length']) ?? 0)
        headers['content-length'] = String(length + 7)
        synthetic = true
      }
    }
    if (quirks.noContentDigest === true && up.status === 200) {
      delete headers['docker-content-digest']
      delete headers.etag
      if (head) headers['content-type'] = 'application/octet-stream'
      synthetic = true
    }
    if (quirks.rateLimit !== undefined && up.status !== 401) {
      if (!head && up.status === 200) pulls++
      const left = Math.max(0, quirks.rateLimit.limit - pulls)
      headers['ratelimit-limit'] = `${quirks.rateLimit.limit};w=21600`
      headers['ratelimit-remaining'] = `${left};w=21600`
      headers['docker-ratelimit-source'] = '203.0.113.7'
      synthetic = true
    }
    send(ex, answer, synthetic)
  }

  async function listTags(ex: ProxyExchange, name: string): Promise<void> {
    const url = new URL(ex.record.path, 'http://proxy')
    const n = url.searchParams.get('n')
    if (quirks.tagsMaxPageSize !== undefined && n !== null && Number(n) > quirks.tagsMaxPageSize) {
      await drain(ex.req)
      return send(
        ex,
        {
          status: 400,
          headers: JSON_TYPE,
          body: errorBody('PAGINATION_NUMBER_INVALID', 'invalid number of results requested', {
            n: Number(n)
          })
        },
        true
      )
    }
    const up = await ex.fetchUpstream()
    if (up.status !== 200) return send(ex, up, false)
    const listing = JSON.parse(up.body.toString('utf8')) as { name: string; tags: string[] | null }
    let all = [...(listing.tags ?? [])].sort()
    if (quirks.tagsDigestsAsTags === true) {
      all = [
        ...all,
        ...all.map((t) => `sha256:${createHash('sha256').update(t).digest('hex')}`)
      ].sort()
    }
    const headers: Record<string, string> = { ...JSON_TYPE }
    const document: Record<string, unknown> = { name: listing.name }
    const paged =
      quirks.tagsLinkExtraParam === true ||
      quirks.tagsLinkOnLastPage === true ||
      quirks.tagsOpaqueNextPage === true
    let page = all
    if (paged) {
      let start: number
      if (quirks.tagsOpaqueNextPage === true) {
        const token = url.searchParams.get('next_page')
        start =
          token === null
            ? 0
            : (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { at: number }).at
      } else {
        const last = url.searchParams.get('last')
        start = last === null ? 0 : all.filter((t) => t <= last).length
      }
      page = all.slice(start, start + QUIRK_TAGS_PAGE)
      const more = start + page.length < all.length
      const lastOfPage = page[page.length - 1]
      if (quirks.tagsOpaqueNextPage === true && more) {
        const token = Buffer.from(JSON.stringify({ at: start + page.length })).toString('base64url')
        headers.link = `</v2/${name}/tags/list?next_page=${token}>; rel="next"`
      } else if (quirks.tagsLinkExtraParam === true && more && lastOfPage !== undefined) {
        headers.link = `</v2/${name}/tags/list?last=${encodeURIComponent(lastOfPage)}&n=${QUIRK_TAGS_PAGE}&orderby=>; rel="next"`
      } else if (quirks.tagsLinkOnLastPage === true && lastOfPage !== undefined) {
        headers.link = `</v2/${name}/tags/list?n=${QUIRK_TAGS_PAGE}&last=${encodeURIComponent(lastOfPage)}>; rel="next"`
      }
    }
    document.tags = page
    if (quirks.tagsExtraFields === true) {
      document.manifest = {
        'sha256:0000000000000000000000000000000000000000000000000000000000000000': {
          imageSizeBytes: '0',
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          tag: page.slice(0, 1),
          timeCreatedMs: '0',
          timeUploadedMs: '0'
        }
      }
      document.child = []
    }
    send(ex, { status: 200, headers, body: Buffer.from(JSON.stringify(document)) }, true)
  }

  const proxy = await startProxyServer(target, async (ex) => {
    const pathname = ex.record.path.split('?')[0] ?? ''
    if (ex.record.kind === 'token') return token(ex)
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(pathname)
    if (manifest !== null) {
      const name = manifest[1] ?? ''
      const ref = decodeURIComponent(manifest[2] ?? '')
      if (ex.record.method === 'PUT') return putManifest(ex, name, ref)
      if (ex.record.method === 'GET' || ex.record.method === 'HEAD')
        return readManifest(ex, name, ref)
    }
    const tags = /^\/v2\/(.+)\/tags\/list$/.exec(pathname)
    if (tags !== null && ex.record.method === 'GET') return listTags(ex, tags[1] ?? '')
    send(ex, await ex.fetchUpstream(), false)
  })
  proxyUrl = proxy.url
  return Object.assign(proxy, { quirks, pulls: () => pulls })
}
