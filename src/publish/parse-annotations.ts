/**
 * `annotations` (docs/design.md §2): the index's annotations, `key=value` per line. Lines
 * written for another level than the index (docker/metadata-action's output) are set aside
 * with a notice instead of failing the step.
 */
import { InputError } from './errors.js'
import { splitLines } from './input-text.js'
import type { InputNotice } from './options.js'

/**
 * docker/metadata-action writes each annotation once per level it is asked for, as
 * `<level>:<key>=<value>` (buildx's annotation syntax, "docker buildx build --annotation":
 * levels manifest, index, manifest-descriptor, index-descriptor; manifest levels may carry a
 * `[platform]`). This step writes one index, so `index:` is its level.
 */
const INDEX_LEVEL = 'index:'
const OTHER_LEVEL = /^(?:manifest|manifest-descriptor|index-descriptor)(?:\[[^\]]*\])?:/

export function parseAnnotations(
  raw: string | undefined,
  notices: InputNotice[]
): Record<string, string> {
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
