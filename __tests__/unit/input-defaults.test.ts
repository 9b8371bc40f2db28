/**
 * The input contract as a runner applies it (docs/design.md §3, Defaults): a runner fills in every
 * action.yml default, so none of them may count as "given"; docker/metadata-action's
 * outputs are accepted as `tags` and `annotations`; architecture aliases are refused with
 * the OCI spelling before any request.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/publish/errors.js'
import { ACTION_INPUT_NAMES, INPUTS, defaultValue } from '../../src/publish/input-contract.js'
import type { RawInputs } from '../../src/publish/options.js'
import { parseOptions } from '../../src/publish/parse-options.js'
import { formatReference } from '../../src/registry/base/reference.js'
import { runnerInputs } from '../../script/runner-env.js'

const DIGEST_A = `sha256:${'a'.repeat(64)}`
const DIGEST_B = `sha256:${'b'.repeat(64)}`

/** The inputs as a runner hands them over: every action.yml default, then the step's `with:`. */
function asRunner(given: Record<string, string>): RawInputs {
  return runnerInputs(given, { githubToken: 'ghs_fake' }) as RawInputs
}

function rejection(raw: RawInputs): InputError {
  let thrown: unknown
  try {
    parseOptions(raw, { GITHUB_REF_NAME: 'v1' })
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(InputError)
  return thrown as InputError
}

describe('every action.yml default filled in', () => {
  it('the runner-filled inputs are exactly the contract defaults (action.yml has no other)', () => {
    const filled = asRunner({})
    const withDefault = ACTION_INPUT_NAMES.filter((n) => 'default' in INPUTS[n])
    expect(Object.keys(filled).sort()).toEqual([...withDefault].sort())
    expect(filled['source-template']).toBe(INPUTS['source-template'].default)
    expect(filled['github-token']).toBe('ghs_fake')
  })

  it('sources by digest work with source-template at its default (the runner sent it)', () => {
    const options = parseOptions(
      asRunner({
        images: 'ghcr.io/o/app',
        tag: 'v1',
        sources: `ghcr.io/o/app@${DIGEST_A}\nghcr.io/o/app@${DIGEST_B}`
      })
    )
    expect(options.plans[0].sources.map((s) => formatReference(s.reference))).toEqual([
      `ghcr.io/o/app@${DIGEST_A}`,
      `ghcr.io/o/app@${DIGEST_B}`
    ])
  })

  it('sources with a source-template the user changed are still refused', () => {
    const error = rejection(
      asRunner({
        images: 'ghcr.io/o/app',
        sources: 'ghcr.io/o/app:x',
        'source-template': '{tag}-{arch}'
      })
    )
    expect(error.input).toBe('sources')
    expect(error.message).toMatch(/cannot be combined with source-template/)
  })

  it('every README combination parses with the defaults present', () => {
    const combinations: Record<string, string>[] = [
      { images: 'ghcr.io/o/app' },
      { images: 'ghcr.io/o/app', platforms: 'auto' },
      { images: 'ghcr.io/o/app\nghcr.io/o/operator = linux/amd64' },
      { images: 'ghcr.io/o/app', sources: 'docker.io/o/app:v1-amd64, quay.io/o/app:v1-arm64' },
      { images: 'ghcr.io/o/app', mode: 'verify' },
      { images: 'ghcr.io/o/app', 'on-existing': 'keep', tags: 'latest' }
    ]
    for (const given of combinations) {
      expect(() => parseOptions(asRunner(given), { GITHUB_REF_NAME: 'v1' })).not.toThrow()
    }
  })

  it('the parser falls back on the contract where an input is empty', () => {
    const options = parseOptions({ images: 'ghcr.io/o/app' }, { GITHUB_REF_NAME: 'v1' })
    expect(options.sourceTemplate.text).toBe(defaultValue('source-template'))
    expect(options.plans[0].sources.map((s) => s.expected?.text)).toEqual(
      defaultValue('platforms')?.split(',')
    )
    expect(options.timeoutMs).toBe(10 * 60_000)
  })
})

describe('docker/metadata-action outputs', () => {
  it('tags: full references matched per image; lines for a repository not in images set aside with a notice', () => {
    const options = parseOptions(
      asRunner({
        images: 'ghcr.io/o/app',
        tag: '1.2.3',
        tags: 'ghcr.io/o/app:1.2.3\nghcr.io/o/app:1.2\ndocker.io/o/app:1.2.3\ndocker.io/o/app:1.2'
      })
    )
    expect(options.plans[0].tags).toEqual(['1.2.3', '1.2'])
    expect(options.notices).toEqual([
      {
        input: 'tags',
        message: expect.stringMatching(/^the tags for docker\.io\/o\/app were set aside/)
      }
    ])
  })

  it('tags: with both registries in images, each image gets its own lines', () => {
    const options = parseOptions(
      asRunner({
        images: 'ghcr.io/o/app\ndocker.io/o/app',
        tag: '1.2.3',
        tags: 'ghcr.io/o/app:latest\ndocker.io/o/app:1.2',
        sources: `ghcr.io/o/app@${DIGEST_A}\ndocker.io/o/app@${DIGEST_B}`
      })
    )
    expect(options.plans.map((p) => p.tags)).toEqual([
      ['1.2.3', 'latest'],
      ['1.2.3', '1.2']
    ])
    expect(options.notices).toEqual([])
  })

  it('tags: not one line in an image is an error (a typo, not a second registry)', () => {
    const error = rejection(asRunner({ images: 'ghcr.io/o/app', tags: 'ghcr.io/o/ap:latest' }))
    expect(error.input).toBe('tags')
    expect(error.message).toMatch(/every full-reference tag is in ghcr\.io\/o\/ap/)
  })

  it('annotations: index: keys lose the prefix; other levels are set aside with a notice', () => {
    const options = parseOptions(
      asRunner({
        images: 'ghcr.io/o/app',
        tag: 'v1',
        annotations: [
          'manifest:org.opencontainers.image.title=app',
          'index:org.opencontainers.image.title=app',
          'index:org.opencontainers.image.version=1.2.3',
          'manifest-descriptor:org.opencontainers.image.title=app',
          'manifest[linux/amd64]:org.opencontainers.image.title=app',
          'org.example.plain=yes'
        ].join('\n')
      })
    )
    expect(options.annotations).toEqual({
      'org.opencontainers.image.title': 'app',
      'org.opencontainers.image.version': '1.2.3',
      'org.example.plain': 'yes'
    })
    expect(options.notices).toEqual([
      { input: 'annotations', message: expect.stringMatching(/^3 annotation\(s\)/) }
    ])
  })

  it('annotations: the same key twice after the prefix is refused', () => {
    const error = rejection(asRunner({ images: 'ghcr.io/o/app', annotations: 'index:a=1\na=2' }))
    expect(error.input).toBe('annotations')
    expect(error.message).toMatch(/key 'a' is given twice/)
  })
})

describe('architecture aliases', () => {
  it.each([
    ['linux/x86_64', 'linux/amd64'],
    ['linux/aarch64', 'linux/arm64'],
    ['linux/armhf', 'linux/arm/v7'],
    ['linux/armel', 'linux/arm/v6'],
    ['linux/i386', 'linux/386'],
    ['windows(ltsc2022)/x86_64', 'windows(ltsc2022)/amd64']
  ])('%s: did you mean %s?', (written, oci) => {
    const error = rejection(
      asRunner({ images: 'ghcr.io/o/app', platforms: `linux/amd64, ${written}` })
    )
    expect(error.input).toBe('platforms')
    expect(error.message).toContain(`did you mean ${oci}?`)
  })

  it('in an images line too', () => {
    const error = rejection(asRunner({ images: 'ghcr.io/o/app = linux/aarch64' }))
    expect(error.input).toBe('images')
    expect(error.message).toContain('did you mean linux/arm64?')
  })
})
