/**
 * src/registry/credentials/credential-helper.ts with a fake ExecFn: the docker-credential-helpers `get`
 * protocol (docs/registry-protocol.md §B.8): server address on stdin, JSON on stdout,
 * `<token>` for identity tokens, "credentials not found" for none, and failures that say
 * which helper and why without echoing what it was given.
 */
import { describe, it, expect } from '@jest/globals'
import {
  CredentialHelperError,
  DEFAULT_HELPER_TIMEOUT_MS,
  runCredentialHelper
} from '../../src/registry/credentials/credential-helper.js'
import type { ExecFn, ExecResult } from '../../src/registry/credentials/exec.js'

const SOURCE = 'the Docker config /c/config.json (credsStore: docker-credential-pass)'

interface Call {
  command: string
  args: readonly string[]
  input: string
  timeoutMs: number
}

/** An ExecFn that records its calls and answers with `result`. */
function fakeExec(result: Partial<ExecResult>): { exec: ExecFn; calls: Call[] } {
  const calls: Call[] = []
  const exec: ExecFn = async (command, args, options) => {
    calls.push({ command, args, input: options.input, timeoutMs: options.timeoutMs })
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, ...result }
  }
  return { exec, calls }
}

async function failure(promise: Promise<unknown>): Promise<CredentialHelperError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(CredentialHelperError)
  expect((error as CredentialHelperError).code).toBe('CREDENTIAL_HELPER_FAILED')
  return error as CredentialHelperError
}

describe('runCredentialHelper', () => {
  it('runs docker-credential-<name> get with the server address on stdin', async () => {
    const { exec, calls } = fakeExec({
      stdout: JSON.stringify({ ServerURL: 'ghcr.io', Username: 'robot', Secret: 'helper-pw-1' })
    })
    const credentials = await runCredentialHelper(exec, 'pass', 'ghcr.io', SOURCE, 1234)
    expect(calls).toEqual([
      { command: 'docker-credential-pass', args: ['get'], input: 'ghcr.io', timeoutMs: 1234 }
    ])
    expect(credentials).toEqual({
      username: 'robot',
      password: 'helper-pw-1',
      kind: 'password',
      source: SOURCE
    })
  })

  it('bounds the run by DEFAULT_HELPER_TIMEOUT_MS unless told otherwise', async () => {
    const { exec, calls } = fakeExec({ stdout: '{"Username":"u","Secret":"s"}' })
    await runCredentialHelper(exec, 'pass', 'https://index.docker.io/v1/', SOURCE)
    expect(calls[0].timeoutMs).toBe(DEFAULT_HELPER_TIMEOUT_MS)
    expect(calls[0].input).toBe('https://index.docker.io/v1/')
  })

  it('reads Username <token> as an identity token', async () => {
    const { exec } = fakeExec({
      stdout: '{"ServerURL":"myacr.azurecr.io","Username":"<token>","Secret":"refresh-xyz"}'
    })
    expect(await runCredentialHelper(exec, 'acr-env', 'myacr.azurecr.io', SOURCE)).toEqual({
      username: '',
      password: 'refresh-xyz',
      kind: 'identity-token',
      source: SOURCE
    })
  })

  it('treats an answer without a secret as no credentials', async () => {
    const { exec } = fakeExec({ stdout: '{"Username":"robot","Secret":""}' })
    expect(await runCredentialHelper(exec, 'pass', 'ghcr.io', SOURCE)).toBeUndefined()
  })

  it('treats "credentials not found in native keychain" as no credentials', async () => {
    const { exec } = fakeExec({ exitCode: 1, stdout: 'credentials not found in native keychain\n' })
    expect(await runCredentialHelper(exec, 'osxkeychain', 'ghcr.io', SOURCE)).toBeUndefined()
    const onStderr = fakeExec({ exitCode: 1, stderr: 'Credentials not found in native keychain' })
    expect(
      await runCredentialHelper(onStderr.exec, 'osxkeychain', 'ghcr.io', SOURCE)
    ).toBeUndefined()
  })

  it('fails on a timeout, naming the helper and the bound', async () => {
    const { exec } = fakeExec({ exitCode: null, timedOut: true })
    const error = await failure(runCredentialHelper(exec, 'slow', 'ghcr.io', SOURCE, 2500))
    expect(error.message).toBe(
      `${SOURCE}: docker-credential-slow did not answer within 2.5s and was stopped`
    )
  })

  it('says a helper that could not be run may be missing from PATH (exit 127)', async () => {
    const { exec } = fakeExec({ exitCode: 127, stderr: 'spawn docker-credential-gone ENOENT' })
    const error = await failure(runCredentialHelper(exec, 'gone', 'ghcr.io', SOURCE))
    expect(error.message).toBe(
      `${SOURCE}: docker-credential-gone could not be run (is it on PATH?)`
    )
  })

  it('reports another failure with its exit code and one line of what it said', async () => {
    const { exec } = fakeExec({
      exitCode: 2,
      stderr: 'error getting credentials: gpg: decryption failed\nsecond line\nthird'
    })
    const error = await failure(runCredentialHelper(exec, 'pass', 'ghcr.io', SOURCE))
    expect(error.message).toBe(
      `${SOURCE}: docker-credential-pass failed (exit 2): error getting credentials: gpg: decryption failed`
    )
  })

  it('reports a silent failure with its exit code only', async () => {
    const { exec } = fakeExec({ exitCode: 3 })
    const error = await failure(runCredentialHelper(exec, 'pass', 'ghcr.io', SOURCE))
    expect(error.message).toBe(`${SOURCE}: docker-credential-pass failed (exit 3)`)
  })

  it('fails when stdout is not JSON, without quoting it', async () => {
    const { exec } = fakeExec({ stdout: 'Username=robot Secret=not-json-secret' })
    const error = await failure(runCredentialHelper(exec, 'pass', 'ghcr.io', SOURCE))
    expect(error.message).toBe(`${SOURCE}: docker-credential-pass did not print JSON`)
    expect(error.message).not.toContain('not-json-secret')
  })

  it.each([
    { name: '../x' },
    { name: 'a/b' },
    { name: 'x; rm -rf /' },
    { name: '' },
    { name: 'with space' }
  ])('refuses the helper name $name without running anything', async ({ name }) => {
    const { exec, calls } = fakeExec({ stdout: '{"Username":"u","Secret":"s"}' })
    const error = await failure(runCredentialHelper(exec, name, 'ghcr.io', SOURCE))
    expect(error.message).toBe(`${SOURCE}: '${name}' is not a credential helper name`)
    expect(calls).toHaveLength(0)
  })
})
