/**
 * Raw inputs → PublishOptions, with every check that needs no request (docs/design.md §4: bad
 * inputs are rejected before any request, naming the input). The Action and the CLI share it.
 */
import { ociArchitecture } from '../oci/platform-aliases.js'
import {
  PlatformSyntaxError,
  expectedPlatformKey,
  parsePlatform,
  type ExpectedPlatform
} from '../oci/platform.js'
import {
  ReferenceSyntaxError,
  formatReference,
  isValidTag,
  parseReference,
  parseRepository,
  repositoryName,
  type Reference
} from '../registry/base/reference.js'
import { formatDuration, parseDuration } from './duration.js'
import { InputError } from './errors.js'
import { defaultValue, inputSpec, type InputName } from './input-contract.js'
import {
  type ImagePlan,
  type InputNotice,
  type MediaTypeChoice,
  type Mode,
  type OnExisting,
  type FloatingTags,
  type PlannedSource,
  type PublishOptions,
  type RawInputs
} from './options.js'
import {
  TemplateSyntaxError,
  parseTemplate,
  renderTemplate,
  type SourceTemplate
} from './template.js'

/** Split a list input on newlines and commas; blank items and `#` comment lines dropped. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

/** Split a one-item-per-line input; blank and `#` lines dropped. */
export function splitLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
}

function oneOf<T extends string>(input: InputName, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase()
  if ((allowed as readonly string[]).includes(v)) return v as T
  throw new InputError(input, `'${value}' is not one of ${allowed.join(', ')}`)
}

function duration(input: InputName, value: string): number {
  const ms = parseDuration(value)
  if (ms === undefined)
    throw new InputError(input, `'${value}' is not a duration; use e.g. 0, 90s, 10m, 1h or 1m30s`)
  return ms
}

/** `auto`: discover the platforms from the repository's tags (repair of a past release). */
export const AUTO_PLATFORMS = 'auto'

function platformListOrAuto(
  input: InputName,
  items: string[],
  where = ''
): ExpectedPlatform[] | 'auto' {
  if (items.length === 1 && items[0].toLowerCase() === AUTO_PLATFORMS) return AUTO_PLATFORMS
  if (items.some((i) => i.toLowerCase() === AUTO_PLATFORMS)) {
    throw new InputError(
      input,
      `${where}'auto' stands alone: it discovers every platform from the tags`
    )
  }
  return platformList(input, items, where)
}

function platformList(input: InputName, items: string[], where = ''): ExpectedPlatform[] {
  const platforms: ExpectedPlatform[] = []
  const seen = new Map<string, string>()
  for (const item of items) {
    let platform: ExpectedPlatform
    try {
      platform = parsePlatform(item)
    } catch (error) {
      if (error instanceof PlatformSyntaxError)
        throw new InputError(input, `${where}${error.message}`)
      throw error
    }
    const oci = ociArchitecture(platform.architecture, platform.variant)
    if (oci !== undefined) {
      // Everything up to the architecture as written (os and any os version), then the OCI name.
      const prefix = item.slice(0, item.indexOf('/', item.indexOf(')') + 1))
      throw new InputError(
        input,
        `${where}'${item}': '${platform.architecture}' is not an OCI architecture name; did you mean ${prefix}/${oci}?`
      )
    }
    const key = expectedPlatformKey(platform)
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      throw new InputError(
        input,
        `${where}'${item}' and '${earlier}' are the same platform; each platform may appear once`
      )
    }
    seen.set(key, item)
    platforms.push(platform)
  }
  return platforms
}

function reference(
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

interface ImageLine {
  image: Reference
  platforms?: ExpectedPlatform[] | 'auto'
}

/** `repository [= platform, platform]` per line. */
function parseImages(raw: string | undefined): ImageLine[] {
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
    const image = reference('images', repoText, parseRepository)
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

/**
 * docker/metadata-action writes each annotation once per level it is asked for, as
 * `<level>:<key>=<value>` (buildx's annotation syntax, "docker buildx build --annotation":
 * levels manifest, index, manifest-descriptor, index-descriptor; manifest levels may carry a
 * `[platform]`). This step writes one index, so `index:` is its level.
 */
const INDEX_LEVEL = 'index:'
const OTHER_LEVEL = /^(?:manifest|manifest-descriptor|index-descriptor)(?:\[[^\]]*\])?:/

function parseAnnotations(raw: string | undefined, notices: InputNotice[]): Record<string, string> {
  const out: Record<string, string> = {}
  const skipped: string[] = []
  for (const line of splitLines(raw)) {
    const eq = line.indexOf('=')
    let key = eq >= 0 ? line.slice(0, eq).trim() : ''
    if (eq < 0 || !key) throw new InputError('annotations', `'${line}' is not key=value`)
    const level = OTHER_LEVEL.exec(key)
    if (level) {
      skipped.push(key)
      continue
    }
    if (key.startsWith(INDEX_LEVEL)) key = key.slice(INDEX_LEVEL.length)
    if (!key) throw new InputError('annotations', `'${line}' has no key after '${INDEX_LEVEL}'`)
    if (/\s/.test(key)) throw new InputError('annotations', `key '${key}' contains whitespace`)
    if (key in out) throw new InputError('annotations', `key '${key}' is given twice`)
    out[key] = line.slice(eq + 1).trim()
  }
  if (skipped.length > 0) {
    notices.push({
      input: 'annotations',
      message: `${skipped.length} annotation(s) for another level than the index were set aside (${skipped.join(', ')}); this step writes an index, so plain and index: keys apply`
    })
  }
  return out
}

/** What a valid tag is, for messages (distribution-spec's tag grammar). */
const TAG_RULE = 'up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -'

function parseTag(raw: string | undefined, env: Record<string, string | undefined>): string {
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

/**
 * A host name (dot-separated labels, none starting or ending with '-') or a bracketed IPv6
 * address, with an optional port. The looser `[a-z0-9.-]+` let `-foo`, `...` and `a..b`
 * through, which can never equal a registry host, so the entry silently did nothing.
 */
const INSECURE_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/

function parseInsecure(raw: string | undefined): string[] {
  return splitList(raw).map((host) => {
    const h = host
      .replace(/^https?:\/\//i, '')
      .replace(/\/+$/, '')
      .toLowerCase()
    const match = INSECURE_HOST.exec(h)
    // A port outside 1..65535 (`host:99999`) can never match a registry either.
    if (!match || (match[1] !== undefined && (Number(match[1]) < 1 || Number(match[1]) > 65535))) {
      throw new InputError(
        'insecure-registries',
        `'${host}' is not a host or host:port (e.g. registry.local:5000 or 10.0.0.5)`
      )
    }
    return h
  })
}

/**
 * True when the user gave input `name`: a runner sends every action.yml default as INPUT_*,
 * so a value equal to the default is no sign of it (docs/design.md §3, Defaults). Every rule
 * of the form "X cannot be combined with Y" asks this.
 */
export function isGiven(raw: RawInputs, name: InputName): boolean {
  const v = raw[name]
  return v !== undefined && v.trim() !== '' && v.trim() !== inputSpec(name).default
}

/** Parse and check every input. `env` gives GITHUB_REF_NAME for the default tag. */
export function parseOptions(
  raw: RawInputs,
  env: Record<string, string | undefined> = {}
): PublishOptions {
  const value = (name: InputName): string | undefined => {
    const v = raw[name]
    return v === undefined || v.trim() === '' ? undefined : v
  }
  // Combination rules ask isGiven, not value(): a default filled in by the runner is not given.
  const given = (name: InputName): boolean => isGiven(raw, name)
  const orDefault = (name: InputName): string => value(name) ?? defaultValue(name) ?? ''
  const notices: InputNotice[] = []
  const mode = oneOf<Mode>('mode', orDefault('mode'), ['publish', 'verify', 'dry-run'])
  const mediaType = oneOf<MediaTypeChoice>('media-type', orDefault('media-type'), [
    'auto',
    'oci',
    'docker'
  ])
  const onExisting = oneOf<OnExisting>('on-existing', orDefault('on-existing'), ['update', 'keep'])
  const floatingTags = oneOf<FloatingTags>('floating-tags', orDefault('floating-tags'), [
    'together',
    'each'
  ])
  const waitTimeoutMs = duration('wait-timeout', orDefault('wait-timeout'))
  const timeoutMs = duration('timeout', orDefault('timeout'))
  if (timeoutMs <= 0)
    throw new InputError(
      'timeout',
      `'${value('timeout')}' is not more than 0; give a bound such as 90s or 10m`
    )
  if (waitTimeoutMs >= timeoutMs) {
    throw new InputError(
      'wait-timeout',
      `${formatDuration(waitTimeoutMs)} is not shorter than timeout (${formatDuration(timeoutMs)}); the wait would be cut off by the step's timeout`
    )
  }
  const annotations = parseAnnotations(value('annotations'), notices)
  if (mediaType === 'docker' && Object.keys(annotations).length > 0) {
    throw new InputError(
      'annotations',
      'a Docker manifest list cannot carry annotations; remove them or use media-type: oci'
    )
  }
  const username = value('username')?.trim()
  const password = value('password')
  if (username && !password)
    throw new InputError(
      'password',
      `is empty but username '${username}' is set; give both or neither`
    )
  if (password && !username)
    throw new InputError('username', 'is empty but password is set; give both or neither')
  const insecureRegistries = parseInsecure(value('insecure-registries'))
  const tag = parseTag(value('tag'), env)

  let sourceTemplate: SourceTemplate
  try {
    sourceTemplate = parseTemplate(orDefault('source-template'))
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new InputError('source-template', error.message)
    throw error
  }

  const images = parseImages(value('images'))
  const sourcesText = splitList(value('sources'))
  if (sourcesText.length > 0 && given('platforms')) {
    throw new InputError(
      'sources',
      'cannot be combined with platforms: with sources the platforms come from the images themselves'
    )
  }
  if (sourcesText.length > 0 && given('source-template')) {
    throw new InputError(
      'sources',
      'cannot be combined with source-template: the sources are named explicitly'
    )
  }
  if (sourcesText.length > 0 && images.some((i) => i.platforms)) {
    throw new InputError('images', 'per-image platform lists cannot be combined with sources')
  }
  const defaultPlatforms = platformListOrAuto('platforms', splitList(orDefault('platforms')))
  if (defaultPlatforms !== 'auto' && defaultPlatforms.length === 0)
    throw new InputError('platforms', 'is empty; give at least one platform, e.g. linux/amd64')

  // Extra tags: bare tags apply to every image; full references to the image they name. A
  // full reference to a repository that is not one of the images is set aside with a notice:
  // docker/metadata-action writes one line per tag for every image it was given, and a
  // workflow that pushes each registry in its own step hands every step all the lines.
  const otherRepositories = new Set<string>()
  const extraTags = splitList(value('tags')).flatMap((text) => {
    if (!text.includes('/') && !text.includes('@')) {
      if (!isValidTag(text)) {
        throw new InputError(
          'tags',
          `'${text}' is not a valid tag: ${TAG_RULE}; or give a full reference such as ghcr.io/owner/app:latest`
        )
      }
      return [{ text, tag: text, image: undefined as string | undefined }]
    }
    const ref = reference('tags', text)
    if (ref.digest || ref.tag === undefined)
      throw new InputError('tags', `'${text}' must be a tag, not a digest or a bare repository`)
    const name = repositoryName(ref)
    if (!images.some((i) => repositoryName(i.image) === name)) {
      otherRepositories.add(name)
      return []
    }
    return [{ text, tag: ref.tag, image: name }]
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

  const sourceRefs = sourcesText.map((text) => {
    const ref = reference('sources', text)
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

  const plans: ImagePlan[] = images.map(({ image, platforms }) => {
    const name = repositoryName(image)
    const tags = [tag]
    for (const extra of extraTags) {
      if ((extra.image === undefined || extra.image === name) && !tags.includes(extra.tag))
        tags.push(extra.tag)
    }
    let sources: PlannedSource[] = []
    const wanted = platforms ?? defaultPlatforms
    if (sourceRefs.length > 0) {
      sources = sourceRefs
        .filter((ref) => images.length === 1 || repositoryName(ref) === name)
        .map((reference) => ({ reference }))
      if (sources.length === 0) throw new InputError('sources', `none of the sources is in ${name}`)
    } else if (wanted === 'auto') {
      checkDiscoverable(sourceTemplate)
    } else {
      sources = renderSources(image, tag, wanted, sourceTemplate)
    }
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
    return wanted === 'auto' && sourceRefs.length === 0
      ? { image, tags, sources, discover: true }
      : { image, tags, sources }
  })

  return {
    plans,
    tag,
    mediaType,
    annotations,
    mode,
    onExisting,
    floatingTags,
    waitTimeoutMs,
    timeoutMs,
    username,
    password,
    githubToken: value('github-token')?.trim(),
    insecureRegistries,
    sourceTemplate,
    notices
  }
}

function renderSources(
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

/** Discovery reads platforms back out of tags: the template must name os and arch. */
function checkDiscoverable(template: SourceTemplate): void {
  const tokens = new Set(template.parts.flatMap((p) => ('token' in p ? [p.token] : [])))
  if (template.parts.some((p) => 'literal' in p && p.literal.includes('/'))) {
    throw new InputError(
      'platforms',
      `'auto' discovers tags of the image's own repository; the source-template '${template.text}' names another repository`
    )
  }
  for (const needed of ['tag', 'os', 'arch'] as const) {
    if (!tokens.has(needed)) {
      throw new InputError(
        'platforms',
        `'auto' needs a source-template with {${needed}} to read platforms from tags; '${template.text}' has none`
      )
    }
  }
}
