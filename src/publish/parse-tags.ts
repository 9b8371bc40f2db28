/**
 * The tags an index goes under (docs/design.md §2): the release tag (`tag`, else the
 * workflow's ref name) and the extra floating tags (`tags`), bare or as full references to
 * one of the images. Every tag is checked against distribution-spec's tag grammar.
 */
import { isValidTag, repositoryName } from '../registry/base/reference.js'
import { InputError } from './errors.js'
import { splitList } from './input-text.js'
import type { InputNotice } from './options.js'
import { referenceInput, type ImageLine } from './parse-images.js'

/** What a valid tag is, for messages (distribution-spec's tag grammar). */
const TAG_RULE = 'up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -'

/** The release tag: the input, else GITHUB_REF_NAME (the workflow's ref name). */
export function parseTag(raw: string | undefined, env: Record<string, string | undefined>): string {
  const given = raw?.trim()
  const tag = given || env.GITHUB_REF_NAME?.trim() || ''
  const from = given ? '' : ' (taken from GITHUB_REF_NAME)'
  if (!tag)
    throw new InputError(
      'tag',
      'is empty and GITHUB_REF_NAME is not set; give the release tag, e.g. v1.2.3'
    )
  if (!isValidTag(tag)) {
    throw new InputError('tag', `'${tag}'${from} is not a valid tag: ${TAG_RULE}`)
  }
  return tag
}

/** One extra tag: for every image (`image` undefined) or for the image it names. */
interface ExtraTag {
  tag: string
  image: string | undefined
}

/**
 * Extra tags: bare tags apply to every image; full references to the image they name. A
 * full reference to a repository that is not one of the images is set aside with a notice:
 * docker/metadata-action writes one line per tag for every image it was given, and a
 * workflow that pushes each registry in its own step hands every step all the lines.
 */
export function parseExtraTags(
  raw: string | undefined,
  images: readonly ImageLine[],
  notices: InputNotice[]
): ExtraTag[] {
  const otherRepositories = new Set<string>()
  const extraTags = splitList(raw).flatMap((text): ExtraTag[] => {
    if (!text.includes('/') && !text.includes('@')) {
      if (!isValidTag(text)) {
        throw new InputError(
          'tags',
          `'${text}' is not a valid tag: ${TAG_RULE}; or give a full reference such as ghcr.io/owner/app:latest`
        )
      }
      return [{ tag: text, image: undefined }]
    }
    const ref = referenceInput('tags', text)
    if (ref.digest || ref.tag === undefined)
      throw new InputError('tags', `'${text}' must be a tag, not a digest or a bare repository`)
    const name = repositoryName(ref)
    if (!images.some((i) => repositoryName(i.image) === name)) {
      otherRepositories.add(name)
      return []
    }
    return [{ tag: ref.tag, image: name }]
  })
  if (otherRepositories.size > 0) {
    const names = [...otherRepositories].join(', ')
    if (!extraTags.some((t) => t.image !== undefined)) {
      // Not one full reference is in an image: a typo in images or tags, not a second registry.
      throw new InputError(
        'tags',
        `every full-reference tag is in ${names}, which is not one of the images (${images.map((i) => repositoryName(i.image)).join(', ')}); a full-reference tag must name one of the images`
      )
    }
    notices.push({
      input: 'tags',
      message: `the tags for ${names} were set aside: it is not one of the images (to push them there too, add it to the images)`
    })
  }
  return extraTags
}

/** An image's tags: the release tag first, then each extra tag for it, each once. */
export function imageTags(name: string, tag: string, extraTags: readonly ExtraTag[]): string[] {
  const tags = [tag]
  for (const extra of extraTags) {
    if ((extra.image === undefined || extra.image === name) && !tags.includes(extra.tag))
      tags.push(extra.tag)
  }
  return tags
}
