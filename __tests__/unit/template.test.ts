/**
 * source-template parsing and rendering (docs/design.md §2: tokens {tag} {os} {arch} {variant}
 * {release} {osversion}; {-x} renders -x only when x is not empty).
 */
import { describe, it, expect } from '@jest/globals'
import { parsePlatform } from '../../src/oci/platform.js'
import { INPUTS } from '../../src/publish/input-contract.js'
import { TemplateSyntaxError, parseTemplate, renderTemplate } from '../../src/publish/template.js'

/** The default the parser and action.yml use: the input contract's. */
const DEFAULT_SOURCE_TEMPLATE = INPUTS['source-template'].default

function render(template: string, tag: string, platform: string): string {
  return renderTemplate(parseTemplate(template), tag, parsePlatform(platform))
}

describe('renderTemplate with the default (Retina) scheme', () => {
  it('is the scheme docs/design.md names', () => {
    expect(DEFAULT_SOURCE_TEMPLATE).toBe('{tag}-{os}{-release}-{arch}{-variant}')
  })

  it.each([
    ['linux/amd64', 'v1-linux-amd64'],
    ['linux/arm64', 'v1-linux-arm64'],
    ['linux/arm/v7', 'v1-linux-arm-v7'],
    ['linux/arm64/v8', 'v1-linux-arm64-v8'],
    ['windows(ltsc2019)/amd64', 'v1-windows-ltsc2019-amd64'],
    ['windows(ltsc2022)/amd64', 'v1-windows-ltsc2022-amd64'],
    // a build number names its release too
    ['windows(10.0.20348)/amd64', 'v1-windows-ltsc2022-amd64'],
    // an os.version that is no LTSC release has no release name: the {-release} part drops out
    ['windows(10.0.19041)/amd64', 'v1-windows-amd64']
  ])('%s → %s', (platform, expected) => {
    expect(render(DEFAULT_SOURCE_TEMPLATE, 'v1', platform)).toBe(expected)
  })
})

describe('renderTemplate tokens', () => {
  it('{osversion} renders the version, empty for linux', () => {
    expect(render('{tag}_{osversion}_{arch}', 'v1', 'windows(10.0.20348.3453)/amd64')).toBe(
      'v1_10.0.20348.3453_amd64'
    )
    expect(render('{tag}_{osversion}_{arch}', 'v1', 'windows(ltsc2019)/amd64')).toBe(
      'v1_10.0.17763_amd64'
    )
    expect(render('{tag}_{osversion}_{arch}', 'v1', 'linux/amd64')).toBe('v1__amd64')
  })

  it('{-osversion} renders -version only when there is one', () => {
    expect(render('{tag}-{os}{-osversion}-{arch}', 'v1', 'windows(ltsc2022)/amd64')).toBe(
      'v1-windows-10.0.20348-amd64'
    )
    expect(render('{tag}-{os}{-osversion}-{arch}', 'v1', 'linux/amd64')).toBe('v1-linux-amd64')
  })

  it('{variant} renders empty without a variant; {-variant} renders nothing', () => {
    expect(render('{tag}.{arch}.{variant}', 'v1', 'linux/amd64')).toBe('v1.amd64.')
    expect(render('{tag}.{arch}{-variant}', 'v1', 'linux/amd64')).toBe('v1.amd64')
  })

  it('keeps a literal prefix and suffix', () => {
    expect(render('build-{arch}-{tag}.final', 'v2', 'linux/arm64')).toBe('build-arm64-v2.final')
  })

  it('{-tag} puts a dash before the tag', () => {
    expect(render('{os}-{arch}{-tag}', 'v3', 'linux/amd64')).toBe('linux-amd64-v3')
  })

  it('renders the platform lower-cased as parsed', () => {
    expect(render(DEFAULT_SOURCE_TEMPLATE, 'V1', 'Linux/ARM/V7')).toBe('V1-linux-arm-v7')
  })
})

describe('parseTemplate', () => {
  it('splits literals and tokens, dash tokens flagged', () => {
    expect(parseTemplate('a{tag}b{-arch}').parts).toEqual([
      { literal: 'a' },
      { token: 'tag', dash: false },
      { literal: 'b' },
      { token: 'arch', dash: true }
    ])
  })

  it('keeps the text for reports', () => {
    expect(parseTemplate('{tag}-{arch}').text).toBe('{tag}-{arch}')
  })

  it.each([
    [
      '{tag}-{foo}',
      /unknown token \{foo\}; tokens are \{tag\} \{os\} \{arch\} \{variant\} \{release\} \{osversion\}, each also as \{-x\}/
    ],
    ['{tag}{}', /unknown token \{\}/],
    ['{tag}{-}', /unknown token \{-\}/],
    ['{Tag}', /unknown token \{Tag\}/],
    ['{tag', /unclosed '\{' at position 1/],
    ['{tag}-{os', /unclosed '\{' at position 7/],
    ['{tag}}', /unmatched '\}' at position 6/],
    ['}{tag}', /unmatched '\}' at position 1/],
    ['latest', /'latest' has no tokens, so every platform would have the same source/],
    ['', /has no tokens/]
  ])('rejects %p', (text, message) => {
    expect(() => parseTemplate(text)).toThrow(TemplateSyntaxError)
    expect(() => parseTemplate(text)).toThrow(message)
  })
})
