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

  it('status in words, digest, tags, what changed, an aligned platform table', () => {
    expect(renderText([base])).toBe(
      [
        'ghcr.io/o/app',
        '  status:    updated: the tag held a different index, which was replaced',
        `  digest:    ${d('a')} (application/vnd.oci.image.index.v1+json)`,
        '  tags:      v1, latest',
        `  previous:  ${d('b')}`,
        '  changed:   added linux/arm64; new image for linux/amd64',
        '',
        '  PLATFORM                        SOURCE                    DIGEST',
        '  linux/amd64                     v1-linux-amd64            sha256:111111111111  +1 attestation',
        '  windows(10.0.20348.3453)/amd64  ghcr.io/o/app-windows:v1  sha256:222222222222  stale: the per-arch tag now holds another image',
        ''
      ].join('\n')
    )
  })

  it('several images, one failed: each section, the error indented, an overall line', () => {
    const failed: ImageReport = {
      image: 'ghcr.io/o/op',
      tags: ['v1'],
      status: 'failed',
      platforms: [],
      error: 'two problems:\n  - one\n  - two'
    }
    const text = renderText([base, failed])
    expect(text).toContain(
      'ghcr.io/o/op\n  status:  FAILED\n  tags:    v1\n\n  error:\n    two problems:\n      - one\n      - two\n'
    )
    expect(text.endsWith('\n\n2 images: failed (1 of 2 failed)\n')).toBe(true)
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
