/**
 * skopeo (Debian package, 1.9.x) as an independent reader of what a registry holds.
 *
 * Measured with skopeo 1.9.3: `--override-os/--override-arch/--override-variant` are GLOBAL flags
 * (before the subcommand). `inspect --raw` ignores them and prints the top-level document;
 * `inspect --format '{{.Digest}}'` prints the digest of the top-level document (the index),
 * not the child. The child a puller would get is found with `copy ... dir:` — the copied
 * `manifest.json` holds the child's exact bytes — and `inspect --config --raw` gives that
 * child's config.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir, removeDir } from './util.js'

/** Credentials for skopeo `--creds`. */
export interface SkopeoCreds {
  username: string
  password: string
}

/** Output of one skopeo run. */
export interface SkopeoResult {
  stdout: Buffer
  stderr: string
}

const TIMEOUT_MS = 30_000

/**
 * Runs skopeo with the given arguments (30 s bound), with HOME pointing at an empty temp dir so
 * no auth file of the machine is used. Rejects with stderr in the message on a non-zero exit.
 */
export async function runSkopeo(args: string[]): Promise<SkopeoResult> {
  const home = await makeTempDir('skopeo-home')
  try {
    return await new Promise<SkopeoResult>((resolve, reject) => {
      execFile(
        'skopeo',
        args,
        {
          encoding: 'buffer',
          timeout: TIMEOUT_MS,
          killSignal: 'SIGKILL',
          maxBuffer: 16 << 20,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: home }
        },
        (err, stdout, stderr) => {
          const errText = stderr.toString('utf8')
          if (err !== null) {
            reject(
              new Error(
                `skopeo ${redact(args).join(' ')} failed: ${err.message.split('\n')[0]}\n${errText}`
              )
            )
          } else {
            resolve({ stdout, stderr: errText })
          }
        }
      )
    })
  } finally {
    await removeDir(home)
  }
}

/** Hides the password of `--creds user:pass` / `--src-creds user:pass` in error messages. */
function redact(args: string[]): string[] {
  return args.map((a, i) =>
    i > 0 && /creds$/.test(args[i - 1] ?? '') ? a.replace(/:.*/, ':***') : a
  )
}

function credsArgs(flag: string, creds?: SkopeoCreds): string[] {
  return creds === undefined ? [] : [flag, `${creds.username}:${creds.password}`]
}

function platformArgs(os: string, arch: string, variant?: string): string[] {
  const args = ['--override-os', os, '--override-arch', arch]
  if (variant !== undefined && variant !== '') args.push('--override-variant', variant)
  return args
}

/** `skopeo inspect --raw` of `host:port/repo:tag` (or `@digest`), parsed as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function skopeoInspectRaw(ref: string, creds?: SkopeoCreds): Promise<any> {
  const { stdout } = await skopeoInspectRawBytes(ref, creds)
  return JSON.parse(stdout.toString('utf8'))
}

/** `skopeo inspect --raw`: the exact bytes and their sha256 digest. */
export async function skopeoInspectRawBytes(
  ref: string,
  creds?: SkopeoCreds
): Promise<{ stdout: Buffer; digest: string }> {
  const { stdout } = await runSkopeo([
    'inspect',
    '--raw',
    '--tls-verify=false',
    ...credsArgs('--creds', creds),
    `docker://${ref}`
  ])
  return { stdout, digest: sha256(stdout) }
}

/**
 * The digest of the manifest skopeo picks for a platform (what a puller on that platform gets):
 * `skopeo --override-os OS --override-arch ARCH [--override-variant V] --insecure-policy copy
 * --src-tls-verify=false [--src-creds u:p] docker://REF dir:TMP`, then sha256 of the copied
 * manifest.json. For a single-platform ref it is that manifest's digest.
 */
export async function skopeoInspectPlatform(
  ref: string,
  os: string,
  arch: string,
  variant?: string,
  creds?: SkopeoCreds
): Promise<string> {
  const dir = await makeTempDir('skopeo-copy')
  try {
    await runSkopeo([
      ...platformArgs(os, arch, variant),
      '--insecure-policy',
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      ...credsArgs('--src-creds', creds),
      `docker://${ref}`,
      `dir:${join(dir, 'image')}`
    ])
    return sha256(await readFile(join(dir, 'image', 'manifest.json')))
  } finally {
    await removeDir(dir)
  }
}

/**
 * The config of the image skopeo picks for a platform:
 * `skopeo --override-os .. --override-arch .. [--override-variant ..] inspect --config --raw`.
 */
export async function skopeoInspectPlatformConfig(
  ref: string,
  os: string,
  arch: string,
  variant?: string,
  creds?: SkopeoCreds
): Promise<{ digest: string; config: Record<string, unknown> }> {
  const { stdout } = await runSkopeo([
    ...platformArgs(os, arch, variant),
    'inspect',
    '--config',
    '--raw',
    '--tls-verify=false',
    ...credsArgs('--creds', creds),
    `docker://${ref}`
  ])
  return {
    digest: sha256(stdout),
    config: JSON.parse(stdout.toString('utf8')) as Record<string, unknown>
  }
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}
