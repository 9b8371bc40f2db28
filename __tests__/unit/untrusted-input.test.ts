/**
 * Registry answers as untrusted input (docs/design.md §3 "Untrusted input"): one neutraliser for
 * registry text in messages and logs, validation where a field is read (digests, platform
 * fields, tag names), and discovery that is capped and stops when the step is cancelled.
 * Scripted registries on an undici MockAgent; fake time.
 */
import { describe, expect, it } from '@jest/globals'
import { commandSafe, escapeHtml, markdownCode, neutralise } from '../../src/oci/untrusted-text.js'
import { parseImageConfig, parseManifest } from '../../src/oci/manifest-parse.js'
import { MEDIA_TYPE_OCI_INDEX } from '../../src/oci/media-types.js'
import { RegistryClient, type RepositoryClient } from '../../src/registry/api/client.js'
import { parseErrorBody, RegistryError } from '../../src/registry/base/errors.js'
import { classifyTags, discoverSources } from '../../src/publish/discover.js'
import { parseTemplate } from '../../src/publish/template.js'
import { progressLogger } from '../../src/cli/main.js'
import { renderText } from '../../src/cli/summary.js'
import { CancelledError } from '../../src/registry/base/errors.js'
import { harness, serve, type Harness } from './support/fakes.js'

const REGISTRY = '127.0.0.1:5000'
const REG = 'http://127.0.0.1:5000'
const DIGEST = `sha256:${'a'.repeat(64)}`
const FORGED = [
  '1\n::warning title=x::forged',
  '::add-mask::linux',
  '##[error]legacy',
  '\r::error::cr'
]

/** The lines of `text` a runner would take as a workflow command. */
function commandLines(text: string): string[] {
  return (
    text
      .split(/\r\n|\r|\n/)
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .filter((line) => /^[\s\u001c-\u001f\u0085]*::/.test(line) || line.includes('##['))
  )
}

function repo(h: Harness): RepositoryClient {
  return new RegistryClient(h.transport).repository(
    { registry: REGISTRY, repository: 'a/b' },
    'pull'
  )
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value))

describe('the neutraliser', () => {
  it('leaves no line break, control character or workflow command in registry text', () => {
    for (const text of FORGED) {
      const safe = neutralise(text)
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
      expect(commandLines(safe)).toEqual([])
      expect(commandLines(`prefix ${safe}`)).toEqual([])
    }
    expect(neutralise('a\nb\x1b[31mc\u2028')).toBe('a\\nb\\x1b[31mc\\u2028')
    expect(neutralise('  ::set-output')).toBe('  \\x3a:set-output')
    expect(neutralise('v1.2.3-linux-amd64')).toBe('v1.2.3-linux-amd64')
  })

  it('keeps the lines of a message but defuses every command line in it', () => {
    const message = `first line\n  ::warning::x\r##[group]y\nlast`
    expect(commandSafe(message).split('\n')).toHaveLength(4)
    expect(commandLines(commandSafe(message))).toEqual([])
  })

  it('escapes HTML and builds code spans nothing can break out of', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    )
    expect(markdownCode('a`b``c')).toBe('```a`b``c```')
    expect(markdownCode('`x')).toBe('`` `x ``')
    expect(markdownCode('a|b\nc')).toBe('`a\\|b\\nc`')
  })
})

describe('registry text in errors', () => {
  it('is one neutralised line in a RegistryError message', () => {
    const body = json({ errors: [{ code: 'DENIED', message: 'no\n::error::forged\r##[x]' }] })
    const error = new RegistryError(
      { operation: 'GET manifest', target: 'r/a:b' },
      403,
      parseErrorBody(body).errors
    )
    expect(error.message.split('\n')).toHaveLength(1)
    expect(commandLines(error.message)).toEqual([])
    const html = parseErrorBody(Buffer.from('<p>bad\u001b[2J</p>'))
    expect(html.text).toBe('bad\\x1b[2J')
  })
})

describe('platform fields are checked where they are read', () => {
  it('rejects a config whose os.version, os, architecture or variant is outside the grammar', () => {
    const bad = [
      { os: 'linux', architecture: 'amd64', 'os.version': '1\n::warning::x' },
      { os: 'linux\n::add-mask::linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'amd64<img src=x>' },
      { os: 'linux', architecture: 'arm', variant: 'v7 ##[error]' },
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.x' }
    ]
    for (const config of bad) {
      expect(() => parseImageConfig(json(config))).toThrow(
        /image config's (os|architecture|variant|os\.version) /
      )
    }
    expect(
      parseImageConfig(
        json({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.3453' })
      )
    ).toEqual({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.3453' })
  })

  it('rejects an index descriptor whose digest, media type or platform is not well-formed', () => {
    const index = (descriptor: object) =>
      json({ schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_INDEX, manifests: [descriptor] })
    const good = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: DIGEST,
      size: 10,
      platform: { os: 'linux', architecture: 'amd64' }
    }
    expect(parseManifest(index(good), MEDIA_TYPE_OCI_INDEX).kind).toBe('index')
    for (const [descriptor, problem] of [
      [{ ...good, digest: 'sha256:"><a href=x>' }, 'manifests[0].digest'],
      [{ ...good, mediaType: 'text/html\n::error::x' }, 'manifests[0].mediaType'],
      [
        { ...good, platform: { os: 'linux', architecture: 'amd64', 'os.version': '<b>' } },
        'os.version'
      ],
      [{ ...good, size: -1 }, 'manifests[0].size']
    ] as const) {
      expect(() => parseManifest(index(descriptor), MEDIA_TYPE_OCI_INDEX)).toThrow(problem)
    }
  })
})

describe('digests are checked where they are read', () => {
  it('does not take a HEAD Docker-Content-Digest that is not a digest: the GET hashes the bytes', async () => {
    const h = harness()
    const manifest = json({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_OCI_INDEX,
      manifests: []
    })
    serve(h.agent, REG, h.seen, (req) => ({
      status: 200,
      body: req.method === 'HEAD' ? '' : manifest,
      headers: {
        'content-type': MEDIA_TYPE_OCI_INDEX,
        'content-length': String(manifest.length),
        ...(req.method === 'HEAD'
          ? { 'docker-content-digest': 'sha256:"><a href="https://evil.example">x</a>' }
          : {})
      }
    }))
    const head = await repo(h).headManifest('v1')
    expect(head?.digest).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(h.seen.map((r) => r.method)).toEqual(['HEAD', 'GET'])
  })
})

describe('tag names from a listing', () => {
  it('are checked against the tag grammar; the invalid ones are dropped and counted', async () => {
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: { name: 'a/b', tags: ['v1-linux-amd64', 'v1\n::warning::x', '<img src=x>', '-x', 'ok'] }
    }))
    await expect(repo(h).listTags()).resolves.toEqual({
      tags: ['ok', 'v1-linux-amd64'],
      pages: 1,
      truncated: false,
      invalid: 3
    })
  })

  it('stop at the tag-count cap and at the page-size cap, saying so', async () => {
    const h = harness()
    const tags = Array.from({ length: 50 }, (_, i) => `t${i}`)
    serve(h.agent, REG, h.seen, () => ({ status: 200, body: { name: 'a/b', tags } }))
    const byCount = await repo(h).listTags({ maxTags: 10 })
    expect(byCount).toMatchObject({
      truncated: true,
      truncatedWhy: 'the listing has more than 10 tags'
    })
    expect(byCount.tags).toHaveLength(10)
    const bySize = await repo(h).listTags({ maxPageBytes: 100 })
    expect(bySize).toMatchObject({ tags: [], truncated: true })
    expect(bySize.truncatedWhy).toContain('larger than 100 bytes')
  })
})

describe('discovery', () => {
  const template = parseTemplate('{tag}-{os}{-release}-{arch}{-variant}')

  it('stops at the next slice when the step is cancelled, and when its deadline passes', async () => {
    const tags = Array.from({ length: 5000 }, (_, i) => `other-${i}`)
    let checks = 0
    const classifying = classifyTags(tags, template, 'v1', ['v1'], () => {
      checks++
      throw new CancelledError('platforms: auto: cancelled')
    })
    await expect(classifying).rejects.toBeInstanceOf(CancelledError)
    expect(checks).toBe(1)

    const controller = new AbortController()
    const h = harness({ signal: controller.signal })
    serve(h.agent, REG, h.seen, () => {
      controller.abort() // the runner's SIGINT arrives while the listing is read
      return { status: 200, body: { name: 'a/b', tags } }
    })
    await expect(discoverSources(repo(h), template, 'v1', ['v1'])).rejects.toBeInstanceOf(
      CancelledError
    )
    const late = harness()
    serve(late.agent, REG, late.seen, () => {
      late.time.advance(3_600_000) // the step's timeout passes while the listing is read
      return { status: 200, body: { name: 'a/b', tags } }
    })
    await expect(discoverSources(repo(late), template, 'v1', ['v1'])).rejects.toMatchObject({
      name: 'DeadlineError'
    })
  })

  it('groups the ignored tags with a count and at most five examples, and reports truncation', async () => {
    const tags = [...Array.from({ length: 3000 }, (_, i) => `other-${i}`), 'v1-linux-amd64']
    const classified = await classifyTags(tags, template, 'v1', ['v1'])
    expect(classified.found).toEqual([{ tag: 'v1-linux-amd64', platform: 'linux/amd64' }])
    expect(classified.ignored).toEqual([
      {
        why: "not a per-platform tag of v1 under '{tag}-{os}{-release}-{arch}{-variant}'",
        count: 3000,
        examples: ['other-0', 'other-1', 'other-2', 'other-3', 'other-4']
      }
    ])
    const h = harness()
    serve(h.agent, REG, h.seen, () => ({
      status: 200,
      body: { name: 'a/b', tags: ['v1-linux-amd64', 'bad\ntag'] }
    }))
    const found = await discoverSources(repo(h), template, 'v1', ['v1'])
    expect(found.discovery).toMatchObject({ truncated: false, invalidTags: 1 })
  })
})

describe('the CLI output', () => {
  it('has no line a runner would take as a command, whatever the registry said', () => {
    const written: string[] = []
    const logger = progressLogger({ write: (text: string) => written.push(text) })
    logger.info(`platform ${FORGED.join(' ')}`)
    logger.warning(`multi\n::error::line`)
    const text = renderText(
      [
        {
          image: '127.0.0.1:5000/a/b',
          tags: ['v1'],
          status: 'failed',
          platforms: [],
          error: `GET manifest x: 400 ${FORGED.join('\n')}`
        }
      ],
      { tag: 'v1', mode: 'publish' }
    )
    expect(commandLines(written.join(''))).toEqual([])
    // renderText is what the CLI prints through its guard.
    expect(commandLines(commandSafe(text))).toEqual([])
  })
})
