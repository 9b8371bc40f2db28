/**
 * src/registry/credentials/credential-chain.ts with a fake file reader, a fake helper runner and a fake
 * environment: the order of docs/design.md §5 (inputs for target registries → credHelpers →
 * credsStore → auths → github-token for ghcr.io → anonymous), the config read once, and
 * every secret handed to onSecret while no message carries one.
 */
import { describe, it, expect } from '@jest/globals'
import { join } from 'node:path'
import {
  credentialChain,
  type CredentialChainOptions
} from '../../src/registry/credentials/credential-chain.js'
import { CredentialHelperError } from '../../src/registry/credentials/credential-helper.js'
import type { Credentials } from '../../src/registry/credentials/credentials.js'
import type { ExecFn, ExecResult } from '../../src/registry/credentials/exec.js'
import { recordingLogger } from './support/fakes.js'

const DIR = '/runner/docker'
const PATH = join(DIR, 'config.json')
const ENV = { DOCKER_CONFIG: DIR, HOME: '/home/runner' }
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

const INPUT_PASSWORD = 'input-Pa55word-1'
const GITHUB_TOKEN = 'ghs_githubToken0000000001'

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: fake`), { code })
}

/** A fake readText over an in-memory file system, counting reads. */
function files(contents: Record<string, string | NodeJS.ErrnoException>) {
  const reads: string[] = []
  const readText = async (path: string) => {
    reads.push(path)
    const content = contents[path]
    if (content === undefined) throw errno('ENOENT')
    if (typeof content !== 'string') throw content
    return content
  }
  return { readText, reads }
}

/** A fake helper runner: `docker-credential-<name>` answers per server address. */
function helpers(answers: Record<string, Record<string, Partial<ExecResult>>>) {
  const calls: { command: string; input: string; timeoutMs: number }[] = []
  const exec: ExecFn = async (command, _args, options) => {
    calls.push({ command, input: options.input, timeoutMs: options.timeoutMs })
    const answer = answers[command.replace(/^docker-credential-/, '')]?.[options.input] ?? {
      exitCode: 1,
      stdout: 'credentials not found in native keychain'
    }
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, ...answer }
  }
  return { exec, calls }
}

const helperSays = (username: string, secret: string): Partial<ExecResult> => ({
  stdout: JSON.stringify({ Username: username, Secret: secret })
})

function chain(
  config: object | undefined,
  options: Partial<CredentialChainOptions> & {
    answers?: Record<string, Record<string, Partial<ExecResult>>>
  } = {}
) {
  const fs = files(config === undefined ? {} : { [PATH]: JSON.stringify(config) })
  const helper = helpers(options.answers ?? {})
  const secrets: string[] = []
  const logger = recordingLogger()
  const resolve = credentialChain({
    targetRegistries: ['ghcr.io'],
    env: ENV,
    readText: fs.readText,
    exec: helper.exec,
    onSecret: (s) => secrets.push(s),
    logger,
    ...options
  })
  return { resolve, reads: fs.reads, calls: helper.calls, secrets, logger }
}

/** Every source: names the file and where in it, and contains no secret. */
function expectCleanSource(credentials: Credentials | undefined, secrets: string[]) {
  expect(credentials).toBeDefined()
  for (const secret of secrets) expect(credentials!.source).not.toContain(secret)
}

describe('credentialChain order', () => {
  const config = {
    credHelpers: { 'gcr.io': 'gcloud', 'https://ghcr.io': 'ghcr-helper' },
    credsStore: 'pass',
    auths: {
      'ghcr.io': { auth: b64('auths-user:auths-pw-ghcr') },
      'quay.io': { auth: b64('quay-user:auths-pw-quay') },
      'registry.local:5000': { username: 'local-user', password: 'auths-pw-local' }
    }
  }
  const answers = {
    'ghcr-helper': { 'ghcr.io': helperSays('helper-user', 'helper-pw-ghcr') },
    gcloud: { 'gcr.io': helperSays('oauth2accesstoken', 'helper-pw-gcr') },
    pass: { 'quay.io': helperSays('store-user', 'store-pw-quay') }
  }

  it('uses the username/password inputs for a target registry, before any config', async () => {
    const c = chain(config, {
      answers,
      username: 'input-user',
      password: INPUT_PASSWORD,
      targetRegistries: ['ghcr.io']
    })
    expect(await c.resolve('ghcr.io')).toEqual({
      username: 'input-user',
      password: INPUT_PASSWORD,
      kind: 'password',
      source: 'the username/password inputs'
    })
    expect(c.reads).toEqual([])
    expect(c.calls).toEqual([])
  })

  it('does not give the inputs to a registry that is not a target', async () => {
    const c = chain(config, {
      answers,
      username: 'input-user',
      password: INPUT_PASSWORD,
      targetRegistries: ['ghcr.io']
    })
    const quay = await c.resolve('quay.io')
    expect(quay?.password).toBe('store-pw-quay')
    expect(c.secrets).not.toContain(INPUT_PASSWORD)
  })

  it("names the inputs' user oauth2 when only a password is given", async () => {
    const c = chain(undefined, { password: INPUT_PASSWORD, targetRegistries: ['ghcr.io'] })
    expect(await c.resolve('ghcr.io')).toMatchObject({
      username: 'oauth2',
      password: INPUT_PASSWORD
    })
  })

  it('credHelpers[host] beats credsStore and auths', async () => {
    const c = chain(config, { answers })
    const gcr = await c.resolve('gcr.io')
    expect(gcr).toEqual({
      username: 'oauth2accesstoken',
      password: 'helper-pw-gcr',
      kind: 'password',
      source: `the Docker config ${PATH} (credHelpers[gcr.io]: docker-credential-gcloud)`
    })
    const ghcr = await c.resolve('ghcr.io')
    expect(ghcr).toMatchObject({ username: 'helper-user', password: 'helper-pw-ghcr' })
    // The key as the file spells it.
    expect(ghcr?.source).toBe(
      `the Docker config ${PATH} (credHelpers[https://ghcr.io]: docker-credential-ghcr-helper)`
    )
    expect(c.calls.map((call) => `${call.command} <${call.input}>`)).toEqual([
      'docker-credential-gcloud <gcr.io>',
      'docker-credential-ghcr-helper <ghcr.io>'
    ])
  })

  it('credsStore beats auths', async () => {
    const c = chain(config, { answers })
    expect(await c.resolve('quay.io')).toEqual({
      username: 'store-user',
      password: 'store-pw-quay',
      kind: 'password',
      source: `the Docker config ${PATH} (credsStore: docker-credential-pass)`
    })
  })

  it('auths when there is no helper', async () => {
    const c = chain({ auths: config.auths })
    expect(await c.resolve('registry.local:5000')).toEqual({
      username: 'local-user',
      password: 'auths-pw-local',
      kind: 'password',
      source: `the Docker config ${PATH} (auths[registry.local:5000])`
    })
    expect(c.calls).toEqual([])
  })

  it('github-token for ghcr.io only, after the config', async () => {
    const c = chain(
      { auths: { 'quay.io': { auth: b64('q:auths-pw-quay') } } },
      { githubToken: GITHUB_TOKEN }
    )
    expect(await c.resolve('ghcr.io')).toEqual({
      username: 'x-access-token',
      password: GITHUB_TOKEN,
      kind: 'password',
      source: 'the github-token input'
    })
    expect(await c.resolve('docker.io')).toBeUndefined()
    expect(await c.resolve('quay.io')).toMatchObject({ password: 'auths-pw-quay' })
  })

  it('the config wins over github-token for ghcr.io', async () => {
    const c = chain({ auths: config.auths }, { githubToken: GITHUB_TOKEN })
    expect(await c.resolve('ghcr.io')).toMatchObject({ password: 'auths-pw-ghcr' })
  })

  it('anonymous when nothing matches', async () => {
    const c = chain(config, { answers: {} })
    expect(await c.resolve('example.com')).toBeUndefined()
  })
})

describe('credentialChain fall-through', () => {
  it('a helper answering "not found" falls through to auths, then to github-token', async () => {
    const c = chain(
      { credsStore: 'pass', auths: { 'quay.io': { auth: b64('quay-user:auths-pw-quay') } } },
      { githubToken: GITHUB_TOKEN }
    )
    expect(await c.resolve('quay.io')).toMatchObject({
      username: 'quay-user',
      password: 'auths-pw-quay',
      source: `the Docker config ${PATH} (auths[quay.io])`
    })
    expect(await c.resolve('ghcr.io')).toMatchObject({
      password: GITHUB_TOKEN,
      source: 'the github-token input'
    })
    expect(c.calls.map((call) => call.input)).toEqual(['quay.io', 'ghcr.io'])
    expect(c.logger.at('debug')).toEqual([
      `the Docker config ${PATH} (credsStore: docker-credential-pass): no credentials for quay.io`,
      `the Docker config ${PATH} (credsStore: docker-credential-pass): no credentials for ghcr.io`
    ])
  })

  it('an empty auths entry (a credsStore placeholder) falls through too', async () => {
    const c = chain({ auths: { 'ghcr.io': {} } }, { githubToken: GITHUB_TOKEN })
    expect(await c.resolve('ghcr.io')).toMatchObject({ source: 'the github-token input' })
  })

  it('a failing helper is an error, not anonymous', async () => {
    const c = chain(
      { credsStore: 'pass', auths: { 'quay.io': { auth: b64('q:auths-pw-quay') } } },
      { answers: { pass: { 'quay.io': { exitCode: 1, stderr: 'gpg: decryption failed' } } } }
    )
    const error = await c.resolve('quay.io').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialHelperError)
    expect((error as Error).message).toBe(
      `the Docker config ${PATH} (credsStore: docker-credential-pass): docker-credential-pass failed (exit 1): gpg: decryption failed`
    )
  })

  it('asks the helper for Docker Hub by its legacy server address, and passes the bound', async () => {
    const c = chain(
      { credHelpers: { 'https://index.docker.io/v1/': 'desktop' } },
      {
        answers: {
          desktop: { 'https://index.docker.io/v1/': helperSays('hubuser', 'hub-helper-pw') }
        },
        helperTimeoutMs: 4321
      }
    )
    expect(await c.resolve('docker.io')).toMatchObject({
      username: 'hubuser',
      password: 'hub-helper-pw',
      source: `the Docker config ${PATH} (credHelpers[https://index.docker.io/v1/]: docker-credential-desktop)`
    })
    expect(c.calls).toEqual([
      {
        command: 'docker-credential-desktop',
        input: 'https://index.docker.io/v1/',
        timeoutMs: 4321
      }
    ])
  })

  it('a helper identity token stays an identity token', async () => {
    const c = chain(
      { credHelpers: { 'myacr.azurecr.io': 'acr' } },
      { answers: { acr: { 'myacr.azurecr.io': helperSays('<token>', 'refresh-from-helper') } } }
    )
    expect(await c.resolve('myacr.azurecr.io')).toMatchObject({
      kind: 'identity-token',
      password: 'refresh-from-helper'
    })
    expect(c.secrets).toEqual(['refresh-from-helper'])
  })
})

describe('credentialChain config file', () => {
  it('a missing config file (ENOENT) is fine', async () => {
    const c = chain(undefined, { githubToken: GITHUB_TOKEN })
    expect(await c.resolve('quay.io')).toBeUndefined()
    expect(await c.resolve('ghcr.io')).toMatchObject({ source: 'the github-token input' })
    expect(c.reads).toEqual([PATH])
  })

  it('an unreadable config file is an error naming it', async () => {
    const fs = files({ [PATH]: errno('EACCES') })
    const resolve = credentialChain({ targetRegistries: [], env: ENV, readText: fs.readText })
    await expect(resolve('ghcr.io')).rejects.toThrow(
      `cannot read the Docker config ${PATH}: EACCES: fake`
    )
  })

  it('a config file that is not JSON is an error naming it', async () => {
    const fs = files({ [PATH]: '{ "auths": ' })
    const resolve = credentialChain({ targetRegistries: [], env: ENV, readText: fs.readText })
    await expect(resolve('ghcr.io')).rejects.toThrow(`the Docker config ${PATH} is not valid JSON`)
  })

  it('finds the file under HOME when DOCKER_CONFIG is not set, and reads nothing without either', async () => {
    const home = join('/home/runner', '.docker', 'config.json')
    const fs = files({
      [home]: JSON.stringify({ auths: { 'quay.io': { auth: b64('q:home-pw-quay') } } })
    })
    const resolve = credentialChain({
      targetRegistries: [],
      env: { HOME: '/home/runner' },
      readText: fs.readText
    })
    expect(await resolve('quay.io')).toMatchObject({ password: 'home-pw-quay' })
    expect(fs.reads).toEqual([home])

    const none = files({})
    expect(
      await credentialChain({ targetRegistries: [], env: {}, readText: none.readText })('quay.io')
    ).toBeUndefined()
    expect(none.reads).toEqual([])
  })

  it('reads the config once for many registries, also when asked concurrently', async () => {
    const c = chain({ auths: { 'quay.io': { auth: b64('q:auths-pw-quay') } }, credsStore: 'pass' })
    await Promise.all(['quay.io', 'ghcr.io', 'docker.io', 'gcr.io'].map((r) => c.resolve(r)))
    await c.resolve('registry.local:5000')
    expect(c.reads).toEqual([PATH])
  })
})

describe('credentialChain secrets', () => {
  it('hears every secret in auths as the config is read, and never a user name', async () => {
    const authB64 = b64('auth-user:auth-pw:with:colons')
    const c = chain({
      auths: {
        'quay.io': { auth: authB64 },
        'registry.local:5000': { username: 'field-user', password: 'field-password' },
        'myacr.azurecr.io': {
          auth: b64('00000000-0000-0000-0000-000000000000:'),
          identitytoken: 'identity-token-1'
        },
        'regtok.example.com': { registrytoken: 'registry-token-1' },
        'https://index.docker.io/v1/': {}
      }
    })
    // One lookup for a registry the config does not even mention reads (and masks) it all.
    expect(await c.resolve('example.com')).toBeUndefined()
    expect(new Set(c.secrets)).toEqual(
      new Set([
        authB64,
        'auth-pw:with:colons',
        'field-password',
        b64('00000000-0000-0000-0000-000000000000:'),
        'identity-token-1',
        'registry-token-1'
      ])
    )
    for (const notSecret of ['auth-user', 'field-user', '00000000-0000-0000-0000-000000000000', ''])
      expect(c.secrets).not.toContain(notSecret)
  })

  it('hears the input password, helper secrets and github-token, once each they are used', async () => {
    const c = chain(
      { credHelpers: { 'gcr.io': 'gcloud' } },
      {
        username: 'input-user',
        password: INPUT_PASSWORD,
        targetRegistries: ['registry.example.com'],
        githubToken: GITHUB_TOKEN,
        answers: { gcloud: { 'gcr.io': helperSays('oauth2accesstoken', 'helper-secret-gcr') } }
      }
    )
    const found = [
      await c.resolve('registry.example.com'),
      await c.resolve('gcr.io'),
      await c.resolve('ghcr.io')
    ]
    expect(c.secrets).toEqual([INPUT_PASSWORD, 'helper-secret-gcr', GITHUB_TOKEN])
    for (const notSecret of ['input-user', 'oauth2accesstoken', 'x-access-token'])
      expect(c.secrets).not.toContain(notSecret)
    for (const credentials of found) expectCleanSource(credentials, c.secrets)
  })

  it('sources name the file and the key or helper, never the secret', async () => {
    const c = chain(
      {
        credHelpers: { 'gcr.io': 'gcloud' },
        auths: {
          'https://quay.io': { auth: b64('q:quay-secret-pw') },
          'myacr.azurecr.io': { username: 'acr-user', identitytoken: 'acr-identity-token' },
          'regtok.example.com': { registrytoken: 'the-registry-token' }
        }
      },
      { answers: { gcloud: { 'gcr.io': helperSays('oauth2accesstoken', 'gcr-helper-secret') } } }
    )
    const sources: Record<string, string | undefined> = {}
    for (const registry of ['quay.io', 'myacr.azurecr.io', 'regtok.example.com', 'gcr.io']) {
      const credentials = await c.resolve(registry)
      expectCleanSource(credentials, [
        ...c.secrets,
        'quay-secret-pw',
        'acr-identity-token',
        'the-registry-token',
        'gcr-helper-secret'
      ])
      sources[registry] = credentials?.source
    }
    expect(sources).toEqual({
      'quay.io': `the Docker config ${PATH} (auths[https://quay.io])`,
      'myacr.azurecr.io': `the Docker config ${PATH} (auths[myacr.azurecr.io])`,
      'regtok.example.com': `the Docker config ${PATH} (auths[regtok.example.com])`,
      'gcr.io': `the Docker config ${PATH} (credHelpers[gcr.io]: docker-credential-gcloud)`
    })
  })
})
