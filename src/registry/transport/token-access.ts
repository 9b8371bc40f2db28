/**
 * What a bearer token says it grants. Distribution's tokens are JWTs whose `access` claim lists
 * `{type, name, actions}` (distribution docs/spec/auth/jwt.md; Docker Hub's tokens are the
 * same). Tokens are opaque to clients in general (auth/token.md): a token that is not such a
 * JWT says nothing here, and the registry's answer to it is what counts. The token is
 * untrusted input: anything that does not parse as expected gives `undefined`.
 */

/** One entry of the `access` claim, or a parsed `type:name:actions` scope. */
export interface Access {
  type: string
  name: string
  actions: string[]
}

/** Larger than any token a registry hands out; bounds what is decoded. */
const MAX_TOKEN_CHARS = 64 * 1024

/**
 * A `type:name:actions` scope. The type ends at the first ':', the actions start after the
 * last one: the name may hold a `host:port/` prefix (docs/registry-protocol.md B.8).
 */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':')
  const last = scope.lastIndexOf(':')
  if (first <= 0 || last === first) return undefined
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions }
}

/** The `access` claim of a JWT bearer token; undefined when the token is not one. */
export function tokenAccess(token: string): Access[] | undefined {
  if (token.length > MAX_TOKEN_CHARS) return undefined
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  let claims: unknown
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (typeof claims !== 'object' || claims === null) return undefined
  const access = (claims as Record<string, unknown>).access
  if (!Array.isArray(access)) return undefined
  const entries: Access[] = []
  for (const entry of access as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return undefined
    const { type, name, actions } = entry as Record<string, unknown>
    if (typeof type !== 'string' || typeof name !== 'string' || !Array.isArray(actions))
      return undefined
    if (!actions.every((a): a is string => typeof a === 'string')) return undefined
    entries.push({ type, name, actions })
  }
  return entries
}

/** True when `access` grants every action `scope` asks for (`*` grants all). */
export function grantsScope(access: readonly Access[], scope: string): boolean {
  const wanted = parseScope(scope)
  if (!wanted) return false
  const granted = new Set(
    access.filter((a) => a.type === wanted.type && a.name === wanted.name).flatMap((a) => a.actions)
  )
  return granted.has('*') || wanted.actions.every((action) => granted.has(action))
}
