/**
 * The quirk-emulating proxy itself (./helpers/quirk-proxy.ts): each switch really behaves as
 * its row of docs/registry-quirks.md says, shown with plain fetch against the real registry behind
 * it (nothing from src/). One token-auth registry for the file; one proxy per switch.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  QUIRK_TAGS_PAGE,
  startQuirkProxy,
  type ImmutableFlavour,
  type QuirkProxy,
  type Quirks
} from './helpers/quirk-proxy.js'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import {
  MANIFEST_ACCEPT,
  MT,
  accessFor,
  getManifest,
  pushImage,
  sha256Digest,
  type RegistryAccess
} from './helpers/seed.js'

let registry: RunningRegistry
let access: RegistryAccess
let basic = ''
const proxies: QuirkProxy[] = []

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  access = accessFor(registry)
  const [user, password] = Object.entries(registry.users)[0] ?? ['', '']
  basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
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

/** A request through the proxy, with a pull,push token for `repo` unless `anonymous`. */
async function via(
  proxy: QuirkProxy,
  repo: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: Buffer; anonymous?: boolean } = {}
): Promise<{ status: number; headers: Headers; body: string }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) }
  if (init.anonymous !== true) {
    const auth = await access.authHeader?.(repo)
    if (auth !== undefined) headers.authorization = auth
  }
  const res = await fetch(`${proxy.url}${path}`, {
    method,
    headers,
    body: init.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000)
  })
  return { status: res.status, headers: res.headers, body: await res.text() }
}

const errorCode = (body: string): string | undefined =>
  (JSON.parse(body) as { errors?: Array<{ code: string }> }).errors?.[0]?.code

/** A Docker v2 image under `tag`, straight into the registry. */
function seed(repo: string, tag: string, format: 'docker' | 'oci' = 'docker') {
  return pushImage(access, repo, tag, { os: 'linux', architecture: 'amd64', format })
}

describe('auth quirks', () => {
  it('challengeOnlyOnPing (row 16): a 401 without WWW-Authenticate; only /v2/ carries the challenge', async () => {
    const proxy = await quirkProxy({ challengeOnlyOnPing: true })
    const real = await via(proxy, 'sw/ping', 'GET', '/v2/sw/ping/manifests/v1', { anonymous: true })
    expect(real.status).toBe(401)
    expect(real.headers.get('www-authenticate')).toBeNull()
    const ping = await via(proxy, 'sw/ping', 'GET', '/v2/', { anonymous: true })
    expect(ping.status).toBe(401)
    expect(ping.headers.get('www-authenticate')).toMatch(
      new RegExp(`^Bearer realm="${proxy.url}/token",service="`)
    )
  })

  it('bareChallenge (row 21): the challenge names the realm only', async () => {
    const proxy = await quirkProxy({ bareChallenge: true })
    const ping = await via(proxy, 'sw/bare', 'GET', '/v2/', { anonymous: true })
    expect(ping.headers.get('www-authenticate')).toBe(`Bearer realm="${proxy.url}/token"`)
  })

  it('accessTokenOnly (row 22): the token answer has access_token and no token; it works', async () => {
    const proxy = await quirkProxy({ accessTokenOnly: true })
    const res = await fetch(`${proxy.url}/token?scope=repository:sw/at:pull`, {
      headers: { authorization: basic },
      signal: AbortSignal.timeout(15_000)
    })
    const granted = (await res.json()) as Record<string, unknown>
    expect(res.status).toBe(200)
    expect(Object.keys(granted).sort()).toEqual(['access_token', 'expires_in'])
    const read = await via(proxy, 'sw/at', 'GET', '/v2/sw/at/tags/list', {
      anonymous: true,
      headers: { authorization: `Bearer ${String(granted.access_token)}` }
    })
    expect(read.status).not.toBe(401)
  })

  it('denyPushAfterToken (row 13): push scope is granted, then the PUT gets 401 DENIED insufficient_scope', async () => {
    const proxy = await quirkProxy({ denyPushAfterToken: true })
    const res = await fetch(`${proxy.url}/token?scope=repository:sw/deny:pull,push`, {
      headers: { authorization: basic },
      signal: AbortSignal.timeout(15_000)
    })
    expect(res.status).toBe(200)
    const { token } = (await res.json()) as { token: string }
    const image = await seed('sw/deny', 'src')
    const put = await via(proxy, 'sw/deny', 'PUT', '/v2/sw/deny/manifests/v1', {
      anonymous: true,
      headers: { authorization: `Bearer ${token}`, 'content-type': image.mediaType },
      body: image.bytes
    })
    expect(put.status).toBe(401)
    expect(errorCode(put.body)).toBe('DENIED')
    expect(put.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
    expect((await getManifest(access, 'sw/deny', 'v1')).status).toBe(404)
  })
})

describe('manifest read quirks', () => {
  it('forbiddenMissingTag (row 33): HEAD of a missing tag is 403, of a present one 200', async () => {
    const proxy = await quirkProxy({ forbiddenMissingTag: true })
    await seed('sw/forbidden', 'here')
    const headers = { accept: MANIFEST_ACCEPT }
    const head = async (tag: string) =>
      (await via(proxy, 'sw/forbidden', 'HEAD', `/v2/sw/forbidden/manifests/${tag}`, { headers }))
        .status
    expect(await head('gone')).toBe(403)
    expect(await head('here')).toBe(200)
  })

  it('noContentDigest (rows 35, 33): no Docker-Content-Digest; HEAD says octet-stream', async () => {
    const proxy = await quirkProxy({ noContentDigest: true })
    const image = await seed('sw/nodigest', 'v1')
    const headers = { accept: MANIFEST_ACCEPT }
    const head = await via(proxy, 'sw/nodigest', 'HEAD', '/v2/sw/nodigest/manifests/v1', {
      headers
    })
    expect(head.status).toBe(200)
    expect(head.headers.get('docker-content-digest')).toBeNull()
    expect(head.headers.get('content-type')).toBe('application/octet-stream')
    const get = await via(proxy, 'sw/nodigest', 'GET', '/v2/sw/nodigest/manifests/v1', { headers })
    expect(get.headers.get('docker-content-digest')).toBeNull()
    expect(sha256Digest(get.body)).toBe(image.digest)
  })

  it('harborManifestAnswers (row 34): HEAD and GET lengths differ; a 404 says UNKNOWN', async () => {
    const proxy = await quirkProxy({ harborManifestAnswers: true })
    await seed('sw/harbor', 'v1')
    const headers = { accept: MANIFEST_ACCEPT }
    const head = await via(proxy, 'sw/harbor', 'HEAD', '/v2/sw/harbor/manifests/v1', { headers })
    const get = await via(proxy, 'sw/harbor', 'GET', '/v2/sw/harbor/manifests/v1', { headers })
    expect(Number(head.headers.get('content-length'))).not.toBe(Buffer.byteLength(get.body))
    const missing = await via(proxy, 'sw/harbor', 'GET', '/v2/sw/harbor/manifests/gone', {
      headers
    })
    expect(missing.status).toBe(404)
    expect(errorCode(missing.body)).toBe('UNKNOWN')
  })

  it('row 5 needs no switch: the registry itself answers an OCI index asked for without its type with 404', async () => {
    // distribution 2.8 does what GHCR does, so every test of the suite runs with this quirk.
    const proxy = await quirkProxy({})
    const image = await seed('sw/accept', 'child', 'oci')
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.ociIndex,
        manifests: [
          {
            mediaType: MT.ociManifest,
            digest: image.digest,
            size: image.size,
            platform: { os: 'linux', architecture: 'amd64' }
          }
        ]
      })
    )
    const put = await via(proxy, 'sw/accept', 'PUT', '/v2/sw/accept/manifests/v1', {
      headers: { 'content-type': MT.ociIndex },
      body: index
    })
    expect(put.status).toBe(201)
    const narrow = await via(proxy, 'sw/accept', 'GET', '/v2/sw/accept/manifests/v1', {
      headers: { accept: `${MT.dockerManifest}, ${MT.dockerList}, ${MT.ociManifest}` }
    })
    expect(narrow.status).toBe(404)
    expect(narrow.body).toMatch(/OCI index found, but accept header does not support OCI indexes/i)
    const full = await via(proxy, 'sw/accept', 'GET', '/v2/sw/accept/manifests/v1', {
      headers: { accept: MANIFEST_ACCEPT }
    })
    expect(full.status).toBe(200)
  })

  it('readAfterWriteLag (row 38): the first reads of a tag just PUT are 404, then it shows', async () => {
    const proxy = await quirkProxy({ readAfterWriteLag: 2 })
    const image = await seed('sw/lag', 'src')
    const put = await via(proxy, 'sw/lag', 'PUT', '/v2/sw/lag/manifests/v1', {
      headers: { 'content-type': image.mediaType },
      body: image.bytes
    })
    expect(put.status).toBe(201)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await via(proxy, 'sw/lag', 'HEAD', '/v2/sw/lag/manifests/v1', {
            headers: { accept: MANIFEST_ACCEPT }
          })
        ).status
      )
    expect(statuses).toEqual([404, 404, 200])
  })

  it('rateLimit (row 37): RateLimit headers on manifest answers; a GET is a pull, a HEAD is not', async () => {
    const proxy = await quirkProxy({ rateLimit: { limit: 100 } })
    await seed('sw/rate', 'v1')
    const headers = { accept: MANIFEST_ACCEPT }
    const path = '/v2/sw/rate/manifests/v1'
    const remaining: Array<string | null> = []
    for (const method of ['GET', 'HEAD', 'GET']) {
      const res = await via(proxy, 'sw/rate', method, path, { headers })
      expect(res.headers.get('ratelimit-limit')).toBe('100;w=21600')
      remaining.push(res.headers.get('ratelimit-remaining'))
    }
    expect(remaining).toEqual(['99;w=21600', '99;w=21600', '98;w=21600'])
  })
})

describe('manifest write quirks', () => {
  it('putAnswers200 (row 36): a manifest PUT answers 200 and is stored', async () => {
    const proxy = await quirkProxy({ putAnswers200: true })
    const image = await seed('sw/put200', 'src')
    const put = await via(proxy, 'sw/put200', 'PUT', '/v2/sw/put200/manifests/v1', {
      headers: { 'content-type': image.mediaType },
      body: image.bytes
    })
    expect(put.status).toBe(200)
    expect(sha256Digest((await getManifest(access, 'sw/put200', 'v1')).body)).toBe(image.digest)
  })

  it.each([
    ['ecr', 400, 'TAG_INVALID'],
    ['harbor', 412, 'PRECONDITION'],
    ['gar', 400, 'MANIFEST_INVALID'],
    ['acr', 405, 'REGISTRY_DISALLOWED_OPERATION']
  ] as const)(
    'immutableTags %s (rows 2-4): a new tag is written; any PUT onto it, same bytes too, gets %i %s',
    async (flavour: ImmutableFlavour, status, code) => {
      const proxy = await quirkProxy({ immutableTags: flavour })
      const repo = `sw/immutable-${flavour}`
      const image = await seed(repo, 'src')
      const put = () =>
        via(proxy, repo, 'PUT', `/v2/${repo}/manifests/v1`, {
          headers: { 'content-type': image.mediaType },
          body: image.bytes
        })
      expect((await put()).status).toBe(201)
      const again = await put()
      expect(again.status).toBe(status)
      expect(errorCode(again.body)).toBe(code)
    }
  )

  it('refuseDockerTypes (row 31): Docker media types get 415 MANIFEST_INVALID, OCI ones pass', async () => {
    const proxy = await quirkProxy({ refuseDockerTypes: true })
    const docker = await seed('sw/zot', 'docker-src')
    const oci = await seed('sw/zot', 'oci-src', 'oci')
    const refused = await via(proxy, 'sw/zot', 'PUT', '/v2/sw/zot/manifests/d', {
      headers: { 'content-type': docker.mediaType },
      body: docker.bytes
    })
    expect(refused.status).toBe(415)
    expect(errorCode(refused.body)).toBe('MANIFEST_INVALID')
    const taken = await via(proxy, 'sw/zot', 'PUT', '/v2/sw/zot/manifests/o', {
      headers: { 'content-type': oci.mediaType },
      body: oci.bytes
    })
    expect(taken.status).toBe(201)
  })

  it('refuseOciIndex (row 30): an OCI index gets 400 MANIFEST_INVALID, a Docker list passes', async () => {
    const proxy = await quirkProxy({ refuseOciIndex: true })
    const image = await seed('sw/quay', 'src')
    const list = (mediaType: string) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType,
          manifests: [
            {
              mediaType: image.mediaType,
              digest: image.digest,
              size: image.size,
              platform: { os: 'linux', architecture: 'amd64' }
            }
          ]
        })
      )
    const refused = await via(proxy, 'sw/quay', 'PUT', '/v2/sw/quay/manifests/oci', {
      headers: { 'content-type': MT.ociIndex },
      body: list(MT.ociIndex)
    })
    expect(refused.status).toBe(400)
    expect(errorCode(refused.body)).toBe('MANIFEST_INVALID')
    const taken = await via(proxy, 'sw/quay', 'PUT', '/v2/sw/quay/manifests/docker', {
      headers: { 'content-type': MT.dockerList },
      body: list(MT.dockerList)
    })
    expect(taken.status).toBe(201)
  })
})

describe('tag list quirks', () => {
  const TAGS = ['a', 'b', 'c', 'd', 'e']
  let repo = ''

  beforeAll(async () => {
    repo = 'sw/tags'
    for (const tag of TAGS) await seed(repo, tag)
  })

  /** Follow rel="next" links (relative to the page's URL) from `first`; every page's body. */
  async function follow(proxy: QuirkProxy, first: string) {
    const pages: Array<{ path: string; tags: string[]; link: string | null }> = []
    let path: string | undefined = first
    for (let i = 0; path !== undefined && i < 10; i++) {
      const res = await via(proxy, repo, 'GET', path)
      expect(res.status).toBe(200)
      const link = res.headers.get('link')
      pages.push({ path, tags: (JSON.parse(res.body) as { tags: string[] }).tags, link })
      const target = link === null ? undefined : /<([^>]*)>/.exec(link)?.[1]
      const next: URL | undefined =
        target === undefined ? undefined : new URL(target, `${proxy.url}${path}`)
      path = next === undefined ? undefined : `${next.pathname}${next.search}`
    }
    return pages
  }

  it('tagsMaxPageSize (rows 6-8): n above the bound is 400 PAGINATION_NUMBER_INVALID', async () => {
    const proxy = await quirkProxy({ tagsMaxPageSize: 100 })
    const big = await via(proxy, repo, 'GET', `/v2/${repo}/tags/list?n=1000`)
    expect(big.status).toBe(400)
    expect(errorCode(big.body)).toBe('PAGINATION_NUMBER_INVALID')
    expect((await via(proxy, repo, 'GET', `/v2/${repo}/tags/list?n=100`)).status).toBe(200)
  })

  it('tagsLinkExtraParam (row 9): pages with a relative Link carrying orderby=', async () => {
    const proxy = await quirkProxy({ tagsLinkExtraParam: true })
    const pages = await follow(proxy, `/v2/${repo}/tags/list?n=1000`)
    expect(pages.map((p) => p.tags)).toEqual([['a', 'b'], ['c', 'd'], ['e']])
    expect(pages[0].link).toBe(
      `</v2/${repo}/tags/list?last=b&n=${QUIRK_TAGS_PAGE}&orderby=>; rel="next"`
    )
    expect(pages[2].link).toBeNull()
  })

  it('tagsLinkOnLastPage (row 10): the last page links to an empty one', async () => {
    const proxy = await quirkProxy({ tagsLinkOnLastPage: true })
    const pages = await follow(proxy, `/v2/${repo}/tags/list`)
    expect(pages.map((p) => p.tags)).toEqual([['a', 'b'], ['c', 'd'], ['e'], []])
    expect(pages[2].link).not.toBeNull()
    expect(pages[3].link).toBeNull()
  })

  it('tagsOpaqueNextPage (row 8): opaque next_page tokens; last is ignored', async () => {
    const proxy = await quirkProxy({ tagsOpaqueNextPage: true })
    const pages = await follow(proxy, `/v2/${repo}/tags/list`)
    expect(pages.map((p) => p.tags)).toEqual([['a', 'b'], ['c', 'd'], ['e']])
    expect(pages[1].path).toMatch(/\?next_page=[A-Za-z0-9_-]+$/)
    const ignored = await via(proxy, repo, 'GET', `/v2/${repo}/tags/list?last=c`)
    expect((JSON.parse(ignored.body) as { tags: string[] }).tags).toEqual(['a', 'b'])
  })

  it('tagsExtraFields (row 11): the list carries manifest and child fields', async () => {
    const proxy = await quirkProxy({ tagsExtraFields: true })
    const res = await via(proxy, repo, 'GET', `/v2/${repo}/tags/list`)
    const body = JSON.parse(res.body) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['child', 'manifest', 'name', 'tags'])
    expect(body.tags).toEqual(TAGS)
  })

  it('tagsDigestsAsTags (row 12): digests appear among the tags', async () => {
    const proxy = await quirkProxy({ tagsDigestsAsTags: true })
    const res = await via(proxy, repo, 'GET', `/v2/${repo}/tags/list`)
    const tags = (JSON.parse(res.body) as { tags: string[] }).tags
    expect(tags.filter((t) => TAGS.includes(t))).toEqual(TAGS)
    expect(tags.filter((t) => /^sha256:[a-f0-9]{64}$/.test(t))).toHaveLength(TAGS.length)
  })
})
