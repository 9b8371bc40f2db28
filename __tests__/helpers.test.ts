/**
 * Tests of the test helpers themselves, against a real distribution registry on 127.0.0.1 in
 * each auth mode, with skopeo as the independent reader.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { classifyPath, startCountingProxy, type CountingProxy } from './helpers/counting-proxy.js'
import { startRegistry, type RegistryAuth, type RunningRegistry } from './helpers/registry.js'
import { inputEnvName, parseOutputFile, runAction } from './helpers/run-action.js'
import {
  accessFor,
  deleteManifest,
  getManifest,
  MT,
  pushBuildxStyleIndex,
  pushImage,
  putManifest,
  sha256Digest,
  type RegistryAccess
} from './helpers/seed.js'
import {
  skopeoInspectPlatform,
  skopeoInspectPlatformConfig,
  skopeoInspectRaw,
  skopeoInspectRawBytes,
  type SkopeoCreds
} from './helpers/skopeo.js'
import { libtrustKeyId, parseScope, startTokenServer } from './helpers/token-server.js'
import { makeTempDir, removeDir } from './helpers/util.js'

const REPO = 'team/app'

describe.each<RegistryAuth>(['none', 'basic', 'token'])('real registry, auth=%s', (auth) => {
  let reg: RunningRegistry
  let access: RegistryAccess
  let creds: SkopeoCreds | undefined
  let proxy: CountingProxy

  beforeAll(async () => {
    reg = await startRegistry({ auth })
    access = accessFor(reg)
    const first = Object.entries(reg.users)[0]
    creds =
      auth === 'none' || first === undefined
        ? undefined
        : { username: first[0], password: first[1] }
    proxy = await startCountingProxy(reg.url)
  })

  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
  })

  it('pushes a Docker v2 image that reads back with the same bytes (fetch and skopeo)', async () => {
    const img = await pushImage(access, REPO, 'v1-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    expect(img.mediaType).toBe(MT.dockerManifest)
    const got = await getManifest(access, REPO, 'v1-linux-amd64')
    expect(got.status).toBe(200)
    expect(got.digest).toBe(img.digest)
    expect(got.mediaType).toBe(MT.dockerManifest)
    expect(sha256Digest(got.body)).toBe(img.digest)
    const raw = await skopeoInspectRawBytes(`${reg.host}/${REPO}:v1-linux-amd64`, creds)
    expect(raw.digest).toBe(img.digest)
    const cfg = await skopeoInspectPlatformConfig(
      `${reg.host}/${REPO}:v1-linux-amd64`,
      'linux',
      'amd64',
      undefined,
      creds
    )
    expect(cfg.digest).toBe(img.configDigest)
    expect(cfg.config).toMatchObject({ os: 'linux', architecture: 'amd64' })
  })

  it('pushes an OCI image with variant and Windows fields in its config', async () => {
    const img = await pushImage(access, REPO, 'v1-windows-ltsc2022-amd64', {
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.20348.3453',
      osFeatures: ['win32k'],
      format: 'oci'
    })
    expect(img.mediaType).toBe(MT.ociManifest)
    const got = await getManifest(access, REPO, img.digest)
    expect(got.status).toBe(200)
    expect(got.mediaType).toBe(MT.ociManifest)
    expect(sha256Digest(got.body)).toBe(img.digest)
    const doc = await skopeoInspectRaw(`${reg.host}/${REPO}@${img.digest}`, creds)
    expect(doc.config.digest).toBe(img.configDigest)
    const cfg = await skopeoInspectPlatformConfig(
      `${reg.host}/${REPO}@${img.digest}`,
      'windows',
      'amd64',
      undefined,
      creds
    )
    expect(cfg.config).toMatchObject({
      os: 'windows',
      'os.version': '10.0.20348.3453',
      'os.features': ['win32k']
    })
  })

  it('pushes a buildx-style index; skopeo resolves the platform to the image, not the attestation', async () => {
    const bx = await pushBuildxStyleIndex(access, REPO, 'v1-linux-arm-v7', {
      os: 'linux',
      architecture: 'arm',
      variant: 'v7'
    })
    const got = await getManifest(access, REPO, 'v1-linux-arm-v7')
    expect(got.status).toBe(200)
    expect(got.digest).toBe(bx.indexDigest)
    expect(got.mediaType).toBe(MT.ociIndex)
    const index = JSON.parse(got.body.toString('utf8'))
    expect(index.manifests).toHaveLength(2)
    expect(index.manifests[1].annotations['vnd.docker.reference.digest']).toBe(bx.imageDigest)
    expect(index.manifests[1].platform).toEqual({ architecture: 'unknown', os: 'unknown' })

    const ref = `${reg.host}/${REPO}:v1-linux-arm-v7`
    expect((await skopeoInspectRawBytes(ref, creds)).digest).toBe(bx.indexDigest)
    expect(await skopeoInspectPlatform(ref, 'linux', 'arm', 'v7', creds)).toBe(bx.imageDigest)
    const att = await getManifest(access, REPO, bx.attestationDigest)
    expect(att.status).toBe(200)
    expect(JSON.parse(att.body.toString('utf8')).layers[0].mediaType).toBe(MT.inToto)
  })

  it('puts a Docker manifest list; skopeo picks each child by platform; delete works', async () => {
    const amd = await pushImage(access, REPO, null, { os: 'linux', architecture: 'amd64' })
    const arm = await pushImage(access, REPO, null, {
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8'
    })
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.dockerList,
        manifests: [
          {
            mediaType: amd.mediaType,
            digest: amd.digest,
            size: amd.size,
            platform: { architecture: 'amd64', os: 'linux' }
          },
          {
            mediaType: arm.mediaType,
            digest: arm.digest,
            size: arm.size,
            platform: { architecture: 'arm64', os: 'linux', variant: 'v8' }
          }
        ]
      })
    )
    const put = await putManifest(access, REPO, 'v2', MT.dockerList, list)
    expect(put.status).toBe(201)
    expect(put.digest).toBe(sha256Digest(list))
    const ref = `${reg.host}/${REPO}:v2`
    expect(await skopeoInspectPlatform(ref, 'linux', 'arm64', undefined, creds)).toBe(arm.digest)
    expect(await skopeoInspectPlatform(ref, 'linux', 'amd64', undefined, creds)).toBe(amd.digest)

    // A child that does not exist in the repository is refused (B.3).
    const missing = Buffer.from(list.toString('utf8').replace(amd.digest, sha256Digest('nothing')))
    const bad = await putManifest(access, REPO, 'v2-bad', MT.dockerList, missing)
    expect(bad.status).toBe(400)
    expect(bad.body).toContain('MANIFEST_BLOB_UNKNOWN')

    expect((await deleteManifest(access, REPO, sha256Digest(list))).status).toBe(202)
    expect((await getManifest(access, REPO, 'v2')).status).toBe(404)
  })

  it('refuses anonymous pushes unless auth is off', async () => {
    const anon = accessFor(reg, { anonymous: true })
    const push = pushImage(anon, `${REPO}-anon`, 'x', { os: 'linux', architecture: 'amd64' })
    if (auth === 'none') {
      await expect(push).resolves.toMatchObject({ mediaType: MT.dockerManifest })
    } else {
      await expect(push).rejects.toThrow(/401/)
      if (auth === 'basic') {
        // Basic realm: an anonymous read is refused too.
        expect((await getManifest(anon, REPO, 'v1-linux-amd64')).status).toBe(401)
      } else {
        // Token realm: anonymous gets a pull-only token, so reads work.
        expect((await getManifest(anon, REPO, 'v1-linux-amd64')).status).toBe(200)
      }
      const wrong = accessFor(reg, { username: Object.keys(reg.users)[0], password: 'wrong' })
      const res = getManifest(wrong, REPO, 'v1-linux-amd64')
      if (auth === 'basic') expect((await res).status).toBe(401)
      else await expect(res).rejects.toThrow(/token request .* 401/)
    }
  })

  it('counts requests through the proxy, for seed pushes and for skopeo', async () => {
    proxy.reset()
    const viaProxy: RegistryAccess = { ...access, url: proxy.url }
    const img = await pushImage(viaProxy, REPO, 'v3-linux-amd64', {
      os: 'linux',
      architecture: 'amd64'
    })
    const got = await getManifest(viaProxy, REPO, 'v3-linux-amd64')
    expect(got.digest).toBe(img.digest)
    expect(proxy.counts()).toEqual({
      'HEAD blob': 2,
      'POST upload': 2,
      'PUT upload': 2,
      'PUT manifest': 1,
      'GET manifest': 1
    })

    proxy.reset()
    const raw = await skopeoInspectRawBytes(`${proxy.host}/${REPO}:v3-linux-amd64`, creds)
    expect(raw.digest).toBe(img.digest)
    const counts = proxy.counts()
    expect(counts['GET manifest']).toBe(1)
    expect(counts['GET ping']).toBeGreaterThanOrEqual(1)
    expect(proxy.requests.every((r) => r.status > 0)).toBe(true)
    if (auth !== 'none') expect(proxy.requests.some((r) => r.status === 401)).toBe(true)
  })

  if (auth === 'token') {
    it('records the token requests skopeo made (GET with Basic and account)', async () => {
      const ts = reg.tokenServer
      expect(ts).toBeDefined()
      const fromSkopeo =
        ts?.requests.filter((r) => r.method === 'GET' && r.account === creds?.username) ?? []
      expect(fromSkopeo.length).toBeGreaterThan(0)
      expect(fromSkopeo[0]?.basicUser).toBe(creds?.username)
      expect(fromSkopeo.some((r) => r.scopes.includes(`repository:${REPO}:pull`))).toBe(true)
    })

    it('answers the OAuth POST form (password and refresh_token grants)', async () => {
      const ts = reg.tokenServer
      if (ts === undefined || creds === undefined) throw new Error('token server expected')
      const post = async (
        form: Record<string, string>
      ): Promise<{ status: number; body: Record<string, unknown> }> => {
        const res = await fetch(ts.realm, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString()
        })
        return { status: res.status, body: (await res.json()) as Record<string, unknown> }
      }
      const scope = `repository:${REPO}:pull,push`
      const pw = await post({
        grant_type: 'password',
        username: creds.username,
        password: creds.password,
        service: ts.service,
        client_id: 'test',
        scope,
        access_type: 'offline'
      })
      expect(pw.status).toBe(200)
      expect(pw.body.expires_in).toBe(300)
      const refresh = String(pw.body.refresh_token)
      const rt = await post({
        grant_type: 'refresh_token',
        refresh_token: refresh,
        service: ts.service,
        client_id: 'test',
        scope
      })
      expect(rt.status).toBe(200)
      const bearer: RegistryAccess = {
        url: reg.url,
        authHeader: () => Promise.resolve(`Bearer ${String(rt.body.access_token)}`)
      }
      const img = await pushImage(bearer, REPO, 'v4-linux-amd64', {
        os: 'linux',
        architecture: 'amd64'
      })
      expect((await getManifest(bearer, REPO, 'v4-linux-amd64')).digest).toBe(img.digest)
      expect(
        (await post({ grant_type: 'refresh_token', refresh_token: 'nope', scope })).status
      ).toBe(401)
      expect(
        (await post({ grant_type: 'password', username: creds.username, password: 'x', scope }))
          .status
      ).toBe(401)
    })
  }
})

describe('token server unit behaviour', () => {
  it('parses scopes with a host:port in the name', () => {
    expect(parseScope('repository:127.0.0.1:5000/a/b:pull,push')).toEqual({
      type: 'repository',
      name: '127.0.0.1:5000/a/b',
      actions: ['pull', 'push']
    })
    expect(parseScope('registry:catalog:*')).toEqual({
      type: 'registry',
      name: 'catalog',
      actions: ['*']
    })
    expect(parseScope('nonsense')).toBeUndefined()
  })

  it('answers failPostWith on POST and still serves GET', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    expect(libtrustKeyId(keyPem)).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/)
    const ts = await startTokenServer({
      service: 's',
      issuer: 'i',
      keyPem,
      users: { u: 'p' },
      failPostWith: 404
    })
    try {
      const post = await fetch(ts.realm, {
        method: 'POST',
        body: 'grant_type=password&username=u&password=p'
      })
      expect(post.status).toBe(404)
      await post.arrayBuffer()
      const get = await fetch(`${ts.realm}?service=s&scope=repository:a:pull,push`, {
        headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` }
      })
      expect(get.status).toBe(200)
      const body = (await get.json()) as { token: string; access_token: string; expires_in: number }
      expect(body.access_token).toBe(body.token)
      const claims = JSON.parse(
        Buffer.from(body.token.split('.')[1] ?? '', 'base64url').toString('utf8')
      )
      expect(claims).toMatchObject({
        aud: 's',
        iss: 'i',
        access: [{ type: 'repository', name: 'a', actions: ['pull', 'push'] }]
      })
      const anon = (await (
        await fetch(`${ts.realm}?service=s&scope=repository:a:pull,push`)
      ).json()) as { token: string }
      const anonClaims = JSON.parse(
        Buffer.from(anon.token.split('.')[1] ?? '', 'base64url').toString('utf8')
      )
      expect(anonClaims.access).toEqual([{ type: 'repository', name: 'a', actions: ['pull'] }])
      expect(ts.requests.map((r) => [r.method, r.status])).toEqual([
        ['POST', 404],
        ['GET', 200],
        ['GET', 200]
      ])
    } finally {
      await ts.stop()
    }
  })
})

describe('counting proxy unit behaviour', () => {
  it('classifies registry paths', () => {
    expect(classifyPath('/v2/')).toBe('ping')
    expect(classifyPath('/v2/a/b/manifests/v1')).toBe('manifest')
    expect(classifyPath('/v2/a/b/blobs/sha256:abc')).toBe('blob')
    expect(classifyPath('/v2/a/b/blobs/uploads/')).toBe('upload')
    expect(classifyPath('/v2/a/b/blobs/uploads/uuid?_state=x')).toBe('upload')
    expect(classifyPath('/v2/a/b/tags/list?n=10')).toBe('tags')
    expect(classifyPath('/token?scope=x')).toBe('token')
  })

  it('lets an onRequest hook answer instead of the target', async () => {
    const proxy = await startCountingProxy('http://127.0.0.1:9', {
      onRequest: (r) =>
        r.kind === 'ping'
          ? { status: 503, headers: { 'retry-after': '1' }, body: 'busy' }
          : undefined
    })
    try {
      const res = await fetch(`${proxy.url}/v2/`)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect(await res.text()).toBe('busy')
      // Nothing listens on the target port: forwarding fails as a 502.
      const miss = await fetch(`${proxy.url}/v2/a/manifests/x`)
      expect(miss.status).toBe(502)
      await miss.arrayBuffer()
      expect(proxy.counts()).toEqual({ 'GET ping': 1, 'GET manifest': 1 })
      expect(proxy.requests[0]?.synthetic).toBe(true)
    } finally {
      await proxy.stop()
    }
  })
})

describe('runAction', () => {
  let dir: string
  beforeAll(async () => {
    dir = await makeTempDir('fake-action')
  })
  afterAll(async () => {
    await removeDir(dir)
  })

  it('names inputs as the runner does', () => {
    expect(inputEnvName('source-template')).toBe('INPUT_SOURCE-TEMPLATE')
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT')
  })

  it('parses both GITHUB_OUTPUT forms', () => {
    expect(parseOutputFile('a=1\nb<<EOF\nx\ny=z\nEOF\nc=\n')).toEqual({
      a: '1',
      b: 'x\ny=z',
      c: ''
    })
  })

  it('runs a script with INPUT_* variables, a clean HOME and output files', async () => {
    const entry = join(dir, 'fake.mjs')
    await writeFile(
      entry,
      [
        "import { appendFileSync } from 'node:fs'",
        'const e = process.env',
        "appendFileSync(e.GITHUB_OUTPUT, `tpl=${e['INPUT_SOURCE-TEMPLATE']}\\n`)",
        'appendFileSync(e.GITHUB_OUTPUT, `json<<ghadelimiter_1\\n${JSON.stringify({ home: e.HOME, ref: e.GITHUB_REF_NAME, node: e.NODE_OPTIONS ?? null })}\\nghadelimiter_1\\n`)',
        "appendFileSync(e.GITHUB_STEP_SUMMARY, '# hello\\n')",
        "console.log('out'); console.error('err')",
        'process.exitCode = 3'
      ].join('\n')
    )
    const run = await runAction(
      { 'source-template': '{tag}-{os}-{arch}' },
      { entry, env: { GITHUB_REF_NAME: 'v9' } }
    )
    expect(run.code).toBe(3)
    expect(run.timedOut).toBe(false)
    expect(run.stdout).toBe('out\n')
    expect(run.stderr).toBe('err\n')
    expect(run.outputs.tpl).toBe('{tag}-{os}-{arch}')
    const info = JSON.parse(run.outputs.json ?? '{}')
    expect(info.ref).toBe('v9')
    expect(info.node).toBeNull()
    expect(info.home).toContain(run.tempDir)
    expect(run.summary).toBe('# hello\n')
  })

  it('kills a run that exceeds its bound', async () => {
    const entry = join(dir, 'hang.mjs')
    await writeFile(entry, 'setInterval(() => {}, 1000)\n')
    const started = Date.now()
    const run = await runAction({}, { entry, timeoutMs: 500 })
    expect(run.timedOut).toBe(true)
    expect(run.code).toBeNull()
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
