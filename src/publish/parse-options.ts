/**
 * Raw inputs → PublishOptions, with every check that needs no request (docs/design.md §4: bad
 * inputs are rejected before any request, naming the input). The Action and the CLI share it.
 * Each input's reading lives in its own module (parse-images, parse-tags, parse-sources,
 * parse-platforms, parse-annotations, parse-insecure); the rules between inputs in
 * input-combinations. The order of the checks below is the order a user sees errors in.
 */
import { repositoryName } from '../registry/base/reference.js'
import { InputError } from './errors.js'
import { defaultValue, type InputName } from './input-contract.js'
import {
  checkAnnotationsFit,
  checkCredentialPair,
  checkSourcesAlone,
  checkTimeouts
} from './input-combinations.js'
import { durationInput, isGiven, oneOf, splitList } from './input-text.js'
import type {
  FloatingTags,
  ImagePlan,
  InputNotice,
  MediaTypeChoice,
  Mode,
  OnExisting,
  PlannedSource,
  PublishOptions,
  RawInputs
} from './options.js'
import { parseAnnotations } from './parse-annotations.js'
import { parseImages } from './parse-images.js'
import { parseInsecure } from './parse-insecure.js'
import { checkDiscoverable, platformListOrAuto } from './parse-platforms.js'
import {
  checkSourcesAreNotTargets,
  parseSources,
  renderSources,
  sourcesOfImage
} from './parse-sources.js'
import { imageTags, parseExtraTags, parseTag } from './parse-tags.js'
import { TemplateSyntaxError, parseTemplate, type SourceTemplate } from './template.js'

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
  const waitTimeoutMs = durationInput('wait-timeout', orDefault('wait-timeout'))
  const timeoutMs = durationInput('timeout', orDefault('timeout'))
  checkTimeouts(waitTimeoutMs, timeoutMs, value('timeout'))
  const annotations = parseAnnotations(value('annotations'), notices)
  checkAnnotationsFit(mediaType, annotations)
  const username = value('username')?.trim()
  const password = value('password')
  checkCredentialPair(username, password)
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
  checkSourcesAlone(sourcesText.length > 0, given, images)
  const defaultPlatforms = platformListOrAuto('platforms', splitList(orDefault('platforms')))
  if (defaultPlatforms !== 'auto' && defaultPlatforms.length === 0)
    throw new InputError('platforms', 'is empty; give at least one platform, e.g. linux/amd64')
  const extraTags = parseExtraTags(value('tags'), images, notices)
  const sourceRefs = parseSources(sourcesText, images)

  const plans: ImagePlan[] = images.map(({ image, platforms }) => {
    const name = repositoryName(image)
    const tags = imageTags(name, tag, extraTags)
    let sources: PlannedSource[] = []
    const wanted = platforms ?? defaultPlatforms
    if (sourceRefs.length > 0) {
      sources = sourcesOfImage(name, sourceRefs, images.length)
    } else if (wanted === 'auto') {
      checkDiscoverable(sourceTemplate)
    } else {
      sources = renderSources(image, tag, wanted, sourceTemplate)
    }
    checkSourcesAreNotTargets(name, tags, sources)
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
