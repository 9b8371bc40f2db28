/**
 * Where each image's per-arch images are (docs/design.md §3 Resolve): the explicit `sources`
 * (by tag or digest, anywhere), or the expected platforms rendered through `source-template`
 * (a tag in the image's repository, or a full reference when the template holds a `/`).
 * A source may never be one of the tags the index is pushed to: the index would overwrite it.
 */
import type { ExpectedPlatform } from '../oci/platform.js'
import {
  ReferenceSyntaxError,
  formatReference,
  isValidTag,
  parseReference,
  repositoryName,
  type Reference
} from '../registry/base/reference.js'
import { InputError } from './errors.js'
import type { PlannedSource } from './options.js'
import { referenceInput, type ImageLine } from './parse-images.js'
import { renderTemplate, type SourceTemplate } from './template.js'

/** The `sources` items as references, each with a tag or digest, each once. */
export function parseSources(texts: readonly string[], images: readonly ImageLine[]): Reference[] {
  const sourceRefs = texts.map((text) => {
    const ref = referenceInput('sources', text)
    if (!ref.tag && !ref.digest) {
      throw new InputError(
        'sources',
        `'${text}' has neither tag nor digest; give repo:tag or repo@sha256:<64 hex>`
      )
    }
    // A source may live anywhere: its manifest and blobs are copied into the target first.
    // With several images, each source goes to the image whose repository it is in.
    const name = repositoryName(ref)
    if (images.length > 1 && !images.some((i) => repositoryName(i.image) === name)) {
      throw new InputError(
        'sources',
        `'${text}' is in ${name}, which is not one of the images; with several images each source must be in its image's repository (give one image per step for sources elsewhere)`
      )
    }
    return ref
  })
  const seenSources = new Set<string>()
  for (const ref of sourceRefs) {
    const key = formatReference(ref)
    if (seenSources.has(key))
      throw new InputError('sources', `${key} is listed twice; list each source once`)
    seenSources.add(key)
  }
  return sourceRefs
}

/** The given sources that belong to one image (all of them when there is one image). */
export function sourcesOfImage(
  name: string,
  sourceRefs: readonly Reference[],
  imageCount: number
): PlannedSource[] {
  const sources = sourceRefs
    .filter((ref) => imageCount === 1 || repositoryName(ref) === name)
    .map((reference) => ({ reference }))
  if (sources.length === 0) throw new InputError('sources', `none of the sources is in ${name}`)
  return sources
}

/** The expected platforms through the template: one source per platform, each different. */
export function renderSources(
  image: Reference,
  tag: string,
  platforms: ExpectedPlatform[],
  template: SourceTemplate
): PlannedSource[] {
  const byTag = new Map<string, string>()
  return platforms.map((expected) => {
    const sourceTag = renderTemplate(template, tag, expected)
    // A template with a '/' names a full reference: sources in another repository or
    // registry (the older image-amd64:tag layout).
    if (sourceTag.includes('/')) {
      const reference = renderedReference(template, sourceTag, expected)
      const key = formatReference(reference)
      const earlier = byTag.get(key)
      if (earlier) {
        throw new InputError(
          'source-template',
          `'${template.text}' renders the same source '${key}' for ${earlier} and ${expected.text}; add a token that tells them apart`
        )
      }
      byTag.set(key, expected.text)
      return { expected, reference }
    }
    if (!isValidTag(sourceTag)) {
      throw new InputError(
        'source-template',
        `'${template.text}' renders '${sourceTag}' for ${expected.text}, which is not a valid tag`
      )
    }
    const earlier = byTag.get(sourceTag)
    if (earlier) {
      throw new InputError(
        'source-template',
        `'${template.text}' renders the same tag '${sourceTag}' for ${earlier} and ${expected.text}; add a token that tells them apart (e.g. {-release} or {-variant})`
      )
    }
    byTag.set(sourceTag, expected.text)
    return {
      expected,
      reference: { registry: image.registry, repository: image.repository, tag: sourceTag }
    }
  })
}

function renderedReference(
  template: SourceTemplate,
  text: string,
  expected: ExpectedPlatform
): Reference {
  let reference: Reference
  try {
    reference = parseReference(text)
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) {
      throw new InputError(
        'source-template',
        `'${template.text}' renders '${text}' for ${expected.text}: ${error.message}`
      )
    }
    throw error
  }
  if (reference.tag === undefined && reference.digest === undefined) {
    throw new InputError(
      'source-template',
      `'${template.text}' renders '${text}' for ${expected.text}, which is neither a valid tag nor a full reference with a tag (registry/repository:tag)`
    )
  }
  return reference
}

/** No source of an image may be a tag its index goes under: the push would overwrite it. */
export function checkSourcesAreNotTargets(
  name: string,
  tags: readonly string[],
  sources: readonly PlannedSource[]
): void {
  for (const source of sources) {
    const sameRepository = repositoryName(source.reference) === name
    if (
      sameRepository &&
      source.reference.tag !== undefined &&
      tags.includes(source.reference.tag)
    ) {
      throw new InputError(
        source.expected ? 'source-template' : 'sources',
        `the source ${formatReference(source.reference)} is also a tag the index would be pushed to (${tags.join(', ')}); a source must have a tag of its own, or the index would overwrite it`
      )
    }
  }
}
