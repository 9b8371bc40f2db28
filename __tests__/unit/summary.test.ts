/**
 * The job summary (DESIGN.md §2 "Also"): a table per image (platform, source tag, digest,
 * os.version), the status in words and what changed. The Markdown is rendered with a GFM
 * renderer (marked) to check that the tables really come out as tables.
 */
import { describe, it, expect } from '@jest/globals'
import { marked } from 'marked'
import { renderSummary } from '../../src/action/summary.js'
import type { ImageReport, PlatformReport, RunReport } from '../../src/publish/result.js'

const d = (c: string) => `sha256:${c.repeat(64)}`
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const HEADER = '| Platform | Source tag | Digest | os.version |'

function html(markdown: string): string {
  return marked.parse(markdown, { async: false })
}

/** The rendered HTML of each image's section (split at its `<h3>` heading). */
function sections(markdown: string): string[] {
  return html(markdown).split('<h3>').slice(1)
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1
}

function platform(
  name: string,
  tag: string,
  digest: string,
  extra: Partial<PlatformReport> = {}
): PlatformReport {
  return {
    platform: name,
    source: `ghcr.io/microsoft/retina/retina-agent:${tag}`,
    digest,
    size: 1234,
    mediaType: OCI_MANIFEST,
    ...extra
  }
}

const retina: ImageReport = {
  image: 'ghcr.io/microsoft/retina/retina-agent',
  tags: ['v0.0.31', 'latest'],
  digest: d('e'),
  mediaType: OCI_INDEX,
  status: 'created',
  platforms: [
    platform('linux/amd64', 'v0.0.31-linux-amd64', d('1')),
    platform('linux/arm64/v8', 'v0.0.31-linux-arm64', d('2'), { attestations: 1 }),
    platform('windows(10.0.17763.6893)/amd64', 'v0.0.31-windows-ltsc2019-amd64', d('3')),
    platform('windows(10.0.20348.3453)/amd64', 'v0.0.31-windows-ltsc2022-amd64', d('4'))
  ]
}

const updated: ImageReport = {
  image: 'ghcr.io/o/operator',
  tags: ['v2'],
  digest: d('f'),
  mediaType: OCI_INDEX,
  status: 'updated',
  previousDigest: d('9'),
  changes: { added: ['linux/arm64'], removed: ['linux/386'], changed: ['linux/amd64'] },
  platforms: [
    {
      platform: 'linux/amd64',
      source: 'ghcr.io/o/operator:v2-linux-amd64',
      digest: d('5'),
      size: 1,
      mediaType: OCI_MANIFEST
    },
    {
      platform: 'linux/arm64',
      source: 'ghcr.io/o/operator:v2-linux-arm64',
      digest: d('6'),
      size: 1,
      mediaType: OCI_MANIFEST,
      attestations: 2
    }
  ]
}

const failed: ImageReport = {
  image: 'ghcr.io/o/broken',
  tags: ['v3'],
  status: 'failed',
  platforms: [],
  error:
    'per-arch images are missing:\n  - ghcr.io/o/broken:v3-linux-arm64 (linux/arm64): not found'
}

describe('renderSummary', () => {
  const markdown = renderSummary({ images: [retina, updated, failed] })

  it('starts with the title', () => {
    expect(markdown.startsWith('## multiarch-index\n')).toBe(true)
    expect(renderSummary({ images: [] }, 'Release v1').startsWith('## Release v1\n')).toBe(true)
  })

  it('has a table per image with platforms, with the contract header', () => {
    expect(count(markdown, HEADER)).toBe(2)
    const [retinaHtml, updatedHtml, failedHtml] = sections(markdown)
    expect(count(retinaHtml, '<table>')).toBe(1)
    // header row + one row per platform
    expect(count(retinaHtml, '<tr>')).toBe(1 + 4)
    expect(count(updatedHtml, '<table>')).toBe(1)
    expect(count(updatedHtml, '<tr>')).toBe(1 + 2)
    expect(count(failedHtml, '<table>')).toBe(0)
    expect(retinaHtml).toMatch(
      /<th>Platform<\/th>\s*<th>Source tag<\/th>\s*<th>Digest<\/th>\s*<th>os\.version<\/th>/
    )
  })

  it('renders one row per platform: platform without version, source tag, short digest with the full one in title, os.version', () => {
    const rows = sections(markdown)[0].split('<tr>').slice(2)
    const cells = rows.map((row) => [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]))
    expect(cells).toEqual([
      [
        'linux/amd64',
        '<code>v0.0.31-linux-amd64</code>',
        `<code title="${d('1')}">sha256:111111111111</code>`,
        ''
      ],
      [
        'linux/arm64/v8',
        '<code>v0.0.31-linux-arm64</code>',
        `<code title="${d('2')}">sha256:222222222222</code> (+1 attestation)`,
        ''
      ],
      [
        'windows/amd64',
        '<code>v0.0.31-windows-ltsc2019-amd64</code>',
        `<code title="${d('3')}">sha256:333333333333</code>`,
        '10.0.17763.6893'
      ],
      [
        'windows/amd64',
        '<code>v0.0.31-windows-ltsc2022-amd64</code>',
        `<code title="${d('4')}">sha256:444444444444</code>`,
        '10.0.20348.3453'
      ]
    ])
  })

  it('pluralises the attestation count', () => {
    expect(sections(markdown)[1]).toContain('(+2 attestations)')
  })

  it('names the image, its tags, the index digest and media type', () => {
    const [retinaHtml] = sections(markdown)
    expect(retinaHtml).toContain('<code>ghcr.io/microsoft/retina/retina-agent</code>')
    expect(retinaHtml).toContain('<code>v0.0.31</code>, <code>latest</code>')
    expect(retinaHtml).toContain(
      `<code title="${d('e')}">sha256:eeeeeeeeeeee</code> (${OCI_INDEX})`
    )
  })

  it('says the status in words', () => {
    const [retinaHtml, updatedHtml, failedHtml] = sections(markdown)
    expect(retinaHtml).toContain(
      '<strong>Status:</strong> created: the index was pushed for the first time'
    )
    expect(updatedHtml).toContain(
      '<strong>Status:</strong> updated: the tag held a different index, which was replaced'
    )
    expect(failedHtml).toContain('<strong>Status:</strong> failed')
    expect(retinaHtml.startsWith('✅')).toBe(true)
    expect(failedHtml.startsWith('❌')).toBe(true)
  })

  it.each<[ImageReport['status'], RegExp]>([
    ['unchanged', /unchanged: the tag already held this exact index; nothing was written/],
    ['verified', /verified: the index is complete and every platform resolves/],
    ['planned', /planned \(dry-run\): nothing was written/]
  ])('words for %s', (status, words) => {
    expect(renderSummary({ images: [{ ...retina, status }] })).toMatch(words)
  })

  it.each<[NonNullable<ImageReport['plannedAction']>, string]>([
    ['create', '(would create)'],
    ['update', '(would update)'],
    ['nothing', '(would change nothing)']
  ])('dry-run says what it would do: %s', (plannedAction, words) => {
    expect(renderSummary({ images: [{ ...retina, status: 'planned', plannedAction }] })).toContain(
      `planned (dry-run): nothing was written ${words}`
    )
  })

  it('shows the previous digest and what changed', () => {
    const updatedHtml = sections(markdown)[1]
    expect(updatedHtml).toContain(
      `<strong>Previous index:</strong> <code title="${d('9')}">sha256:999999999999</code>`
    )
    expect(updatedHtml).toContain(
      '<strong>Changed:</strong> added linux/arm64; removed linux/386; new image for linux/amd64'
    )
  })

  it('says when only entry details changed', () => {
    const md = renderSummary({
      images: [{ ...updated, changes: { added: [], removed: [], changed: [] } }]
    })
    expect(md).toContain('**Changed:** platforms unchanged (entry details differ)')
  })

  it('leaves out previous digest and changes when there are none', () => {
    expect(sections(markdown)[0]).not.toContain('Previous index')
    expect(sections(markdown)[0]).not.toContain('Changed:')
  })

  it('shows a failed image’s error in a code block', () => {
    const failedHtml = sections(markdown)[2]
    expect(failedHtml).toContain(
      '<pre><code class="language-text">per-arch images are missing:\n  - ghcr.io/o/broken:v3-linux-arm64 (linux/arm64): not found\n</code></pre>'
    )
    // no error block for images that did not fail
    expect(sections(markdown)[0]).not.toContain('<pre>')
  })

  it('keeps an error with ``` in it inside one code block', () => {
    const error = 'registry said:\n```\n{"errors":[{"code":"DENIED"}]}\n```\nthe end'
    const rendered = html(renderSummary({ images: [{ ...failed, error }] }))
    expect(count(rendered, '<pre>')).toBe(1)
    const block = /<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/.exec(rendered)?.[1]
    expect(block).toBe(
      'registry said:\n```\n{&quot;errors&quot;:[{&quot;code&quot;:&quot;DENIED&quot;}]}\n```\nthe end\n'
    )
  })

  it('marks stale entries (verify mode)', () => {
    const md = renderSummary({
      images: [
        {
          ...retina,
          status: 'verified',
          platforms: [platform('linux/amd64', 'v0.0.31-linux-amd64', d('1'), { stale: true })]
        }
      ]
    })
    expect(sections(md)[0]).toMatch(
      /<td><code title="sha256:1{64}">sha256:111111111111<\/code> ⚠️ stale<\/td>/
    )
  })

  it('escapes pipes in cell values, so the table keeps four columns', () => {
    const report: RunReport = {
      images: [
        {
          ...retina,
          platforms: [
            {
              platform: 'linux|x/amd64',
              source: 'ghcr.io/o/app:a|b',
              digest: d('1'),
              size: 1,
              mediaType: OCI_MANIFEST
            },
            {
              platform: 'linux/arm64',
              source: 'ghcr.io/o/app:ok',
              digest: d('2'),
              size: 1,
              mediaType: OCI_MANIFEST
            }
          ]
        }
      ]
    }
    const md = renderSummary(report)
    expect(md).toContain('| linux\\|x/amd64 | `a\\|b` |')
    const tableHtml = sections(md)[0]
    const firstRow = tableHtml.split('<tr>')[2]
    expect(count(firstRow, '<td>')).toBe(4)
    expect(firstRow).toContain('<td>linux|x/amd64</td>')
    expect(firstRow).toContain('<td><code>a|b</code></td>')
    expect(count(tableHtml, '<tr>')).toBe(1 + 2)
  })

  it('shows the digest of a source given by digest in the source column', () => {
    const md = renderSummary({
      images: [
        {
          ...retina,
          platforms: [
            {
              platform: 'linux/amd64',
              source: `ghcr.io/o/app@${d('7')}`,
              digest: d('7'),
              size: 1,
              mediaType: OCI_MANIFEST
            }
          ]
        }
      ]
    })
    expect(md).toContain(`| linux/amd64 | \`${d('7')}\` |`)
  })

  it('uses the source tag, not a registry port, for a source on host:port', () => {
    const md = renderSummary({
      images: [
        {
          ...retina,
          platforms: [
            {
              platform: 'linux/amd64',
              source: '127.0.0.1:5000/o/app:v1-linux-amd64',
              digest: d('7'),
              size: 1,
              mediaType: OCI_MANIFEST
            }
          ]
        }
      ]
    })
    expect(md).toContain('| linux/amd64 | `v1-linux-amd64` |')
  })
})
