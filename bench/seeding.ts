/**
 * Puts a case's per-arch images in the registry and takes its indexes away again, straight at
 * the registry (not through the proxy: neither counted nor delayed).
 */
import { deleteManifest, MANIFEST_ACCEPT, pushImage, type RegistryAccess } from '../support/seed.js'
import { sourceTag, type Case } from './cases.js'
import type { Ctx } from './context.js'

/** Pushes every per-arch image of a case under its source tag; returns how many. */
export async function seedCase(access: RegistryAccess, c: Case): Promise<number> {
  let seeded = 0
  for (const m of c.components) {
    await Promise.all(
      m.plats.map(async (p) => {
        await pushImage(access, m.repo, sourceTag(c.tag, p, c.template), p.image)
        seeded++
      })
    )
  }
  return seeded
}

/** Deletes whatever index the case's tags hold (by digest, straight at the registry, uncounted). */
export async function deleteIndexes(ctx: Ctx, c: Case): Promise<void> {
  for (const m of c.components) {
    for (const tag of [c.tag, ...c.extraTags]) {
      const auth = await ctx.access.authHeader?.(m.repo)
      const headers: Record<string, string> = { accept: MANIFEST_ACCEPT }
      if (auth !== undefined) headers.authorization = auth
      const res = await fetch(`${ctx.registry.url}/v2/${m.repo}/manifests/${tag}`, {
        method: 'HEAD',
        headers,
        signal: AbortSignal.timeout(15_000)
      })
      if (res.status === 404) continue
      const digest = res.headers.get('docker-content-digest')
      if (res.status !== 200 || digest === null)
        throw new Error(`HEAD ${m.repo}:${tag} answered ${res.status}`)
      const del = await deleteManifest(ctx.access, m.repo, digest)
      if (del.status !== 202 && del.status !== 404)
        throw new Error(`DELETE ${m.repo}@${digest} answered ${del.status}: ${del.body}`)
    }
  }
}
