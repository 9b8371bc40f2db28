/**
 * src/registry/credentials/docker-config.ts: where config.json is, how it parses, and how a registry
 * finds its `auths` entry and credential helper the way the docker CLI does
 * (docs/registry-protocol.md §B.8: URL-style keys, Docker Hub's legacy key, credHelpers over
 * credsStore). Pure functions, no files.
 */
import { describe, it, expect } from '@jest/globals'
import { join } from 'node:path'
import {
  DOCKER_HUB_CONFIG_KEY,
  configKeyHost,
  credentialsFromEntry,
  dockerConfigPath,
  findAuthEntry,
  findHelper,
  parseDockerConfig,
  serverAddress,
  type DockerConfigFile
} from '../../src/registry/credentials/docker-config.js'

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
const SOURCE = 'the Docker config /home/u/.docker/config.json (auths[ghcr.io])'

describe('dockerConfigPath', () => {
  it('prefers DOCKER_CONFIG (a directory) over HOME', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/tmp/dc', HOME: '/home/u' })).toBe(
      join('/tmp/dc', 'config.json')
    )
  })

  it('falls back to $HOME/.docker/config.json', () => {
    expect(dockerConfigPath({ HOME: '/home/u' })).toBe(join('/home/u', '.docker', 'config.json'))
    expect(dockerConfigPath({ DOCKER_CONFIG: '', HOME: '/home/u' })).toBe(
      join('/home/u', '.docker', 'config.json')
    )
  })

  it('is undefined with neither', () => {
    expect(dockerConfigPath({})).toBeUndefined()
  })
})

describe('parseDockerConfig', () => {
  it('keeps auths, credHelpers and credsStore', () => {
    const text = JSON.stringify({
      auths: { 'ghcr.io': { auth: b64('u:p') } },
      credHelpers: { 'gcr.io': 'gcloud' },
      credsStore: 'desktop',
      currentContext: 'default'
    })
    expect(parseDockerConfig(text, '/c/config.json')).toEqual({
      auths: { 'ghcr.io': { auth: b64('u:p') } },
      credHelpers: { 'gcr.io': 'gcloud' },
      credsStore: 'desktop'
    })
  })

  it('ignores fields of the wrong type and an empty credsStore', () => {
    expect(
      parseDockerConfig('{"auths":null,"credHelpers":3,"credsStore":""}', '/c/config.json')
    ).toEqual({})
    expect(parseDockerConfig('{"credsStore":7}', '/c/config.json')).toEqual({})
  })

  it('names the file when the JSON is bad', () => {
    expect(() => parseDockerConfig('{"auths": {', '/c/config.json')).toThrow(
      /^the Docker config \/c\/config\.json is not valid JSON: /
    )
  })

  it('refuses JSON that is not an object', () => {
    for (const text of ['[]', 'null', '"text"', '42']) {
      expect(() => parseDockerConfig(text, '/c/config.json')).toThrow(
        'the Docker config /c/config.json is not a JSON object'
      )
    }
  })
})

describe('configKeyHost', () => {
  it('reduces a key to host[:port] as docker ConvertToHostname does', () => {
    expect(configKeyHost('https://index.docker.io/v1/')).toBe('index.docker.io')
    expect(configKeyHost('http://r:5000/x')).toBe('r:5000')
    expect(configKeyHost('ghcr.io')).toBe('ghcr.io')
    expect(configKeyHost('  Registry.Example.com:443  ')).toBe('registry.example.com:443')
    expect(configKeyHost('quay.io/v2/')).toBe('quay.io')
  })
})

describe('serverAddress', () => {
  it('is the legacy index URL for Docker Hub and the registry itself otherwise', () => {
    expect(serverAddress('docker.io')).toBe(DOCKER_HUB_CONFIG_KEY)
    expect(DOCKER_HUB_CONFIG_KEY).toBe('https://index.docker.io/v1/')
    expect(serverAddress('ghcr.io')).toBe('ghcr.io')
  })
})

describe('findAuthEntry', () => {
  const entry = { auth: b64('u:p') }

  it('finds an exact key', () => {
    const config: DockerConfigFile = {
      auths: { 'ghcr.io': entry, 'quay.io': { auth: b64('q:q') } }
    }
    expect(findAuthEntry(config, 'ghcr.io')).toEqual(['ghcr.io', entry])
  })

  it('finds a URL-style key', () => {
    const config: DockerConfigFile = { auths: { 'https://ghcr.io': entry } }
    expect(findAuthEntry(config, 'ghcr.io')).toEqual(['https://ghcr.io', entry])
  })

  it('prefers the exact key over a URL-style one', () => {
    const url = { auth: b64('url:url') }
    const config: DockerConfigFile = { auths: { 'https://ghcr.io/': url, 'ghcr.io': entry } }
    expect(findAuthEntry(config, 'ghcr.io')).toEqual(['ghcr.io', entry])
  })

  it.each([
    { key: 'https://index.docker.io/v1/' },
    { key: 'index.docker.io' },
    { key: 'registry-1.docker.io' },
    { key: 'https://registry-1.docker.io/v2/' },
    { key: 'docker.io' }
  ])('finds Docker Hub (docker.io) under $key', ({ key }) => {
    const config: DockerConfigFile = { auths: { 'ghcr.io': { auth: b64('g:g') }, [key]: entry } }
    expect(findAuthEntry(config, 'docker.io')).toEqual([key, entry])
  })

  it('matches host:port, and not the same host on another port', () => {
    const config: DockerConfigFile = {
      auths: {
        'registry.local:5001': { auth: b64('other:x') },
        'http://registry.local:5000': entry
      }
    }
    expect(findAuthEntry(config, 'registry.local:5000')).toEqual([
      'http://registry.local:5000',
      entry
    ])
    expect(findAuthEntry(config, 'registry.local')).toBeUndefined()
  })

  it('finds nothing for another registry, or without auths', () => {
    expect(findAuthEntry({ auths: { 'ghcr.io': entry } }, 'quay.io')).toBeUndefined()
    expect(findAuthEntry({ auths: { 'ghcr.io': entry } }, 'docker.io')).toBeUndefined()
    expect(findAuthEntry({}, 'ghcr.io')).toBeUndefined()
  })
})

describe('findHelper', () => {
  it('credHelpers[host] beats credsStore', () => {
    const config: DockerConfigFile = { credHelpers: { 'gcr.io': 'gcloud' }, credsStore: 'desktop' }
    expect(findHelper(config, 'gcr.io')).toEqual({
      helper: 'gcloud',
      via: 'credHelpers',
      key: 'gcr.io'
    })
    expect(findHelper(config, 'ghcr.io')).toEqual({ helper: 'desktop', via: 'credsStore' })
  })

  it('uses credsStore alone for every registry', () => {
    const config: DockerConfigFile = { credsStore: 'pass' }
    expect(findHelper(config, 'ghcr.io')).toEqual({ helper: 'pass', via: 'credsStore' })
    expect(findHelper(config, 'docker.io')).toEqual({ helper: 'pass', via: 'credsStore' })
  })

  it('matches a URL-style credHelpers key and reports the key as written', () => {
    const config: DockerConfigFile = {
      credHelpers: { 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' }
    }
    expect(findHelper(config, '123456789012.dkr.ecr.us-east-1.amazonaws.com')).toEqual({
      helper: 'ecr-login',
      via: 'credHelpers',
      key: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com'
    })
  })

  it("matches Docker Hub's legacy key for docker.io", () => {
    const config: DockerConfigFile = {
      credHelpers: { 'https://index.docker.io/v1/': 'osxkeychain' }
    }
    expect(findHelper(config, 'docker.io')).toMatchObject({
      helper: 'osxkeychain',
      via: 'credHelpers'
    })
  })

  it('finds none without credHelpers for the host and without credsStore', () => {
    expect(findHelper({ credHelpers: { 'gcr.io': 'gcloud' } }, 'ghcr.io')).toBeUndefined()
    expect(findHelper({}, 'ghcr.io')).toBeUndefined()
  })
})

describe('credentialsFromEntry', () => {
  it('decodes auth as base64 user:password, splitting at the first colon only', () => {
    expect(credentialsFromEntry({ auth: b64('robot:pa:ss:word') }, SOURCE)).toEqual({
      username: 'robot',
      password: 'pa:ss:word',
      kind: 'password',
      source: SOURCE
    })
  })

  it('reads username and password fields', () => {
    expect(credentialsFromEntry({ username: 'robot', password: 'pw' }, SOURCE)).toEqual({
      username: 'robot',
      password: 'pw',
      kind: 'password',
      source: SOURCE
    })
  })

  it('auth wins over the separate fields', () => {
    expect(
      credentialsFromEntry({ auth: b64('a:b'), username: 'x', password: 'y' }, SOURCE)
    ).toMatchObject({ username: 'a', password: 'b' })
  })

  it('an identitytoken is an identity token, keeping the user name', () => {
    // What docker login / az acr login write: auth of `user:` beside the token.
    expect(
      credentialsFromEntry(
        { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh-abc' },
        SOURCE
      )
    ).toEqual({
      username: '00000000-0000-0000-0000-000000000000',
      password: 'refresh-abc',
      kind: 'identity-token',
      source: SOURCE
    })
    expect(
      credentialsFromEntry({ username: 'robot', identitytoken: 'refresh-abc' }, SOURCE)
    ).toEqual({
      username: 'robot',
      password: 'refresh-abc',
      kind: 'identity-token',
      source: SOURCE
    })
  })

  it('a registrytoken is a registry token, sent as it is', () => {
    expect(credentialsFromEntry({ registrytoken: 'reg-tok', auth: b64('u:p') }, SOURCE)).toEqual({
      username: '',
      password: 'reg-tok',
      kind: 'registry-token',
      source: SOURCE
    })
  })

  it('an empty entry (credsStore placeholders look like this) has no credentials', () => {
    expect(credentialsFromEntry({}, SOURCE)).toBeUndefined()
    expect(credentialsFromEntry({ auth: '', username: '', password: '' }, SOURCE)).toBeUndefined()
  })

  it('refuses an auth that is not user:password, naming the source and not the value', () => {
    const bad = b64('no-colon-here')
    let message = ''
    try {
      credentialsFromEntry({ auth: bad }, SOURCE)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe(`${SOURCE}: 'auth' is not base64 of user:password`)
    expect(message).not.toContain(bad)
    expect(message).not.toContain('no-colon-here')
  })
})
