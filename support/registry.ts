/**
 * Starts a real CNCF distribution registry (Debian `docker-registry`, 2.8) on 127.0.0.1 with
 * no auth, htpasswd Basic auth, or token auth backed by ./token-server.ts.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { registerSecret } from './secrets.js'
import { startTokenServer, type TokenServer } from './token-server.js'
import { delay, freePort, makeTempDir, removeDir, stopChild, TailBuffer } from './util.js'

const execFileP = promisify(execFile)

/** The registry binary; overridable for machines that install it elsewhere. */
const REGISTRY_BIN = process.env.MAI_REGISTRY_BIN ?? 'docker-registry'
/** Token-auth constants shared by the registry config and the token server. */
export const TOKEN_SERVICE = 'test-registry'
export const TOKEN_ISSUER = 'test-issuer'

/** Auth mode of a test registry. */
export type RegistryAuth = 'none' | 'basic' | 'token'

/** Options for {@link startRegistry}. */
export interface RegistryOptions {
  auth?: RegistryAuth
  /** user → password for basic/token modes; default `{ 'ci-user': 'ci-password-<random>' }`. */
  users?: Record<string, string>
  /** Bound on waiting for the registry to answer GET /v2/ (default 10 s). */
  startTimeoutMs?: number
}

/** A running registry; `stop()` ends it (and its token server) and removes its files. */
export interface RunningRegistry {
  /** `127.0.0.1:PORT` — the registry host part of an image reference. */
  host: string
  /** `http://127.0.0.1:PORT` */
  url: string
  auth: RegistryAuth
  users: Record<string, string>
  tokenServer?: TokenServer
  /** Temp dir holding config.yml, storage (`data/`), htpasswd or key and cert. */
  storageDir: string
  pid: number
  /** What the registry has written to stderr/stdout so far (bounded). */
  logs(): string
  stop(): Promise<void>
}

/**
 * Starts `docker-registry serve <config>` on a free 127.0.0.1 port with filesystem storage in
 * a fresh temp dir and deletes enabled; resolves once GET /v2/ answers 200 or 401.
 * Throws (with the registry's captured output) if it does not come up in time.
 */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  const auth = opts.auth ?? 'none'
  const users = opts.users ?? { 'ci-user': `ci-password-${randomBytes(6).toString('hex')}` }
  for (const password of Object.values(users)) registerSecret(password)
  const dir = await makeTempDir('registry')
  let tokenServer: TokenServer | undefined
  try {
    const port = await freePort()
    const authYaml: string[] = []
    if (auth === 'basic') {
      const htpasswd = join(dir, 'htpasswd')
      await writeFile(htpasswd, await htpasswdLines(users), { mode: 0o600 })
      authYaml.push(
        'auth:',
        '  htpasswd:',
        `    realm: ${q('test-registry')}`,
        `    path: ${q(htpasswd)}`
      )
    } else if (auth === 'token') {
      const { keyPem, certPath } = await makeKeyAndCert(dir)
      tokenServer = await startTokenServer({
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        keyPem,
        users
      })
      authYaml.push(
        'auth:',
        '  token:',
        `    realm: ${q(tokenServer.realm)}`,
        `    service: ${q(TOKEN_SERVICE)}`,
        `    issuer: ${q(TOKEN_ISSUER)}`,
        `    rootcertbundle: ${q(certPath)}`
      )
    }
    const config = [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${q(join(dir, 'data'))}`,
      '  delete:',
      '    enabled: true',
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      'http:',
      `  addr: ${q(`127.0.0.1:${port}`)}`,
      `  secret: ${q(randomBytes(16).toString('hex'))}`,
      ...authYaml,
      ''
    ].join('\n')
    const configPath = join(dir, 'config.yml')
    await writeFile(configPath, config)

    const output = new TailBuffer()
    const child = spawn(REGISTRY_BIN, ['serve', configPath], {
      detached: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }
    })
    child.stdout.on('data', (c: Buffer) => output.push(c))
    child.stderr.on('data', (c: Buffer) => output.push(c))
    let spawnError: Error | undefined
    child.on('error', (err) => {
      spawnError = err
    })

    // If the test process exits without stop(), do not leave the registry running.
    const killOnExit = (): void => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true })
    }
    process.once('exit', killOnExit)

    const url = `http://127.0.0.1:${port}`
    const stop = async (): Promise<void> => {
      process.off('exit', killOnExit)
      await stopChild(child)
      await tokenServer?.stop()
      await removeDir(dir)
    }

    const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000)
    let lastProblem = 'no answer yet'
    for (;;) {
      if (spawnError !== undefined || child.exitCode !== null || child.signalCode !== null) {
        await stop()
        throw new Error(
          `docker-registry exited before it was ready (${spawnError?.message ?? `code ${child.exitCode} signal ${child.signalCode}`}):\n${output.toString()}`
        )
      }
      const status = await pingStatus(url)
      if (status === 200 || status === 401) break
      lastProblem = status === undefined ? 'connection failed' : `GET /v2/ answered ${status}`
      if (Date.now() > deadline) {
        await stop()
        throw new Error(
          `docker-registry on ${url} not ready (${lastProblem}):\n${output.toString()}`
        )
      }
      await delay(50)
    }

    const running: RunningRegistry = {
      host: `127.0.0.1:${port}`,
      url,
      auth,
      users,
      storageDir: dir,
      pid: child.pid ?? -1,
      logs: () => output.toString(),
      stop
    }
    if (tokenServer !== undefined) running.tokenServer = tokenServer
    return running
  } catch (err) {
    await tokenServer?.stop()
    await removeDir(dir)
    throw err
  }
}

/** A YAML double-quoted scalar (a JSON string is one). */
function q(value: string): string {
  return JSON.stringify(value)
}

async function pingStatus(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) })
    await res.arrayBuffer()
    return res.status
  } catch {
    return undefined
  }
}

/** One bcrypt htpasswd line per user, made by `htpasswd -Bbn` (apache2-utils). */
async function htpasswdLines(users: Record<string, string>): Promise<string> {
  const lines: string[] = []
  for (const [user, password] of Object.entries(users)) {
    const { stdout } = await execFileP('htpasswd', ['-Bbn', user, password], { timeout: 30_000 })
    lines.push(stdout.trim())
  }
  return `${lines.join('\n')}\n`
}

/** An RSA 2048 key and a self-signed cert for it, made with the openssl CLI. */
async function makeKeyAndCert(dir: string): Promise<{ keyPem: string; certPath: string }> {
  const keyPath = join(dir, 'token-key.pem')
  const certPath = join(dir, 'token-cert.pem')
  try {
    await execFileP(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '2',
        '-subj',
        '/CN=test-token'
      ],
      { timeout: 30_000 }
    )
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? ''
    throw new Error(`openssl req failed: ${(err as Error).message}\n${stderr}`, { cause: err })
  }
  return { keyPem: await readFile(keyPath, 'utf8'), certPath }
}
