/**
 * The Docker CLI's config file, read as the docker CLI reads it (docker/cli
 * cli/config/configfile, credentials/file_store.go; docs/registry-protocol.md §B.8):
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`; `credHelpers[host]` wins over
 * `credsStore`, which wins over inline `auths`. Keys are `host[:port]` or URL-style
 * (`https://host/v1/`); Docker Hub's key is `https://index.docker.io/v1/`.
 */
import { join } from 'node:path'
import type { Credentials } from './credentials.js'
import { DOCKER_HUB } from '../base/reference.js'

/** One `auths` entry (docker/cli cli/config/types/authconfig.go). */
interface DockerAuthEntry {
  /** base64 of `user:password` */
  auth?: string
  username?: string
  password?: string
  /** An OAuth2 refresh token (e.g. from `docker login` against ACR, or a helper's `<token>`). */
  identitytoken?: string
  /** A bearer token to send to the registry as it is. */
  registrytoken?: string
}

export interface DockerConfigFile {
  auths?: Record<string, DockerAuthEntry>
  credHelpers?: Record<string, string>
  credsStore?: string
}

/** The legacy index server: Docker Hub's key in config.json and its helper server address. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/'

/** Where the config file is: `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`. */
export function dockerConfigPath(env: Record<string, string | undefined>): string | undefined {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json')
  const home = env.HOME ?? env.USERPROFILE
  return home ? join(home, '.docker', 'config.json') : undefined
}

/** Parse config.json text; throws with a message naming the file on bad JSON. */
export function parseDockerConfig(text: string, path: string): DockerConfigFile {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    throw new Error(`the Docker config ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error
    })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`the Docker config ${path} is not a JSON object`)
  const record = body as Record<string, unknown>
  const config: DockerConfigFile = {}
  if (typeof record.auths === 'object' && record.auths !== null)
    config.auths = record.auths as Record<string, DockerAuthEntry>
  if (typeof record.credHelpers === 'object' && record.credHelpers !== null)
    config.credHelpers = record.credHelpers as Record<string, string>
  if (typeof record.credsStore === 'string' && record.credsStore)
    config.credsStore = record.credsStore
  return config
}

/** `https://host:port/v1/` → `host:port` (docker/cli ConvertToHostname). */
export function configKeyHost(key: string): string {
  let host = key.trim()
  if (host.startsWith('http://')) host = host.slice('http://'.length)
  else if (host.startsWith('https://')) host = host.slice('https://'.length)
  return host.split('/')[0].toLowerCase()
}

/** Hosts that name the same registry as `registry` in config keys. */
function sameRegistryHosts(registry: string): string[] {
  if (registry === DOCKER_HUB) return ['index.docker.io', 'docker.io', 'registry-1.docker.io']
  return [registry.toLowerCase()]
}

/** The server address a config key or a credential helper expects for this registry. */
export function serverAddress(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_CONFIG_KEY : registry
}

/** The `auths` entry for a registry, with its key: an exact key first, then URL-style keys. */
export function findAuthEntry(
  config: DockerConfigFile,
  registry: string
): [string, DockerAuthEntry] | undefined {
  const auths = config.auths ?? {}
  const exact = serverAddress(registry)
  if (auths[exact]) return [exact, auths[exact]]
  const hosts = sameRegistryHosts(registry)
  const key = Object.keys(auths).find((k) => hosts.includes(configKeyHost(k)))
  return key === undefined ? undefined : [key, auths[key]]
}

/** The helper for a registry: `credHelpers[host]` (any same-registry key form), then `credsStore`. */
export function findHelper(
  config: DockerConfigFile,
  registry: string
): { helper: string; via: 'credHelpers' | 'credsStore'; key?: string } | undefined {
  const helpers = config.credHelpers ?? {}
  const hosts = sameRegistryHosts(registry)
  const key = Object.keys(helpers).find((k) => hosts.includes(configKeyHost(k)))
  // The key as written in the file (`https://index.docker.io/v1/` for `docker.io`), so a
  // message points at what the user can find there.
  if (key !== undefined && helpers[key]) return { helper: helpers[key], via: 'credHelpers', key }
  if (config.credsStore) return { helper: config.credsStore, via: 'credsStore' }
  return undefined
}

/**
 * Credentials from an `auths` entry, or undefined when it carries none. An entry with only
 * an identity token is an OAuth2 refresh token; a registry token is sent as it is.
 */
export function credentialsFromEntry(
  entry: DockerAuthEntry,
  source: string
): Credentials | undefined {
  if (entry.registrytoken)
    return { username: '', password: entry.registrytoken, kind: 'registry-token', source }
  let username = entry.username ?? ''
  let password = entry.password ?? ''
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new Error(`${source}: 'auth' is not base64 of user:password`)
    username = decoded.slice(0, colon)
    password = decoded.slice(colon + 1)
  }
  if (entry.identitytoken)
    return { username, password: entry.identitytoken, kind: 'identity-token', source }
  if (!username && !password) return undefined
  return { username, password, kind: 'password', source }
}
