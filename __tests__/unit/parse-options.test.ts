/**
 * parseOptions: raw inputs → typed options, and every rejection that needs no request
 * (docs/design.md §2 input contract, §4 "bad inputs are rejected before any request, naming the input").
 */
import { describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/publish/errors.js'
import { parseOptions } from '../../src/publish/parse-options.js'
import { splitLines, splitList } from '../../src/publish/input-text.js'
import type { PublishOptions, RawInputs } from '../../src/publish/options.js'
import { formatReference } from '../../src/registry/base/reference.js'

const DIGEST_A = `sha256:${'a'.repeat(64)}`
const DIGEST_B = `sha256:${'b'.repeat(64)}`

/** The source references of every plan, formatted, per image. */
function sourcesOf(options: PublishOptions): Record<string, string[]> {
  return Object.fromEntries(
    options.plans.map((p) => [
      `${p.image.registry}/${p.image.repository}`,
      p.sources.map((s) => formatReference(s.reference))
    ])
  )
}

/** Run parseOptions and return the InputError it throws (fails the test when it does not throw one). */
function rejection(raw: RawInputs, env: Record<string, string | undefined> = {}): InputError {
  let thrown: unknown
  try {
    parseOptions(raw, env)
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(InputError)
  return thrown as InputError
}

describe('splitList / splitLines', () => {
  it('splitList splits on newlines and commas, drops blanks and # comment lines', () => {
    expect(splitList('a, b\n\n  # comment, with comma\n c ,,\r\nd')).toEqual(['a', 'b', 'c', 'd'])
  })
  it('splitLines keeps commas inside a line', () => {
    expect(splitLines('x = a, b\n\n# c\n  y  ')).toEqual(['x = a, b', 'y'])
  })
  it('both give [] for undefined', () => {
    expect(splitList(undefined)).toEqual([])
    expect(splitLines(undefined)).toEqual([])
  })
})

describe('parseOptions: accepted inputs', () => {
  it('platforms auto plans discovery instead of sources (also per image line)', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app\nghcr.io/o/op = auto',
      tag: 'v1',
      platforms: 'linux/amd64'
    })
    expect(options.plans[0].discover).toBeUndefined()
    expect(options.plans[1]).toMatchObject({ discover: true, sources: [] })
    expect(
      parseOptions({ images: 'ghcr.io/o/app', tag: 'v1', platforms: 'AUTO' }).plans[0].discover
    ).toBe(true)
  })

  it('takes a source in another repository or registry when there is one image', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      sources: 'quay.io/o/app-amd64:v1, ghcr.io/o/app-arm64:v1'
    })
    expect(sourcesOf(options)).toEqual({
      'ghcr.io/o/app': ['quay.io/o/app-amd64:v1', 'ghcr.io/o/app-arm64:v1']
    })
  })

  it('reads a source-template with a / as a full reference (the image-amd64:tag layout)', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      'source-template': 'ghcr.io/o/app-{arch}{-variant}:{tag}',
      platforms: 'linux/amd64, linux/arm/v7'
    })
    expect(sourcesOf(options)).toEqual({
      'ghcr.io/o/app': ['ghcr.io/o/app-amd64:v1', 'ghcr.io/o/app-arm-v7:v1']
    })
  })

  it('Retina: four platforms give the four per-arch tags, in platforms order', () => {
    const options = parseOptions({
      images: 'ghcr.io/microsoft/retina/retina-agent',
      tag: 'v0.0.31',
      platforms: 'linux/amd64, linux/arm64, windows(ltsc2019)/amd64, windows(ltsc2022)/amd64'
    })
    expect(options.plans).toHaveLength(1)
    const [plan] = options.plans
    expect(plan.image).toEqual({ registry: 'ghcr.io', repository: 'microsoft/retina/retina-agent' })
    expect(plan.tags).toEqual(['v0.0.31'])
    expect(plan.sources.map((s) => s.reference.tag)).toEqual([
      'v0.0.31-linux-amd64',
      'v0.0.31-linux-arm64',
      'v0.0.31-windows-ltsc2019-amd64',
      'v0.0.31-windows-ltsc2022-amd64'
    ])
    for (const s of plan.sources) {
      expect(s.reference.registry).toBe('ghcr.io')
      expect(s.reference.repository).toBe('microsoft/retina/retina-agent')
      expect(s.reference.digest).toBeUndefined()
    }
    expect(plan.sources.map((s) => s.expected?.text)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows(ltsc2019)/amd64',
      'windows(ltsc2022)/amd64'
    ])
    expect(plan.sources[2].expected).toMatchObject({
      os: 'windows',
      architecture: 'amd64',
      release: 'ltsc2019',
      osVersion: '10.0.17763'
    })
    expect(plan.sources[3].expected).toMatchObject({
      os: 'windows',
      architecture: 'amd64',
      release: 'ltsc2022',
      osVersion: '10.0.20348'
    })
    expect(options.tag).toBe('v0.0.31')
  })

  it('applies the defaults of docs/design.md §2', () => {
    const options = parseOptions({ images: 'ghcr.io/o/app', tag: 'v1' })
    expect(sourcesOf(options)).toEqual({
      'ghcr.io/o/app': ['ghcr.io/o/app:v1-linux-amd64', 'ghcr.io/o/app:v1-linux-arm64']
    })
    expect(options.plans[0].sources.map((s) => s.expected?.text)).toEqual([
      'linux/amd64',
      'linux/arm64'
    ])
    expect(options.mode).toBe('publish')
    expect(options.mediaType).toBe('auto')
    expect(options.onExisting).toBe('update')
    expect(options.floatingTags).toBe('together')
    expect(options.waitTimeoutMs).toBe(0)
    expect(options.timeoutMs).toBe(10 * 60_000)
    expect(options.annotations).toEqual({})
    expect(options.insecureRegistries).toEqual([])
    expect(options.username).toBeUndefined()
    expect(options.password).toBeUndefined()
    expect(options.sourceTemplate.text).toBe('{tag}-{os}{-release}-{arch}{-variant}')
  })

  it('treats empty and whitespace-only inputs as unset (defaults apply)', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      platforms: '  ',
      mode: '',
      'media-type': ' ',
      'on-existing': '',
      'wait-timeout': '',
      timeout: '\n',
      sources: '',
      username: ' ',
      password: ''
    })
    expect(options.plans[0].sources).toHaveLength(2)
    expect(options).toMatchObject({
      mode: 'publish',
      mediaType: 'auto',
      onExisting: 'update',
      waitTimeoutMs: 0,
      timeoutMs: 600_000
    })
  })

  it('takes the tag from GITHUB_REF_NAME when the tag input is empty', () => {
    const options = parseOptions(
      { images: 'ghcr.io/o/app', tag: '' },
      { GITHUB_REF_NAME: 'v2.3.4' }
    )
    expect(options.tag).toBe('v2.3.4')
    expect(options.plans[0].tags).toEqual(['v2.3.4'])
    expect(options.plans[0].sources[0].reference.tag).toBe('v2.3.4-linux-amd64')
  })

  it('prefers the tag input over GITHUB_REF_NAME', () => {
    expect(
      parseOptions({ images: 'ghcr.io/o/app', tag: 'v1' }, { GITHUB_REF_NAME: 'main' }).tag
    ).toBe('v1')
  })

  it('reads platforms as a newline or comma list with blank and # comment lines', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      platforms:
        '# the Linux ones\nlinux/amd64, linux/arm64\n\n  linux/arm/v7\n# windows(ltsc2022)/amd64\n'
    })
    expect(options.plans[0].sources.map((s) => s.reference.tag)).toEqual([
      'v1-linux-amd64',
      'v1-linux-arm64',
      'v1-linux-arm-v7'
    ])
  })

  it('takes several images, one with its own platform list', () => {
    const options = parseOptions({
      images: '# targets\nghcr.io/o/agent\n\nghcr.io/o/operator = linux/amd64\n',
      tag: 'v1',
      platforms: 'linux/amd64,linux/arm64'
    })
    expect(sourcesOf(options)).toEqual({
      'ghcr.io/o/agent': ['ghcr.io/o/agent:v1-linux-amd64', 'ghcr.io/o/agent:v1-linux-arm64'],
      'ghcr.io/o/operator': ['ghcr.io/o/operator:v1-linux-amd64']
    })
  })

  it('reads a per-line platform list with commas', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/op = linux/arm64, windows(ltsc2022)/amd64',
      tag: 'v1'
    })
    expect(options.plans[0].sources.map((s) => s.reference.tag)).toEqual([
      'v1-linux-arm64',
      'v1-windows-ltsc2022-amd64'
    ])
  })

  it('applies bare extra tags to every image and a full-ref tag to the image it names only', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/a\nghcr.io/o/b',
      tag: 'v1.2.3',
      tags: 'latest, 1.2\nghcr.io/o/b:stable'
    })
    expect(options.plans.map((p) => p.tags)).toEqual([
      ['v1.2.3', 'latest', '1.2'],
      ['v1.2.3', 'latest', '1.2', 'stable']
    ])
  })

  it('does not repeat the release tag when tags lists it again', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/a',
      tag: 'v1',
      tags: 'v1, latest, ghcr.io/o/a:latest'
    })
    expect(options.plans[0].tags).toEqual(['v1', 'latest'])
  })

  it('matches a full-ref tag to a Docker Hub image after normalisation', () => {
    const options = parseOptions({
      images: 'alpine',
      tag: 'v1',
      tags: 'docker.io/library/alpine:edge'
    })
    expect(options.plans[0].tags).toEqual(['v1', 'edge'])
  })

  it('takes sources by tag and by digest, in the order given, with no expected platform', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      sources: `ghcr.io/o/app:build-arm64\nghcr.io/o/app@${DIGEST_A}, ghcr.io/o/app:build-amd64`
    })
    const sources = options.plans[0].sources
    expect(sources.map((s) => formatReference(s.reference))).toEqual([
      'ghcr.io/o/app:build-arm64',
      `ghcr.io/o/app@${DIGEST_A}`,
      'ghcr.io/o/app:build-amd64'
    ])
    expect(sources.every((s) => s.expected === undefined)).toBe(true)
    expect(sources[1].reference.tag).toBeUndefined()
    expect(sources[1].reference.digest).toBe(DIGEST_A)
  })

  it('gives each image only the sources in its repository', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/a\nghcr.io/o/b',
      tag: 'v1',
      sources: `ghcr.io/o/b:x1, ghcr.io/o/a:y1, ghcr.io/o/b@${DIGEST_B}`
    })
    expect(sourcesOf(options)).toEqual({
      'ghcr.io/o/a': ['ghcr.io/o/a:y1'],
      'ghcr.io/o/b': ['ghcr.io/o/b:x1', `ghcr.io/o/b@${DIGEST_B}`]
    })
  })

  it('reads annotations as key=value lines, keeping = in the value', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      annotations:
        '# OCI annotations\norg.opencontainers.image.source = https://github.com/o/app?a=b\norg.opencontainers.image.description=x=y=z\nempty='
    })
    expect(options.annotations).toEqual({
      'org.opencontainers.image.source': 'https://github.com/o/app?a=b',
      'org.opencontainers.image.description': 'x=y=z',
      empty: ''
    })
  })

  it('accepts annotations with media-type oci', () => {
    expect(
      parseOptions({ images: 'ghcr.io/o/app', tag: 'v1', annotations: 'a=1', 'media-type': 'oci' })
        .annotations
    ).toEqual({ a: '1' })
  })

  it('normalises insecure-registries: scheme and trailing slash dropped, lower-cased', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      'insecure-registries': 'HTTP://Registry.Local:5000/\nhttps://10.0.0.5, plain.host, [::1]:5000'
    })
    expect(options.insecureRegistries).toEqual([
      'registry.local:5000',
      '10.0.0.5',
      'plain.host',
      '[::1]:5000'
    ])
  })

  it('normalises a Docker Hub images line (alpine → docker.io/library/alpine)', () => {
    const options = parseOptions({ images: 'alpine\nindex.docker.io/o/tool', tag: 'v1' })
    expect(options.plans.map((p) => p.image)).toEqual([
      { registry: 'docker.io', repository: 'library/alpine' },
      { registry: 'docker.io', repository: 'o/tool' }
    ])
    expect(formatReference(options.plans[0].sources[0].reference)).toBe(
      'docker.io/library/alpine:v1-linux-amd64'
    )
  })

  it('parses mode, media-type, on-existing case-insensitively and durations', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      mode: 'Dry-Run',
      'media-type': 'OCI',
      'on-existing': 'keep',
      'floating-tags': 'Each',
      'wait-timeout': '90s',
      timeout: '1h'
    })
    expect(options).toMatchObject({
      mode: 'dry-run',
      mediaType: 'oci',
      onExisting: 'keep',
      floatingTags: 'each',
      waitTimeoutMs: 90_000,
      timeoutMs: 3_600_000
    })
  })

  it('keeps credentials: username trimmed, password as given, github-token trimmed', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      username: ' bot ',
      password: ' p@ss ',
      'github-token': ' ghs_x '
    })
    expect(options.username).toBe('bot')
    expect(options.password).toBe(' p@ss ')
    expect(options.githubToken).toBe('ghs_x')
  })

  it('uses a custom source-template', () => {
    const options = parseOptions({
      images: 'ghcr.io/o/app',
      tag: 'v1',
      'source-template': 'build-{arch}{-variant}-{tag}',
      platforms: 'linux/arm/v7, linux/amd64'
    })
    expect(options.plans[0].sources.map((s) => s.reference.tag)).toEqual([
      'build-arm-v7-v1',
      'build-amd64-v1'
    ])
    expect(options.sourceTemplate.text).toBe('build-{arch}{-variant}-{tag}')
  })
})

/**
 * Each row: a description, the inputs (over a valid base), the input the error must name,
 * and a pattern the message must match: what is wrong and what is accepted.
 */
type Rejection = [string, RawInputs, string, RegExp, Record<string, string>?]

const BASE: RawInputs = { images: 'ghcr.io/o/app', tag: 'v1' }

const rejections: Rejection[] = [
  // references in images
  [
    'uppercase repository',
    { images: 'ghcr.io/O/App' },
    'images',
    /'O\/App' is not a valid repository \(lowercase letters/
  ],
  [
    'http:// scheme',
    { images: 'http://host/x' },
    'images',
    /without http:\/\/.*insecure-registries/
  ],
  [
    'https:// scheme',
    { images: 'https://x' },
    'images',
    /URL scheme; write host\/repository without http:\/\/ or https:\/\//
  ],
  [
    'whitespace inside a repository',
    { images: 'ghcr.io/o/a b' },
    'images',
    /'ghcr\.io\/o\/a b' contains whitespace/
  ],
  [
    'images line with a tag',
    { images: 'ghcr.io/o/app:v1' },
    'images',
    /names a tag; give the repository only/
  ],
  [
    'images line with a digest',
    { images: `ghcr.io/o/app@${DIGEST_A}` },
    'images',
    /names a digest; give the repository only/
  ],
  [
    'images line with a bad digest',
    { images: 'ghcr.io/o/app@sha256:1234' },
    'images',
    /'sha256:1234' is not a valid digest \(sha256:<64 hex>\)/
  ],
  [
    'empty images',
    { images: '' },
    'images',
    /is empty; give at least one target repository, e.g\. ghcr\.io\/owner\/app/
  ],
  [
    'images with only comments',
    { images: '# ghcr.io/o/app\n   # more\n' },
    'images',
    /is empty; give at least one target repository/
  ],
  [
    'duplicate images line',
    { images: 'ghcr.io/o/app\nghcr.io/o/app' },
    'images',
    /ghcr\.io\/o\/app is listed twice; list each repository once/
  ],
  [
    'duplicate images after normalisation',
    { images: 'alpine\ndocker.io/library/alpine' },
    'images',
    /docker\.io\/library\/alpine is listed twice/
  ],
  [
    'images line with = but no repository',
    { images: '= linux/amd64' },
    'images',
    /reference is empty/
  ],
  // platforms
  [
    'platform without arch',
    { platforms: 'linux' },
    'platforms',
    /'linux' is not a platform; expected os\/arch\[\/variant\] or os\(version\)\/arch/
  ],
  [
    'platform with empty arch',
    { platforms: 'linux/' },
    'platforms',
    /'linux\/' is not a platform; expected os\/arch/
  ],
  [
    'platform without os',
    { platforms: '/amd64' },
    'platforms',
    /'\/amd64' is not a platform; expected os\/arch/
  ],
  [
    'unknown Windows release',
    { platforms: 'windows(ltsc2099)/amd64' },
    'platforms',
    /'ltsc2099' is neither a Windows release \(ltsc2019, ltsc2022, ltsc2025\) nor an os\.version like 10\.0\.20348/
  ],
  [
    'os version on linux',
    { platforms: 'linux(10.0.1)/amd64' },
    'platforms',
    /os version in parentheses is only meaningful for windows/
  ],
  [
    'arm64 listed twice (arm64 ≡ arm64/v8)',
    { platforms: 'linux/arm64, linux/arm64/v8' },
    'platforms',
    /'linux\/arm64\/v8' and 'linux\/arm64' are the same platform; each platform may appear once/
  ],
  [
    'arm listed twice (arm ≡ arm/v7)',
    { platforms: 'linux/arm, linux/arm/v7' },
    'platforms',
    /'linux\/arm\/v7' and 'linux\/arm' are the same platform; each platform may appear once/
  ],
  [
    'ltsc2022 listed twice as release and build',
    { platforms: 'windows(ltsc2022)/amd64\nwindows(10.0.20348)/amd64' },
    'platforms',
    /are the same platform/
  ],
  [
    'platforms with only separators',
    { platforms: ', ,' },
    'platforms',
    /is empty; give at least one platform, e.g\. linux\/amd64/
  ],
  [
    'empty per-line platform list',
    { images: 'x/y =' },
    'images',
    /'x\/y =': no platforms after '='; give them \(e\.g\. x\/y = linux\/amd64\) or drop the '='/
  ],
  [
    'bad per-line platform names the image',
    { images: 'ghcr.io/o/op = linux' },
    'images',
    /ghcr\.io\/o\/op: 'linux' is not a platform; expected os\/arch/
  ],
  [
    'duplicate per-line platform',
    { images: 'ghcr.io/o/op = linux/arm, linux/arm/v7' },
    'images',
    /ghcr\.io\/o\/op: .* are the same platform/
  ],
  // source-template
  [
    'unknown token',
    { 'source-template': '{tag}-{foo}' },
    'source-template',
    /unknown token \{foo\}; tokens are \{tag\} \{os\} \{arch\} \{variant\} \{release\} \{osversion\}, each also as \{-x\}/
  ],
  [
    'unclosed token',
    { 'source-template': '{tag' },
    'source-template',
    /unclosed '\{' at position 1/
  ],
  [
    'stray }',
    { 'source-template': '{tag}-{os}}' },
    'source-template',
    /unmatched '\}' at position 11/
  ],
  [
    'template without tokens',
    { 'source-template': 'latest-build' },
    'source-template',
    /has no tokens, so every platform would have the same source/
  ],
  [
    'template rendering one tag for two platforms',
    { 'source-template': '{tag}-{os}', platforms: 'linux/amd64, linux/arm64' },
    'source-template',
    /renders the same tag 'v1-linux' for linux\/amd64 and linux\/arm64; add a token that tells them apart/
  ],
  [
    'template rendering an invalid tag',
    { 'source-template': '{tag}/{arch}' },
    'source-template',
    /renders 'v1\/amd64' for linux\/amd64, which is neither a valid tag nor a full reference with a tag/
  ],
  [
    'template rendering the release tag itself',
    { 'source-template': '{tag}{-variant}', platforms: 'linux/amd64' },
    'source-template',
    /the source ghcr\.io\/o\/app:v1 is also a tag the index would be pushed to \(v1\); a source must have a tag of its own/
  ],
  [
    'template rendering an extra tag',
    { tags: 'v1-linux-amd64' },
    'source-template',
    /the source ghcr\.io\/o\/app:v1-linux-amd64 is also a tag the index would be pushed to/
  ],
  // durations
  [
    'timeout: ten',
    { timeout: 'ten' },
    'timeout',
    /'ten' is not a duration; use e\.g\. 0, 90s, 10m, 1h or 1m30s/
  ],
  [
    'wait-timeout: -5s',
    { 'wait-timeout': '-5s' },
    'wait-timeout',
    /'-5s' is not a duration; use e\.g\. 0, 90s/
  ],
  ['timeout: 5x', { timeout: '5x' }, 'timeout', /'5x' is not a duration/],
  [
    'timeout: 0',
    { timeout: '0' },
    'timeout',
    /'0' is not more than 0; give a bound such as 90s or 10m/
  ],
  [
    'wait-timeout equal to timeout',
    { 'wait-timeout': '10m' },
    'wait-timeout',
    /10m is not shorter than timeout \(10m\)/
  ],
  [
    'wait-timeout longer than timeout',
    { 'wait-timeout': '2m', timeout: '90s' },
    'wait-timeout',
    /2m is not shorter than timeout \(1m30s\)/
  ],
  // annotations
  ['annotation without =', { annotations: 'novalue' }, 'annotations', /'novalue' is not key=value/],
  ['annotation without key', { annotations: '=x' }, 'annotations', /'=x' is not key=value/],
  [
    'annotation key with a space',
    { annotations: 'my key=x' },
    'annotations',
    /key 'my key' contains whitespace/
  ],
  [
    'duplicate annotation key',
    { annotations: 'a=1\na=2' },
    'annotations',
    /key 'a' is given twice/
  ],
  [
    'annotations with media-type docker',
    { annotations: 'a=1', 'media-type': 'docker' },
    'annotations',
    /Docker manifest list cannot carry annotations; remove them or use media-type: oci/
  ],
  // choices
  ['unknown mode', { mode: 'push' }, 'mode', /'push' is not one of publish, verify, dry-run/],
  [
    'unknown media-type',
    { 'media-type': 'v2' },
    'media-type',
    /'v2' is not one of auto, oci, docker/
  ],
  [
    'unknown on-existing',
    { 'on-existing': 'replace' },
    'on-existing',
    /'replace' is not one of update, keep/
  ],
  [
    'unknown floating-tags',
    { 'floating-tags': 'always' },
    'floating-tags',
    /'always' is not one of together, each/
  ],
  // sources
  [
    'sources with platforms',
    { sources: 'ghcr.io/o/app:x', platforms: 'linux/amd64' },
    'sources',
    /cannot be combined with platforms/
  ],
  [
    'sources with source-template',
    { sources: 'ghcr.io/o/app:x', 'source-template': '{tag}-{arch}' },
    'sources',
    /cannot be combined with source-template/
  ],
  [
    'sources with per-line platforms',
    { sources: 'ghcr.io/o/app:x', images: 'ghcr.io/o/app = linux/amd64' },
    'images',
    /per-image platform lists cannot be combined with sources/
  ],
  [
    'source in a foreign repository with several images',
    { images: 'ghcr.io/o/app\nghcr.io/o/b', sources: 'ghcr.io/o/other:x' },
    'sources',
    /'ghcr\.io\/o\/other:x' is in ghcr\.io\/o\/other, which is not one of the images; with several images each source must be in its image's repository/
  ],
  [
    'auto mixed with platforms',
    { platforms: 'auto, linux/amd64' },
    'platforms',
    /'auto' stands alone/
  ],
  [
    'auto with a template without {os}',
    { platforms: 'auto', 'source-template': '{tag}-{arch}' },
    'platforms',
    /'auto' needs a source-template with \{os\}/
  ],
  [
    'a template rendering a reference without a tag',
    { 'source-template': 'ghcr.io/o/app-{arch}' },
    'source-template',
    /which is neither a valid tag nor a full reference with a tag/
  ],
  [
    'source with neither tag nor digest',
    { sources: 'ghcr.io/o/app' },
    'sources',
    /has neither tag nor digest; give repo:tag or repo@sha256:<64 hex>/
  ],
  [
    'duplicate sources',
    { sources: 'ghcr.io/o/app:x\nghcr.io/o/app:x' },
    'sources',
    /ghcr\.io\/o\/app:x is listed twice; list each source once/
  ],
  [
    'source equal to the release tag',
    { sources: 'ghcr.io/o/app:v1' },
    'sources',
    /the source ghcr\.io\/o\/app:v1 is also a tag the index would be pushed to/
  ],
  [
    'image without any source',
    { images: 'ghcr.io/o/app\nghcr.io/o/b', sources: 'ghcr.io/o/app:x' },
    'sources',
    /none of the sources is in ghcr\.io\/o\/b/
  ],
  [
    'source with a bad tag',
    { sources: 'ghcr.io/o/app:-x' },
    'sources',
    /'-x' is not a valid tag \(\[A-Za-z0-9_\]/
  ],
  // tags
  [
    'tags entry with a digest',
    { tags: `ghcr.io/o/app@${DIGEST_A}` },
    'tags',
    /must be a tag, not a digest or a bare repository/
  ],
  [
    'tags entry that is a bare repository',
    { tags: 'ghcr.io/o/app' },
    'tags',
    /must be a tag, not a digest or a bare repository/
  ],
  [
    'full-ref tag in a foreign repository',
    { tags: 'ghcr.io/o/other:latest' },
    'tags',
    /every full-reference tag is in ghcr\.io\/o\/other, which is not one of the images \(ghcr\.io\/o\/app\); a full-reference tag must name one of the images/
  ],
  [
    'invalid bare tag',
    { tags: '-latest' },
    'tags',
    /'-latest' is not a valid tag: up to 128 of A-Z a-z 0-9 _ \. -, not starting with \. or -/
  ],
  // tag
  [
    'tag input invalid',
    { tag: '.v1' },
    'tag',
    /'\.v1' is not a valid tag: up to 128 of A-Z a-z 0-9 _ \. -/
  ],
  ['tag longer than 128', { tag: `v${'1'.repeat(128)}` }, 'tag', /is not a valid tag: up to 128/],
  [
    'tag from GITHUB_REF_NAME invalid',
    { tag: '' },
    'tag',
    /'feature\/x' \(taken from GITHUB_REF_NAME\) is not a valid tag: up to 128/,
    { GITHUB_REF_NAME: 'feature/x' }
  ],
  [
    'tag empty and no GITHUB_REF_NAME',
    { tag: '' },
    'tag',
    /is empty and GITHUB_REF_NAME is not set; give the release tag, e.g\. v1\.2\.3/
  ],
  // credentials
  [
    'username without password',
    { username: 'bot' },
    'password',
    /is empty but username 'bot' is set; give both or neither/
  ],
  [
    'password without username',
    { password: 'secret' },
    'username',
    /is empty but password is set; give both or neither/
  ],
  // insecure-registries
  [
    'insecure entry with a path',
    { 'insecure-registries': 'registry.local/path' },
    'insecure-registries',
    /'registry\.local\/path' is not a host or host:port \(e\.g\. registry\.local:5000/
  ],
  [
    'insecure entry with whitespace',
    { 'insecure-registries': 'my host' },
    'insecure-registries',
    /'my host' is not a host or host:port/
  ],
  [
    'insecure entry starting with -',
    { 'insecure-registries': '-registry' },
    'insecure-registries',
    /'-registry' is not a host or host:port/
  ],
  [
    'insecure entry of dots',
    { 'insecure-registries': '...' },
    'insecure-registries',
    /'\.\.\.' is not a host or host:port/
  ],
  [
    'insecure entry with port out of range',
    { 'insecure-registries': 'registry.local:99999' },
    'insecure-registries',
    /'registry\.local:99999' is not a host or host:port/
  ],
  [
    'insecure entry that is only a scheme',
    { 'insecure-registries': 'http://' },
    'insecure-registries',
    /'http:\/\/' is not a host or host:port/
  ]
]

describe('parseOptions: rejections', () => {
  // Object rows: with array rows jest counts the test function's parameters and takes a
  // fifth one (the optional env) for a `done` callback on four-element rows.
  const rows = rejections.map(([what, over, input, message, env]) => ({
    what,
    over,
    input,
    message,
    env: env ?? {}
  }))
  it.each(rows)('$what', ({ over, input, message, env }) => {
    const error = rejection({ ...BASE, ...over }, env)
    expect(error.input).toBe(input)
    expect(error.code).toBe('INPUT_INVALID')
    expect(error.message.startsWith(`input '${input}': `)).toBe(true)
    expect(error.message).toMatch(message)
  })
})
