/**
 * src/registry/api/tags-list.ts: RFC 8288 `Link` parsing and the tags listing of
 * docs/registry-protocol.md B.4 against scripted registries on an undici MockAgent: `rel="next"`
 * links relative and absolute, followed verbatim; a bound on pages; registries that ignore
 * `n`/`last` (distribution 2.8: everything, unsorted); duplicates; 404 NAME_UNKNOWN.
 */
import { describe, it, expect } from '@jest/globals'
import { RegistryClient, type RepositoryClient } from '../../src/registry/api/client.js'
import { IntegrityError, RegistryError } from '../../src/registry/base/errors.js'
import { nextLink, parseLinkHeader } from '../../src/registry/api/link-header.js'
import { harness, serve, USER, type Handler, type Harness, type Reply } from './support/fakes.js'

const REGISTRY = '127.0.0.1:5000'
const REG = 'http://127.0.0.1:5000'
const AUTH = 'http://127.0.0.1:5001'

function repo(h: Harness, repository = 'a/b'): RepositoryClient {
  return new RegistryClient(h.transport).repository({ registry: REGISTRY, repository }, 'pull')
}

const page = (tags: unknown, link?: string): Reply & { body: object } => ({
  status: 200,
  body: { name: 'a/b', tags },
  headers: link === undefined ? {} : { link }
})

/** A registry serving `pages[path]` and 404 for anything else. */
function pagedRegistry(pages: Record<string, Reply>): Handler {
  return (req) =>
    pages[req.path] ?? {
      status: 404,
      body: { errors: [{ code: 'NOT_FOUND', message: `no page ${req.path}` }] }
    }
}

describe('parseLinkHeader', () => {
  it('reads one link with rel="next"', () => {
    expect(parseLinkHeader('</v2/a/b/tags/list?n=2&last=b>; rel="next"')).toEqual([
      { target: '/v2/a/b/tags/list?n=2&last=b', rel: ['next'], params: { rel: 'next' } }
    ])
  })

  it('reads several links, several rels, bare and quoted params with commas, semicolons and escapes', () => {
    const links = parseLinkHeader(
      '<https://r.example/a?x=1,2>; rel="prev first"; title="a, b; \\"c\\"", ' +
        '</next?page=3>;rel=NEXT;type=application/json , <http://other/>; anchor="#x"; rel="next"'
    )
    expect(links).toEqual([
      {
        target: 'https://r.example/a?x=1,2',
        rel: ['prev', 'first'],
        params: { rel: 'prev first', title: 'a, b; "c"' }
      },
      {
        target: '/next?page=3',
        rel: ['next'],
        params: { rel: 'NEXT', type: 'application/json' }
      },
      { target: 'http://other/', rel: ['next'], params: { anchor: '#x', rel: 'next' } }
    ])
  })

  it('keeps only the first rel (RFC 8288 §3.3) and lower-cases parameter names', () => {
    expect(parseLinkHeader('</a>; REL="last"; rel="next"')).toEqual([
      { target: '/a', rel: ['last'], params: { rel: 'last' } }
    ])
  })

  it('reads a header sent several times', () => {
    const links = parseLinkHeader(['</a>; rel="prev"', '</b>; rel="next"'])
    expect(links.map((l) => [l.target, l.rel])).toEqual([
      ['/a', ['prev']],
      ['/b', ['next']]
    ])
  })

  it('skips a malformed link-value and keeps the others', () => {
    const links = parseLinkHeader('garbage "with, comma", </a> junk, </b>; rel=next')
    expect(links.map((l) => l.target)).toEqual(['/b'])
  })

  it.each([
    { header: undefined },
    { header: '' },
    { header: ' , ,' },
    { header: '<unterminated; rel=next' }
  ])('finds nothing in $header', ({ header }) => {
    expect(parseLinkHeader(header)).toEqual([])
  })
})

describe('nextLink', () => {
  it.each([
    {
      link: '</v2/a/b/tags/list?n=2&last=c>; rel="next"',
      want: `${REG}/v2/a/b/tags/list?n=2&last=c`
    },
    { link: '<list?last=c>; rel="next"', want: `${REG}/v2/a/b/tags/list?last=c` },
    {
      link: '<http://127.0.0.1:5000/v2/a/b/tags/list?next_page=gAAA%3D>; rel="next"',
      want: `${REG}/v2/a/b/tags/list?next_page=gAAA%3D`
    },
    { link: '</prev>; rel="prev"', want: undefined }
  ])('resolves $link against the request URL', ({ link, want }) => {
    expect(nextLink(link, `${REG}/v2/a/b/tags/list?n=2`)?.toString()).toBe(want)
  })
})

describe('listTags', () => {
  it('follows three pages by relative and absolute links, verbatim, and sorts and dedupes', async () => {
    const h = harness()
    serve(
      h.agent,
      REG,
      h.seen,
      pagedRegistry({
        '/v2/a/b/tags/list?n=1000': page(
          ['v2', 'v1'],
          '</v2/a/b/tags/list?n=1000&next_page=opaque%2Btoken>; rel="next"'
        ),
        '/v2/a/b/tags/list?n=1000&next_page=opaque%2Btoken': page(
          ['latest', 'v1'],
          `<${REG}/v2/a/b/tags/list?next_page=third>; rel="next", </first>; rel="first"`
        ),
        '/v2/a/b/tags/list?next_page=third': page(['A', 'v10'])
      })
    )
    await expect(repo(h).listTags()).resolves.toEqual({
      tags: ['A', 'latest', 'v1', 'v10', 'v2'],
      pages: 3,
      truncated: false
    })
    expect(h.seen.map((r) => r.path)).toEqual([
      '/v2/a/b/tags/list?n=1000',
      '/v2/a/b/tags/list?n=1000&next_page=opaque%2Btoken',
      '/v2/a/b/tags/list?next_page=third'
    ])
  })

  it('asks again with n=100 when the first page size is refused with 400 (docs/registry-quirks.md rows 6-8)', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, (req) =>
      req.path === '/v2/a/b/tags/list?n=1000'
        ? {
            status: 400,
            body: { errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'n too large' }] }
          }
        : req.path === '/v2/a/b/tags/list?n=100'
          ? page(['v1', 'v2'])
          : { status: 404 }
    )
    await expect(repo(h).listTags()).resolves.toEqual({
      tags: ['v1', 'v2'],
      pages: 1,
      truncated: false
    })
    expect(h.seen.map((r) => r.path)).toEqual([
      '/v2/a/b/tags/list?n=1000',
      '/v2/a/b/tags/list?n=100'
    ])
  })

  it('asks with a smaller n only once: a 400 to n=100 is the error', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 400,
      body: { errors: [{ code: 'UNSUPPORTED', message: 'no' }] }
    }))
    await expect(repo(h).listTags()).rejects.toMatchObject({ status: 400, code: 'UNSUPPORTED' })
    expect(h.seen).toHaveLength(2)
  })

  it('stops at maxPages and says the listing is truncated', async () => {
    const h = harness()
    serve(
      h.agent,
      REG,
      h.seen,
      pagedRegistry({
        '/v2/a/b/tags/list?n=2': page(['a', 'b'], '</p2>; rel="next"'),
        '/p2': page(['c', 'd'], '</p3>; rel="next"'),
        '/p3': page(['e'])
      })
    )
    await expect(repo(h).listTags({ pageSize: 2, maxPages: 2 })).resolves.toEqual({
      tags: ['a', 'b', 'c', 'd'],
      pages: 2,
      truncated: true
    })
    expect(h.seen).toHaveLength(2)
  })

  it('takes everything from a registry that ignores n (distribution 2.8): one page when short', async () => {
    const h = harness()
    const all = ['v2', 'latest', 'v1-linux-arm64', 'v1', 'v1-linux-amd64']
    serve(h.agent, REG, h.seen, () => page(all))
    await expect(repo(h).listTags()).resolves.toEqual({
      tags: ['latest', 'v1', 'v1-linux-amd64', 'v1-linux-arm64', 'v2'],
      pages: 1,
      truncated: false
    })
  })

  it('asks once more with last= after a full page without a Link, and stops when nothing is new', async () => {
    const h = harness()
    const all = ['v2', 'latest', 'v1', 'v1-linux-amd64']
    serve(h.agent, REG, h.seen, () => page(all))
    await expect(repo(h).listTags({ pageSize: 2 })).resolves.toEqual({
      tags: ['latest', 'v1', 'v1-linux-amd64', 'v2'],
      pages: 2,
      truncated: false
    })
    expect(h.seen.map((r) => r.path)).toEqual([
      '/v2/a/b/tags/list?n=2',
      '/v2/a/b/tags/list?n=2&last=v2'
    ])
  })

  it('pages by last= for a registry that honours n and last but sends no Link', async () => {
    const h = harness()
    const all = ['a', 'b', 'c', 'd', 'e']
    serve(h.agent, REG, h.seen, (req) => {
      const n = Number(req.query.get('n'))
      const last = req.query.get('last')
      return page(all.filter((t) => last === null || t > last).slice(0, n))
    })
    await expect(repo(h).listTags({ pageSize: 2 })).resolves.toEqual({
      tags: all,
      pages: 3,
      truncated: false
    })
    expect(h.seen.map((r) => r.query.get('last'))).toEqual([null, 'b', 'd'])
  })

  it('stops when a Link leads back to a page already read', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => page(['x'], '</v2/a/b/tags/list?n=1000>; rel="next"'))
    await expect(repo(h).listTags()).resolves.toEqual({ tags: ['x'], pages: 1, truncated: false })
  })

  it('does not follow a Link to another host, and says so', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => page(['x'], '<https://elsewhere.example/p2>; rel="next"'))
    await expect(repo(h).listTags()).resolves.toEqual({ tags: ['x'], pages: 1, truncated: true })
  })

  it('follows an http:// link for its own host (a TLS proxy) on the registry origin', async () => {
    const h = harness()
    serve(
      h.agent,
      REG,
      h.seen,
      pagedRegistry({
        '/v2/a/b/tags/list?n=1000': page(['x'], '<https://127.0.0.1:5000/p2?k=v>; rel="next"'),
        '/p2?k=v': page(['y'])
      })
    )
    await expect(repo(h).listTags()).resolves.toMatchObject({ tags: ['x', 'y'], pages: 2 })
  })

  it('is empty for an unknown repository (404 NAME_UNKNOWN)', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 404,
      body: { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }
    }))
    await expect(repo(h).listTags()).resolves.toEqual({ tags: [], pages: 1, truncated: false })
  })

  it('fails on a 404 that is not NAME_UNKNOWN, and on a later page', async () => {
    const h = harness()
    serve(
      h.agent,
      REG,
      h.seen,
      pagedRegistry({ '/v2/a/b/tags/list?n=1000': page(['x'], '</gone>; rel="next"') })
    )
    const error = await repo(h)
      .listTags()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect((error as RegistryError).message).toBe(
      `GET tags ${REGISTRY}/a/b (page 2): 404 NOT_FOUND: no page /gone`
    )
  })

  it('reads "tags": null as no tags and rejects a body that is not a tag list', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, (req) =>
      req.path.startsWith('/v2/a/b/') ? page(null) : { status: 200, body: '<html>' }
    )
    await expect(repo(h).listTags()).resolves.toEqual({ tags: [], pages: 1, truncated: false })
    await expect(repo(h, 'c/d').listTags()).rejects.toBeInstanceOf(IntegrityError)
  })

  it('asks for the repository pull scope', async () => {
    const h = harness({ credentials: async () => USER })
    serve(h.agent, REG, h.seen, (req) =>
      req.headers.authorization === 'Bearer tok'
        ? page(['x'])
        : {
            status: 401,
            headers: { 'www-authenticate': `Bearer realm="${AUTH}/token",service="reg"` }
          }
    )
    serve(h.agent, AUTH, h.seen, () => ({ status: 200, body: { token: 'tok' } }))
    await expect(repo(h).listTags()).resolves.toMatchObject({ tags: ['x'] })
    expect(h.seen.find((r) => r.origin === AUTH)!.query.getAll('scope')).toEqual([
      'repository:a/b:pull'
    ])
  })

  it.each([
    { options: { pageSize: 0 } },
    { options: { maxPages: 0 } },
    { options: { pageSize: 1.5 } }
  ])('refuses $options before any request', async ({ options }) => {
    const h = harness()
    await expect(repo(h).listTags(options)).rejects.toBeInstanceOf(RangeError)
    expect(h.seen).toHaveLength(0)
  })
})
