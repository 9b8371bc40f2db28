/**
 * The target repositories (`images`, docs/design.md §2): one repository per line, each once,
 * written without a scheme, optionally followed by `= platform, platform` for that image.
 */
import type { ExpectedPlatform } from '../oci/platform.js'
import {
  ReferenceSyntaxError,
  parseReference,
  parseRepository,
  repositoryName,
  type Reference
} from '../registry/base/reference.js'
import { InputError } from './errors.js'
import type { InputName } from './input-contract.js'
import { splitLines, splitList } from './input-text.js'
import { platformListOrAuto } from './parse-platforms.js'

/** A reference given in `input`; a syntax error names that input. */
export function referenceInput(
  input: InputName,
  text: string,
  parse: (t: string) => Reference = parseReference
): Reference {
  try {
    return parse(text)
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) throw new InputError(input, error.message)
    throw error
  }
}

/** One `images` line: the repository and its own platforms, if it names any. */
export interface ImageLine {
  image: Reference
  platforms?: ExpectedPlatform[] | 'auto'
}

/** `repository [= platform, platform]` per line. */
export function parseImages(raw: string | undefined): ImageLine[] {
  const lines = splitLines(raw)
  if (lines.length === 0) {
    throw new InputError(
      'images',
      'is empty; give at least one target repository, e.g. ghcr.io/owner/app'
    )
  }
  const seen = new Set<string>()
  return lines.map((line) => {
    const eq = line.indexOf('=')
    const repoText = (eq >= 0 ? line.slice(0, eq) : line).trim()
    if (/^http:\/\//i.test(repoText)) {
      throw new InputError(
        'images',
        `'${repoText}': write the repository without http://; plain HTTP is used for loopback and for hosts listed in insecure-registries`
      )
    }
    const image = referenceInput('images', repoText, parseRepository)
    const name = repositoryName(image)
    if (seen.has(name))
      throw new InputError('images', `${name} is listed twice; list each repository once`)
    seen.add(name)
    if (eq < 0) return { image }
    const items = splitList(line.slice(eq + 1))
    if (items.length === 0) {
      throw new InputError(
        'images',
        `'${line}': no platforms after '='; give them (e.g. ${repoText} = linux/amd64) or drop the '='`
      )
    }
    return { image, platforms: platformListOrAuto('images', items, `${name}: `) }
  })
}
