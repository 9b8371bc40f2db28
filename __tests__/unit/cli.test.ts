/**
 * The CLI in-process: argv parsing (flags = the inputs of action.yml, lists repeated or
 * comma/newline separated, clear usage errors), the credential variables, and the text summary.
 * The real-registry and process-level tests are in __tests__/cli.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { parseArgs, UsageError } from '../../src/cli/args.js'
import { runCli } from '../../src/cli/main.js'
import { columns, renderText } from '../../src/cli/summary.js'
import type { ImageReport } from '../../src/publish/result.js'

const d = (c: string) => `sha256:${c.repeat(64)}`

function usageError(argv: string[]): string {
  try {
    parseArgs(argv)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error(`no error for ${argv.join(' ')}`)
}

describe('parseArgs', () => {
  it('takes every input as --name value or --name=value', () => {
    const parsed = parseArgs([
      '--images',
      'ghcr.io/o/app',
      '--tag=v1.2.3',
      '--mode',
      'verify',
      '--source-template={tag}-{arch}',
      '--password=a=b=c'
    ])
    expect(parsed.raw).toEqual({
      images: 'ghcr.io/o/app',
      tag: 'v1.2.3',
      mode: 'verify',
      'source-template': '{tag}-{arch}',
      password: 'a=b=c'
    })
    expect(parsed).toMatchObject({ help: false, json: false, quiet: false, verbose: false })
  })

  it('repeated list flags become lines: one image per --images', () => {
    const parsed = parseArgs([
      '--images',
      'ghcr.io/o/agent',
      '--images',
      'ghcr.io/o/operator = linux/amd64, linux/arm64',
      '--platforms',
      'linux/amd64,linux/arm64',
      '--platforms',
      'linux/arm/v7',
      '--annotations',
      'a=1',
      '--annotations=b=2, with a comma'
    ])
    expect(parsed.raw.images).toBe('ghcr.io/o/agent\nghcr.io/o/operator = linux/amd64, linux/arm64')
    expect(parsed.raw.platforms).toBe('linux/amd64,linux/arm64\nlinux/arm/v7')
    expect(parsed.raw.annotations).toBe('a=1\nb=2, with a comma')
  })

  it('switches', () => {
    expect(parseArgs(['--json', '--quiet', '--verbose'])).toMatchObject({
      json: true,
      quiet: true,
      verbose: true,
      help: false
    })
    expect(parseArgs(['-h']).help).toBe(true)
    expect(parseArgs(['--help', '--bogus-is-not-reached']).help).toBe(true)
  })

  it.each([
    { argv: ['--bogus', 'x'], says: 'unknown option --bogus (' },
    {
      argv: ['--platform', 'linux/amd64'],
      says: 'unknown option --platform; did you mean --platforms?'
    },
    { argv: ['--tag'], says: '--tag needs a value: --tag <tag>' },
    { argv: ['--tag', '--json'], says: '--tag needs a value' },
    { argv: ['--tag', 'v1', '--tag', 'v2'], says: '--tag is given more than once' },
    { argv: ['--json=yes'], says: '--json takes no value' },
    { argv: ['ghcr.io/o/app'], says: "unexpected argument 'ghcr.io/o/app'" },
    { argv: ['-x'], says: "unexpected argument '-x'" }
  ])('$argv: $says', ({ argv, says }) => {
    expect(usageError(argv)).toContain(says)
  })
})

function capture() {
  const out = { stdout: '', stderr: '' }
  return {
    out,
    deps: (env: Record<string, string> = {}) => ({
      env,
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) }
    })
  }
}

describe('runCli without a registry', () => {
  it('--help: the help on stdout, exit 0', async () => {
    const { out, deps } = capture()
    expect(await runCli(['--help'], deps())).toBe(0)
    expect(out.stdout).toContain('--images <repository>')
    expect(out.stderr).toBe('')
  })

  it('a usage error: one line on stderr, exit 1', async () => {
    const { out, deps } = capture()
    expect(await runCli(['--imagse', 'x'], deps())).toBe(1)
    expect(out.stderr).toBe(
      "multiarch-index: unknown option --imagse; did you mean --images? (see 'multiarch-index --help')\n"
    )
    expect(out.stdout).toBe('')
  })

  it('the tag defaults to GITHUB_REF_NAME, as in the Action; a bad one is named', async () => {
    const { out, deps } = capture()
    expect(await runCli(['--images', 'ghcr.io/o/app'], deps({ GITHUB_REF_NAME: 'a b' }))).toBe(1)
    expect(out.stderr).toContain("input 'tag' (--tag): 'a b' (taken from GITHUB_REF_NAME)")
    expect(out.stderr).toContain('(nothing was sent to any registry)')
  })

  it('credentials from the environment go through the same checks, and say where they came from', async () => {
    const { out, deps } = capture()
    const env = { MULTIARCH_INDEX_USERNAME: 'someone' }
    expect(await runCli(['--images', 'ghcr.io/o/app', '--tag', 'v1'], deps(env))).toBe(1)
    expect(out.stderr).toContain("input 'password' (--password)")
    expect(out.stderr).toContain('username was taken from MULTIARCH_INDEX_USERNAME')
  })

  it('a malformed tuning variable is refused before any request', async () => {
    const { out, deps } = capture()
    const env = { MULTIARCH_INDEX_REQUEST_TIMEOUT: 'soon' }
    expect(await runCli(['--images', 'ghcr.io/o/app', '--tag', 'v1'], deps(env))).toBe(1)
    expect(out.stderr).toContain('MULTIARCH_INDEX_REQUEST_TIMEOUT')
  })
})

describe('renderText', () => {
  const base: ImageReport = {
    image: 'ghcr.io/o/app',
    tags: ['v1', 'latest'],
    digest: d('a'),
    mediaType: 'application/vnd.oci.image.index.v1+json',
    status: 'updated',
    previousDigest: d('b'),
    changes: { added: ['linux/arm64'], removed: [], changed: ['linux/amd64'] },
    platforms: [
      {
        platform: 'linux/amd64',
        source: 'ghcr.io/o/app:v1-linux-amd64',
        digest: d('1'),
        size: 1,
        mediaType: 'm',
        attestations: 1
      },
      {
        platform: 'windows(10.0.20348.3453)/amd64',
        source: 'ghcr.io/o/app-windows:v1',
        digest: d('2'),
        size: 1,
        mediaType: 'm',
        stale: true
      }
    ]
  }

  const withTags: ImageReport = {
    ...base,
    tagResults: [
      { tag: 'v1', role: 'release', change: 'moved', previousDigest: d('b'), digest: d('a') },
      {
        tag: 'latest',
        role: 'floating',
        change: 'unchanged',
        previousDigest: d('a'),
        digest: d('a')
      }
    ]
  }
  const CONTEXT = { tag: 'v1', mode: 'publish' } as const

  it('headline first, an overview row, then status, index, every tag, what changed, platforms', () => {
    expect(renderText([withTags], CONTEXT)).toBe(
      [
        'v1: 1 of 1 image published (1 updated)',
        '',
        'IMAGE  STATUS   INDEX                PLATFORMS  TAGS',
        'app    UPDATED  sha256:aaaaaaaaaaaa  2          v1 moved, latest unchanged',
        '',
        'ghcr.io/o/app',
        '  status:   updated: the release tag held a different index, which was replaced',
        `  index:    ghcr.io/o/app@${d('a')} (application/vnd.oci.image.index.v1+json)`,
        `  v1:       moved from ${d('b')} to ${d('a')}`,
        `  latest:   unchanged: already held ${d('a')}`,
        '  changed:  added linux/arm64; new image for linux/amd64',
        '',
        '  PLATFORM                        SOURCE                    DIGEST',
        '  linux/amd64                     v1-linux-amd64            sha256:111111111111  new image; +1 attestation',
        '  windows(10.0.20348.3453)/amd64  ghcr.io/o/app-windows:v1  sha256:222222222222  stale: the per-arch tag now holds another image',
        ''
      ].join('\n')
    )
  })

  it('a failure first: found and not found, the next step in flags, the error, the held-back note', () => {
    const failed: ImageReport = {
      image: 'ghcr.io/o/op',
      tags: ['v1', 'latest'],
      status: 'failed',
      platforms: [{ ...base.platforms[0], source: 'ghcr.io/o/op:v1-linux-amd64' }],
      sourceProblems: [
        {
          platform: 'linux/arm64',
          source: 'ghcr.io/o/op:v1-linux-arm64',
          problem: 'missing',
          detail: 'not found'
        }
      ],
      errorCode: 'SOURCES_MISSING',
      error: 'two problems:\n  - one\n  - two',
      tagResults: [
        { tag: 'v1', role: 'release', change: 'not-written', previousDigest: null, digest: null },
        {
          tag: 'latest',
          role: 'floating',
          change: 'not-written',
          previousDigest: d('c'),
          digest: d('c')
        }
      ]
    }
    const held: ImageReport = {
      ...withTags,
      tagResults: [
        withTags.tagResults![0],
        {
          tag: 'latest',
          role: 'floating',
          change: 'held-back',
          previousDigest: d('b'),
          digest: d('b')
        }
      ]
    }
    const text = renderText([held, failed], CONTEXT)
    expect(
      text.startsWith(
        'v1: 1 of 2 images published, 1 failed; latest held back\n\nThe release is incomplete (op failed), so latest stayed where it was'
      )
    ).toBe(true)
    expect(text).toContain(
      'IMAGE  STATUS   INDEX                PLATFORMS     TAGS\nop     FAILED   -                    1 of 2 found  v1 not written, latest not written\napp    UPDATED'
    )
    expect(text).toContain(
      `ghcr.io/o/op\n  status:     failed: two problems\n  v1:         not written: holds nothing\n  latest:     not written: holds ${d('c')} (what it held before)\n  next step:  push ghcr.io/o/op:v1-linux-arm64, then re-run this job; if it is still being built, set --wait-timeout (e.g. 10m) so the step waits\n`
    )
    expect(text).toContain('  linux/arm64  v1-linux-arm64  -                    NOT FOUND')
    expect(text).toContain('\n  error:\n    two problems:\n      - one\n      - two\n')
    expect(text).toContain(
      `  latest:   held back (the release is incomplete): still holds ${d('b')}`
    )
  })

  it('columns pads all but the last cell and leaves no trailing blanks', () => {
    expect(
      columns(
        [
          ['a', 'bbb', ''],
          ['cc', 'd', 'e']
        ],
        '> '
      )
    ).toEqual(['> a   bbb', '> cc  d    e'])
  })
})
