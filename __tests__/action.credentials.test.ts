/**
 * Credentials the way release workflows have them (docs/design.md §5, docs/registry-protocol.md §B.8):
 * each source alone publishes on a real token-auth registry; precedence is proven with two
 * sources, one wrong; identity tokens use the OAuth2 refresh flow (and containerd's GET
 * fallback); credential helpers are real executables on PATH; one token per scope set.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { runAction, type ActionRun } from './helpers/run-action.js'
import { registerSecret } from './helpers/secrets.js'
import { accessFor, pushImage } from './helpers/seed.js'
import { makeTempDir, removeDir } from './helpers/util.js'

let registry: RunningRegistry
let user = ''
let password = ''
let dir = ''
let counter = 0

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' })
  ;[user, password] = Object.entries(registry.users)[0]
  dir = await makeTempDir('creds')
})

afterAll(async () => {
  await registry?.stop()
  await removeDir(dir)
})

beforeEach(() => {
  registry.tokenServer!.setFailPostWith(undefined)
})

/** A fresh repository with two per-arch tags. */
async function seeded(): Promise<string> {
  const repo = `creds/r${++counter}`
  const access = accessFor(registry)
  await pushImage(access, repo, 'v1-linux-amd64', { os: 'linux', architecture: 'amd64' })
  await pushImage(access, repo, 'v1-linux-arm64', { os: 'linux', architecture: 'arm64' })
  return repo
}

/** A DOCKER_CONFIG directory with this config.json, and a bin directory of helper programs. */
async function dockerConfig(
  config: object,
  helpers: Record<string, string> = {}
): Promise<Record<string, string>> {
  const home = join(dir, `c${++counter}`)
  const bin = join(home, 'bin')
  await mkdir(bin, { recursive: true })
  await writeFile(join(home, 'config.json'), JSON.stringify(config))
  for (const [name, script] of Object.entries(helpers)) {
    const file = join(bin, `docker-credential-${name}`)
    await writeFile(file, `#!/usr/bin/env bash\n${script}\n`)
    await chmod(file, 0o755)
  }
  return { DOCKER_CONFIG: home, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` }
}

/** A helper that answers with these credentials for our registry, "not found" otherwise. */
function helperAnswering(username: string, secret: string): string {
  return [
    'read -r server',
    `if [ "$server" = "${registry.host}" ]; then`,
    `  printf '%s' '{"ServerURL":"${registry.host}","Username":"${username}","Secret":"${secret}"}'`,
    'else echo "credentials not found in native keychain"; exit 1; fi'
  ].join('\n')
}

const basicAuth = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64')
const WRONG = 'wrong-password-for-the-test'
registerSecret(WRONG)

async function publish(
  repo: string,
  env: Record<string, string>,
  extra: Record<string, string> = {}
): Promise<ActionRun> {
  return runAction({ images: `${registry.host}/${repo}`, tag: 'v1', ...extra }, { env })
}

function tokenRequestsSince(n: number) {
  return registry.tokenServer!.requests.slice(n)
}

describe('each source alone publishes', () => {
  it('auths: auth (base64 user:password)', async () => {
    const env = await dockerConfig({
      auths: { [registry.host]: { auth: basicAuth(user, password) } }
    })
    const run = await publish(await seeded(), env)
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('created')
  })

  it('auths: username and password fields, under a URL-style key', async () => {
    const env = await dockerConfig({
      auths: { [`https://${registry.host}/v1/`]: { username: user, password } }
    })
    const run = await publish(await seeded(), env)
    expect(run.code).toBe(0)
  })

  it('auths: identitytoken goes through the OAuth2 refresh-token POST', async () => {
    const refresh = `refresh-${++counter}-identity-token`
    registerSecret(refresh)
    registry.tokenServer!.refreshTokens[refresh] = user
    const env = await dockerConfig({
      auths: { [registry.host]: { username: user, identitytoken: refresh } }
    })
    const repo = await seeded()
    const before = registry.tokenServer!.requests.length
    const run = await publish(repo, env)
    expect(run.code).toBe(0)
    const posts = tokenRequestsSince(before).filter((r) => r.method === 'POST')
    expect(posts.length).toBeGreaterThan(0)
    expect(posts.every((r) => r.grantType === 'refresh_token' && r.status === 200)).toBe(true)
    expect(tokenRequestsSince(before).filter((r) => r.method === 'GET' && r.basicUser)).toEqual([])
  })

  it('auths: identitytoken against a token server that answers POST with 404 falls back to GET', async () => {
    const refresh = `refresh-${++counter}-identity-token`
    registerSecret(refresh)
    registry.tokenServer!.refreshTokens[refresh] = user
    registry.tokenServer!.setFailPostWith(404)
    const env = await dockerConfig({
      auths: { [registry.host]: { username: user, identitytoken: refresh } }
    })
    const repo = await seeded()
    const before = registry.tokenServer!.requests.length
    const run = await publish(repo, env)
    expect(run.code).toBe(0)
    const seen = tokenRequestsSince(before)
    expect(seen.some((r) => r.method === 'POST' && r.status === 404)).toBe(true)
    expect(seen.some((r) => r.method === 'GET' && r.basicUser === user && r.status === 200)).toBe(
      true
    )
  })

  it('auths: registrytoken is sent to the registry as a Bearer token as it is', async () => {
    const repo = await seeded()
    const token = registry.tokenServer!.issue([`repository:${repo}:pull,push`], user)
    const env = await dockerConfig({ auths: { [registry.host]: { registrytoken: token } } })
    const before = registry.tokenServer!.requests.length
    const run = await publish(repo, env)
    expect(run.code).toBe(0)
    expect(tokenRequestsSince(before)).toEqual([])
  })

  it('credHelpers[host]: a docker-credential-* program on PATH', async () => {
    const env = await dockerConfig(
      { credHelpers: { [registry.host]: 'testhelper' } },
      { testhelper: helperAnswering(user, password) }
    )
    const run = await publish(await seeded(), env)
    expect(run.code).toBe(0)
  })

  it('credsStore: the default helper', async () => {
    const env = await dockerConfig(
      { credsStore: 'store' },
      { store: helperAnswering(user, password) }
    )
    const run = await publish(await seeded(), env)
    expect(run.code).toBe(0)
  })

  it('a helper answering Username <token> gives an identity token', async () => {
    const refresh = `refresh-${++counter}-from-helper`
    registerSecret(refresh)
    registry.tokenServer!.refreshTokens[refresh] = user
    const env = await dockerConfig(
      { credHelpers: { [registry.host]: 'idhelper' } },
      { idhelper: helperAnswering('<token>', refresh) }
    )
    const repo = await seeded()
    const before = registry.tokenServer!.requests.length
    const run = await publish(repo, env)
    expect(run.code).toBe(0)
    expect(
      tokenRequestsSince(before).some((r) => r.method === 'POST' && r.grantType === 'refresh_token')
    ).toBe(true)
  })
})

describe('precedence: two sources, one wrong', () => {
  it('the inputs win over the Docker config', async () => {
    const env = await dockerConfig({ auths: { [registry.host]: { auth: basicAuth(user, WRONG) } } })
    expect((await publish(await seeded(), env, { username: user, password })).code).toBe(0)
    const failed = await publish(
      await seeded(),
      await dockerConfig({ auths: { [registry.host]: { auth: basicAuth(user, password) } } }),
      { username: user, password: WRONG }
    )
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('Credentials used: the username/password inputs')
  })

  it('credHelpers win over auths', async () => {
    const right = await dockerConfig(
      {
        credHelpers: { [registry.host]: 'good' },
        auths: { [registry.host]: { auth: basicAuth(user, WRONG) } }
      },
      { good: helperAnswering(user, password) }
    )
    expect((await publish(await seeded(), right)).code).toBe(0)
    const wrong = await dockerConfig(
      {
        credHelpers: { [registry.host]: 'bad' },
        auths: { [registry.host]: { auth: basicAuth(user, password) } }
      },
      { bad: helperAnswering(user, WRONG) }
    )
    const failed = await publish(await seeded(), wrong)
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain(`credHelpers[${registry.host}]: docker-credential-bad`)
  })

  it('credHelpers win over credsStore', async () => {
    const env = await dockerConfig(
      { credHelpers: { [registry.host]: 'good2' }, credsStore: 'bad2' },
      { good2: helperAnswering(user, password), bad2: helperAnswering(user, WRONG) }
    )
    expect((await publish(await seeded(), env)).code).toBe(0)
  })
})

describe('helpers that do not help', () => {
  it('"credentials not found" means anonymous, and the 401 message says so', async () => {
    const env = await dockerConfig(
      { credsStore: 'empty' },
      { empty: 'echo "credentials not found in native keychain"; exit 1' }
    )
    const run = await publish(await seeded(), env)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('no credentials (anonymous)')
    expect(run.stdout).toMatch(/401|403/)
  })

  it('a helper that hangs is stopped at its bound and the step fails saying so', async () => {
    const env = await dockerConfig({ credsStore: 'hang' }, { hang: 'sleep 60' })
    const started = Date.now()
    const run = await publish(await seeded(), {
      ...env,
      MULTIARCH_INDEX_CREDENTIAL_HELPER_TIMEOUT: '1s'
    })
    expect(run.code).toBe(1)
    expect(Date.now() - started).toBeLessThan(8000)
    expect(run.stdout).toContain('docker-credential-hang did not answer within 1s and was stopped')
  })
})

describe('tokens', () => {
  it('one token fetch for a two-image, two-tag publish on one registry, carrying both scopes', async () => {
    const a = await seeded()
    const b = await seeded()
    const before = registry.tokenServer!.requests.length
    const run = await runAction({
      images: `${registry.host}/${a}\n${registry.host}/${b}`,
      tag: 'v1',
      tags: 'latest',
      username: user,
      password
    })
    expect(run.code).toBe(0)
    // The token server grants every scope asked for, so the step's two repositories share
    // one token (one request with both scopes) rather than one token each.
    const fetched = tokenRequestsSince(before).map((r) => [...r.scopes].sort())
    expect(fetched).toEqual([[`repository:${a}:pull,push`, `repository:${b}:pull,push`].sort()])
  })

  it('read-only modes ask only for pull', async () => {
    const repo = await seeded()
    expect((await publish(repo, {}, { username: user, password })).code).toBe(0)
    const before = registry.tokenServer!.requests.length
    for (const mode of ['verify', 'dry-run']) {
      expect((await publish(repo, {}, { username: user, password, mode })).code).toBe(0)
    }
    const scopes = tokenRequestsSince(before).flatMap((r) => r.scopes)
    expect(scopes.length).toBe(2)
    expect(scopes.every((s) => s === `repository:${repo}:pull`)).toBe(true)
  })
})
