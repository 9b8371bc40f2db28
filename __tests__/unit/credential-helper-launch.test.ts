/**
 * How a Docker credential helper is started: with a minimal environment (what helpers need:
 * PATH, HOME, the platform's config variables, the cloud helpers' own settings), never the
 * step's inputs or the runner's tokens; and by an absolute path found on PATH, never from
 * the current directory (on Windows libuv looks there first). The environment is checked
 * with a real helper program that records what it got; the PATH search with an injected
 * platform and file system.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { credentialChain } from '../../src/registry/credentials/credential-chain.js'
import { findExecutable } from '../../src/registry/credentials/find-executable.js'
import { helperEnvironment } from '../../src/registry/credentials/helper-environment.js'

let dir = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multiarch-helper-env-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const STEP_SECRETS = {
  INPUT_PASSWORD: 'input-password-Xk2',
  'INPUT_GITHUB-TOKEN': 'input-github-token-Xk2',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-Xk2',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token-Xk2',
  GITHUB_TOKEN: 'github-token-Xk2'
}

describe('the environment of a credential helper', () => {
  it('has PATH, HOME and the helpers’ own settings, and none of the step’s secrets', async () => {
    const seen = join(dir, 'env.txt')
    await writeFile(
      join(dir, 'docker-credential-spy'),
      `#!/bin/bash\nenv > ${JSON.stringify(seen)}\necho '{"ServerURL":"r","Username":"u","Secret":"s"}'\n`
    )
    await chmod(join(dir, 'docker-credential-spy'), 0o755)
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credsStore: 'spy' }))
    const env = {
      PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: dir,
      DOCKER_CONFIG: dir,
      AWS_REGION: 'eu-west-1',
      XDG_CONFIG_HOME: join(dir, 'xdg'),
      RUNNER_TEMP: dir,
      ...STEP_SECRETS
    }
    // A runner's process has them too: the helper must not inherit them from there either.
    const saved = { ...process.env }
    Object.assign(process.env, STEP_SECRETS, { PATH: env.PATH })
    try {
      const resolve = credentialChain({ env, targetRegistries: [] })
      await expect(resolve('registry.example')).resolves.toMatchObject({ password: 's' })
    } finally {
      for (const name of Object.keys(STEP_SECRETS)) if (!(name in saved)) delete process.env[name]
      process.env.PATH = saved.PATH
    }
    const got = await readFile(seen, 'utf8')
    for (const [name, value] of Object.entries(STEP_SECRETS)) {
      expect(got).not.toContain(value)
      expect(got).not.toContain(`${name}=`)
    }
    for (const line of [`HOME=${dir}`, 'AWS_REGION=eu-west-1', `DOCKER_CONFIG=${dir}`])
      expect(got.split('\n')).toContain(line)
    expect(got).toMatch(/^PATH=/m)
    expect(got).not.toMatch(/^RUNNER_TEMP=/m)
  })

  it('keeps the Windows config variables whatever their case', () => {
    expect(
      helperEnvironment({
        Path: 'C:\\Windows',
        SystemRoot: 'C:\\Windows',
        USERPROFILE: 'C:\\Users\\r',
        APPDATA: 'C:\\Users\\r\\AppData\\Roaming',
        LOCALAPPDATA: 'C:\\Users\\r\\AppData\\Local',
        TEMP: 'C:\\Temp',
        PATHEXT: '.EXE',
        input_password: 'x',
        Actions_Runtime_Token: 'y',
        github_token: 'z'
      })
    ).toEqual({
      Path: 'C:\\Windows',
      SystemRoot: 'C:\\Windows',
      USERPROFILE: 'C:\\Users\\r',
      APPDATA: 'C:\\Users\\r\\AppData\\Roaming',
      LOCALAPPDATA: 'C:\\Users\\r\\AppData\\Local',
      TEMP: 'C:\\Temp',
      PATHEXT: '.EXE'
    })
  })
})

describe('finding the helper on PATH', () => {
  const files = (...paths: string[]) => {
    const set = new Set(paths)
    return (path: string) => set.has(path)
  }

  it('on Windows never takes the current directory, and tries PATHEXT in order', () => {
    const env = {
      Path: '.;;relative\\bin;C:\\Tools;"C:\\Quoted Dir"',
      PATHEXT: '.COM;.EXE;.BAT;.CMD'
    }
    // The workspace (the current directory, `.`, a relative entry) holds a planted helper.
    const planted = ['docker-credential-x.exe', '.\\docker-credential-x.exe']
    const relative = 'relative\\bin\\docker-credential-x.exe'
    expect(
      findExecutable('docker-credential-x', {
        env,
        platform: 'win32',
        isExecutable: files(...planted, relative)
      })
    ).toBeUndefined()
    expect(
      findExecutable('docker-credential-x', {
        env,
        platform: 'win32',
        isExecutable: files(
          ...planted,
          'C:\\Quoted Dir\\docker-credential-x.exe',
          'C:\\Quoted Dir\\docker-credential-x.com'
        )
      })
    ).toBe('C:\\Quoted Dir\\docker-credential-x.com')
    // A .cmd would need a shell (Node refuses it without one): not a candidate.
    expect(
      findExecutable('docker-credential-x', {
        env,
        platform: 'win32',
        isExecutable: files('C:\\Tools\\docker-credential-x.cmd')
      })
    ).toBeUndefined()
  })

  it('on POSIX skips relative PATH entries and needs an executable file', () => {
    const env = { PATH: '.:bin::/usr/local/bin:/usr/bin' }
    expect(
      findExecutable('docker-credential-x', {
        env,
        platform: 'linux',
        isExecutable: files(
          'docker-credential-x',
          'bin/docker-credential-x',
          '/usr/bin/docker-credential-x'
        )
      })
    ).toBe('/usr/bin/docker-credential-x')
  })
})
