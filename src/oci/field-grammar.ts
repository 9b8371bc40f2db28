/**
 * The grammar of the fields a registry sends that we copy into documents, outputs and logs,
 * checked where they are read (docs/design.md §3 "Untrusted input"). A value outside it is an
 * error that names where it came from, never something passed on.
 */
import { neutralise } from './untrusted-text.js'

/**
 * os, architecture, variant and os.features values: containerd's platform specifier
 * (platforms.Parse: `^[A-Za-z0-9_-]+$`), bounded.
 */
const PLATFORM_TOKEN = /^[A-Za-z0-9_-]{1,64}$/
/** os.version: digits and dots, as Windows builds are written (`10.0.20348.3453`). */
const OS_VERSION = /^[0-9]{1,10}(?:\.[0-9]{1,10}){0,5}$/
/** distribution-spec tag grammar: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/
/** RFC 6838 type/subtype names (what a descriptor's mediaType holds), no parameters. */
const MEDIA_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/

/** True for a tag name the distribution spec allows. */
export function isTagName(value: string): boolean {
  return TAG.test(value)
}

/** True for a media type name (`application/vnd.oci.image.manifest.v1+json`). */
export function isMediaTypeName(value: string): boolean {
  return MEDIA_TYPE.test(value)
}

/** `"value"`, shown safely: registry text in a message. */
export function quoted(value: unknown): string {
  return typeof value === 'string' ? `"${neutralise(value.slice(0, 200))}"` : typeof value
}

/** The platform fields of a config or a descriptor, as sent (not yet trusted). */
interface PlatformFields {
  os?: unknown
  architecture?: unknown
  variant?: unknown
  'os.version'?: unknown
  'os.features'?: unknown
}

/**
 * What is wrong with platform fields, or undefined when they fit the grammar. Absent fields
 * are fine here; whether os and architecture must be present is the caller's rule.
 */
export function platformFieldsProblem(fields: PlatformFields): string | undefined {
  for (const name of ['os', 'architecture', 'variant'] as const) {
    const value = fields[name]
    if (value === undefined || value === null) continue
    if (typeof value !== 'string' || !PLATFORM_TOKEN.test(value))
      return `${name} ${quoted(value)} is not a platform name (letters, digits, '_' and '-')`
  }
  const version = fields['os.version']
  if (
    version !== undefined &&
    version !== null &&
    (typeof version !== 'string' || !OS_VERSION.test(version))
  )
    return `os.version ${quoted(version)} is not a version (digits and dots)`
  const features = fields['os.features']
  if (features !== undefined && features !== null) {
    if (!Array.isArray(features)) return `os.features is not a list`
    const bad = features.find((f) => typeof f !== 'string' || !PLATFORM_TOKEN.test(f))
    if (bad !== undefined)
      return `os.features ${quoted(bad)} is not a feature name (letters, digits, '_' and '-')`
  }
  return undefined
}
