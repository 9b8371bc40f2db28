/**
 * The expected platforms of `platforms` and of an `images` line (docs/design.md §2): each in
 * containerd's `os(os.version)/arch[/variant]` form, each once, OCI architecture names only;
 * or `auto`, which reads them back out of the repository's tags through `source-template`.
 */
import { ociArchitecture } from '../oci/platform-aliases.js'
import {
  PlatformSyntaxError,
  expectedPlatformKey,
  parsePlatform,
  type ExpectedPlatform
} from '../oci/platform.js'
import { InputError } from './errors.js'
import type { InputName } from './input-contract.js'
import type { SourceTemplate } from './template.js'

/** `auto`: discover the platforms from the repository's tags (repair of a past release). */
const AUTO_PLATFORMS = 'auto'

/** A platform list, or `auto` standing alone. `where` prefixes messages (the image's name). */
export function platformListOrAuto(
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

/** Discovery reads platforms back out of tags: the template must name os and arch. */
export function checkDiscoverable(template: SourceTemplate): void {
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
