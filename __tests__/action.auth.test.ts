/**
 * The same publish with no auth, Basic (htpasswd) and token auth (a token server that signs
 * RS256 JWTs as distribution 2.8 wants), on real registries. No secret may reach the output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction } from './helpers/run-action.js'
import { accessFor, pushImage } from './helpers/seed.js'
import { visibleLog as visible } from './helpers/secrets.js'
import { skopeoInspectRaw } from './helpers/skopeo.js'

const REPO = 'microsoft/retina/retina-init'

describe.each(['none', 'basic', 'token'] as const)('auth %s', (auth) => {
  let registry: RunningRegistry
  let username = ''
  let password = ''

  beforeAll(async () => {
    registry = await startRegistry({ auth })
    ;[username, password] = Object.entries(registry.users)[0] ?? ['', '']
    const access = accessFor(registry)
    await pushImage(access, REPO, 'v0.0.31-linux-amd64', { os: 'linux', architecture: 'amd64' })
    await pushImage(access, REPO, 'v0.0.31-linux-arm64', { os: 'linux', architecture: 'arm64' })
  })

  afterAll(async () => {
    await registry?.stop()
  })

  const creds = (): Record<string, string> => (auth === 'none' ? {} : { username, password })

  it('publishes, then reports unchanged', async () => {
    const run = await runAction({ images: `${registry.host}/${REPO}`, tag: 'v0.0.31', ...creds() })
    expect(run.stdout).not.toContain('::error')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
    const index = await skopeoInspectRaw(
      `${registry.host}/${REPO}:v0.0.31`,
      auth === 'none' ? undefined : { username, password }
    )
    expect(index.manifests).toHaveLength(2)
    const again = await runAction({
      images: `${registry.host}/${REPO}`,
      tag: 'v0.0.31',
      ...creds()
    })
    expect(again.outputs.status).toBe('unchanged')
    expect(again.outputs.digest).toBe(run.outputs.digest)
    if (auth !== 'none') {
      // The password is masked as soon as it is read, and never printed otherwise.
      expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${password}`)
      for (const text of [
        run.stdout,
        run.stderr,
        run.summary,
        run.outputs.result,
        again.stdout,
        again.stderr
      ]) {
        expect(visible(text)).not.toContain(password)
      }
    }
    if (auth === 'token') {
      // One token for the target's pull,push scope set, shared by every request of the run.
      const scopes = registry
        .tokenServer!.requests.filter((r) => r.basicUser === username)
        .map((r) => r.scopes.join(' '))
      expect(scopes.filter((s) => s === `repository:${REPO}:pull,push`).length).toBe(2) // one per run
    }
  })

  if (auth !== 'none') {
    it('without credentials the push fails with a message naming the credential source', async () => {
      const run = await runAction({
        images: `${registry.host}/${REPO}`,
        tag: 'v0.0.32-rc',
        sources: `${registry.host}/${REPO}:v0.0.31-linux-amd64`
      })
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/401|403/)
      expect(run.stdout).toContain('no credentials')
    })

    it('with a wrong password the message names the source, never the password', async () => {
      const wrong = 'wrong-password-Zq81'
      const run = await runAction({
        images: `${registry.host}/${REPO}`,
        tag: 'v0.0.31',
        username,
        password: wrong
      })
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('the username/password inputs')
      expect(run.stdout).toContain(`::add-mask::${wrong}`)
      expect(visible(run.stdout)).not.toContain(wrong)
      expect(visible(run.stderr)).not.toContain(wrong)
    })
  }
})
