/**
 * Image references: `[host[:port]/]repository[:tag][@digest]`, normalised as the docker CLI
 * and containerd normalise them (distribution/reference normalize.go): no host means Docker
 * Hub (`docker.io`), `index.docker.io` is `docker.io`, and a one-part Docker Hub name lives
 * under `library/`. The API host for Docker Hub is `registry-1.docker.io`.
 */
import { isDigest } from '../../oci/digest.js'
import { isTagName } from '../../oci/field-grammar.js'

export const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_API = 'registry-1.docker.io'

/** distribution-spec: repository name components. */
const REPOSITORY =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/

/** A parsed, normalised reference. */
export interface Reference {
  /** Registry as users name it: `ghcr.io`, `docker.io`, `127.0.0.1:5000`. */
  registry: string
  /** Repository path inside the registry: `microsoft/retina/retina-agent`. */
  repository: string
  tag?: string
  digest?: string
}

/** Thrown for a reference that cannot be parsed; the message says why. */
export class ReferenceSyntaxError extends Error {
  override name = 'ReferenceSyntaxError'
}

function splitHost(text: string): [string | undefined, string] {
  const slash = text.indexOf('/')
  if (slash < 0) return [undefined, text]
  const first = text.slice(0, slash)
  // The first component is a host when it has a dot, a port or is localhost (docker's rule).
  if (
    first.includes('.') ||
    first.includes(':') ||
    first === 'localhost' ||
    first.startsWith('[')
  ) {
    return [first, text.slice(slash + 1)]
  }
  return [undefined, text]
}

/** Parse any reference; tag and digest are optional. */
export function parseReference(text: string): Reference {
  const input = text.trim()
  if (!input) throw new ReferenceSyntaxError('the reference is empty')
  if (/\s/.test(input)) throw new ReferenceSyntaxError(`'${text}' contains whitespace`)
  if (/^[a-z]+:\/\//i.test(input)) {
    throw new ReferenceSyntaxError(
      `'${text}' has a URL scheme; write host/repository without http:// or https://`
    )
  }
  let rest = input
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!isDigest(digest))
      throw new ReferenceSyntaxError(
        `'${text}': '${digest}' is not a valid digest (sha256:<64 hex>)`
      )
  }
  const [hostPart, pathAndTag] = splitHost(rest)
  let path = pathAndTag
  let tag: string | undefined
  const colon = path.lastIndexOf(':')
  if (colon >= 0) {
    tag = path.slice(colon + 1)
    path = path.slice(0, colon)
    if (!isTagName(tag))
      throw new ReferenceSyntaxError(
        `'${text}': '${tag}' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})`
      )
  }
  if (hostPart !== undefined && !HOST.test(hostPart)) {
    throw new ReferenceSyntaxError(`'${text}': '${hostPart}' is not a valid registry host`)
  }
  let registry = hostPart?.toLowerCase() ?? DOCKER_HUB
  if (registry === 'index.docker.io' || registry === DOCKER_HUB_API) registry = DOCKER_HUB
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`
  if (!REPOSITORY.test(path)) {
    throw new ReferenceSyntaxError(
      `'${text}': '${path}' is not a valid repository (lowercase letters, digits and . _ - separators, components joined by /)`
    )
  }
  if (`${registry}/${path}`.length > 255)
    throw new ReferenceSyntaxError(`'${text}' is longer than 255 characters`)
  const ref: Reference = { registry, repository: path }
  if (tag !== undefined) ref.tag = tag
  if (digest !== undefined) ref.digest = digest
  return ref
}

/** Parse a repository (an `images` line): a tag or digest is an error. */
export function parseRepository(text: string): Reference {
  const ref = parseReference(text)
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new ReferenceSyntaxError(
      `'${text.trim()}' names a ${ref.digest ? 'digest' : 'tag'}; give the repository only (the tag comes from the tag input)`
    )
  }
  return ref
}

/** True when `tag` is a valid tag. */
export function isValidTag(tag: string): boolean {
  return isTagName(tag)
}

/** `registry/repository` */
export function repositoryName(ref: Pick<Reference, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`
}

/** `registry/repository[:tag][@digest]` */
export function formatReference(ref: Reference): string {
  return `${repositoryName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`
}

/** The host the API is served from (Docker Hub's differs from its name). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry
}

/** The hostname without port or brackets. */
export function hostnameOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'))
  const colon = registry.lastIndexOf(':')
  return colon >= 0 ? registry.slice(0, colon) : registry
}

/** True for a loopback host: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(registry: string): boolean {
  const host = hostnameOf(registry).toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}
