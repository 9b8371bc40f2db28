/**
 * Where a registry's credentials come from, in order (docs/design.md §5): the username/password
 * inputs (target registries only) → the Docker config that docker/login-action and cloud
 * logins write (credHelpers[host] → credsStore → auths[host]) → github-token for ghcr.io →
 * anonymous. Every secret is handed to `onSecret` (the Action masks it) as soon as it is read.
 */
import { readFile } from 'node:fs/promises'
import { runCredentialHelper, DEFAULT_HELPER_TIMEOUT_MS } from './credential-helper.js'
import {
  ACTION_CREDENTIAL_WORDS,
  type CredentialResolver,
  type CredentialWords,
  type Credentials
} from './credentials.js'
import {
  credentialsFromEntry,
  dockerConfigPath,
  findAuthEntry,
  findHelper,
  parseDockerConfig,
  serverAddress,
  type DockerConfigFile
} from './docker-config.js'
import { spawnExec, type ExecFn } from './exec.js'
import { SILENT_LOGGER, type Logger } from '../base/logger.js'

export interface CredentialChainOptions {
  /** Registries the username/password inputs are for (the targets). */
  targetRegistries: readonly string[]
  username?: string
  password?: string
  githubToken?: string
  /** Environment: DOCKER_CONFIG, HOME. */
  env?: Record<string, string | undefined>
  exec?: ExecFn
  readText?: (path: string) => Promise<string>
  onSecret?: (secret: string) => void
  helperTimeoutMs?: number
  logger?: Logger
  /** How the sources are named in messages (default: the Action's inputs). */
  words?: CredentialWords
}

async function readOptional(
  read: (path: string) => Promise<string>,
  path: string
): Promise<string | undefined> {
  try {
    return await read(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`cannot read the Docker config ${path}: ${(error as Error).message}`, {
      cause: error
    })
  }
}

/** Build the resolver. The Docker config is read once, on first use. */
export function credentialChain(options: CredentialChainOptions): CredentialResolver {
  const env = options.env ?? {}
  const exec = options.exec ?? spawnExec
  const read = options.readText ?? ((path: string) => readFile(path, 'utf8'))
  const logger = options.logger ?? SILENT_LOGGER
  const hear = options.onSecret ?? (() => undefined)
  // Never an empty string: an `auth` of `user:` (what docker login and az acr login write
  // beside an identity token) has no password, and the runner answers an empty
  // ::add-mask:: with a warning annotation.
  const onSecret = (secret: string) => {
    if (secret) hear(secret)
  }
  const reveal = (credentials: Credentials | undefined) => {
    if (credentials?.password) onSecret(credentials.password)
    return credentials
  }
  const path = dockerConfigPath(env)
  let config: Promise<DockerConfigFile | undefined> | undefined
  const loadConfig = () =>
    (config ??= (async () => {
      if (!path) return undefined
      const text = await readOptional(read, path)
      if (text === undefined) return undefined
      const parsed = parseDockerConfig(text, path)
      for (const entry of Object.values(parsed.auths ?? {})) {
        for (const secret of [entry.auth, entry.password, entry.identitytoken, entry.registrytoken])
          if (secret) onSecret(secret)
        if (entry.auth)
          onSecret(Buffer.from(entry.auth, 'base64').toString('utf8').split(':').slice(1).join(':'))
      }
      return parsed
    })())

  return async (registry) => {
    if (options.password && options.targetRegistries.includes(registry)) {
      return reveal({
        username: options.username || 'oauth2',
        password: options.password,
        kind: 'password',
        source: (options.words ?? ACTION_CREDENTIAL_WORDS).given
      })
    }
    const file = await loadConfig()
    if (file && path) {
      const helper = findHelper(file, registry)
      if (helper) {
        const source = `the Docker config ${path} (${helper.via === 'credHelpers' ? `credHelpers[${helper.key ?? registry}]` : 'credsStore'}: docker-credential-${helper.helper})`
        const found = await runCredentialHelper(
          exec,
          helper.helper,
          serverAddress(registry),
          source,
          options.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS,
          env
        )
        if (found) return reveal(found)
        logger.debug(`${source}: no credentials for ${registry}`)
      }
      const entry = findAuthEntry(file, registry)
      if (entry) {
        const found = credentialsFromEntry(
          entry[1],
          `the Docker config ${path} (auths[${entry[0]}])`
        )
        if (found) return reveal(found)
      }
    }
    if (registry === 'ghcr.io' && options.githubToken) {
      // GHCR ignores the user name when the password is a GITHUB_TOKEN (docs/registry-protocol.md A.3).
      return reveal({
        username: 'x-access-token',
        password: options.githubToken,
        kind: 'password',
        source: (options.words ?? ACTION_CREDENTIAL_WORDS).githubToken
      })
    }
    return undefined
  }
}
