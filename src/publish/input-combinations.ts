/**
 * The rules between inputs: which values cannot go together. Each is asked with
 * `isGiven` where a runner-filled default could be present, because a default never counts
 * as given (docs/design.md §3 Defaults); each is checked before any request and names the
 * input to change (docs/design.md §4).
 */
import { formatDuration } from './duration.js'
import { InputError } from './errors.js'
import type { MediaTypeChoice } from './options.js'
import type { ImageLine } from './parse-images.js'

/** The wait for late images must end before the step's own bound does. */
export function checkTimeouts(
  waitTimeoutMs: number,
  timeoutMs: number,
  timeoutText: string | undefined
): void {
  if (timeoutMs <= 0)
    throw new InputError(
      'timeout',
      `'${timeoutText}' is not more than 0; give a bound such as 90s or 10m`
    )
  if (waitTimeoutMs >= timeoutMs) {
    throw new InputError(
      'wait-timeout',
      `${formatDuration(waitTimeoutMs)} is not shorter than timeout (${formatDuration(timeoutMs)}); the wait would be cut off by the step's timeout`
    )
  }
}

/** Annotations go into an OCI index only; a Docker list would drop them silently. */
export function checkAnnotationsFit(
  mediaType: MediaTypeChoice,
  annotations: Record<string, string>
): void {
  if (mediaType === 'docker' && Object.keys(annotations).length > 0) {
    throw new InputError(
      'annotations',
      'a Docker manifest list cannot carry annotations; remove them or use media-type: oci'
    )
  }
}

/** `username` and `password` come together or not at all. */
export function checkCredentialPair(
  username: string | undefined,
  password: string | undefined
): void {
  if (username && !password)
    throw new InputError(
      'password',
      `is empty but username '${username}' is set; give both or neither`
    )
  if (password && !username)
    throw new InputError('username', 'is empty but password is set; give both or neither')
}

/**
 * `sources` names every per-arch image itself: the platforms come from the images, so
 * `platforms`, `source-template` and per-image platform lists have nothing to say.
 */
export function checkSourcesAlone(
  sourcesGiven: boolean,
  given: (name: 'platforms' | 'source-template') => boolean,
  images: readonly ImageLine[]
): void {
  if (!sourcesGiven) return
  if (given('platforms')) {
    throw new InputError(
      'sources',
      'cannot be combined with platforms: with sources the platforms come from the images themselves'
    )
  }
  if (given('source-template')) {
    throw new InputError(
      'sources',
      'cannot be combined with source-template: the sources are named explicitly'
    )
  }
  if (images.some((i) => i.platforms)) {
    throw new InputError('images', 'per-image platform lists cannot be combined with sources')
  }
}
