/** src/registry/credentials/auth-hints.ts: what to tell a user after a 401 or 403 (docs/design.md §4). */
import { describe, it, expect } from '@jest/globals'
import { authHint } from '../../src/registry/credentials/auth-hints.js'

const base = {
  scope: 'repository:o/r:pull,push',
  credentialSource: 'the github-token input',
  challengeError: undefined
}

describe('authHint', () => {
  it('names packages: write for a push refused by ghcr.io', () => {
    const hint = authHint({ ...base, registry: 'ghcr.io', status: 403 })
    expect(hint).toContain('Credentials used: the github-token input')
    expect(hint).toContain("'permissions: packages: write'")
    expect(hint).toContain('Manage Actions access')
  })

  it('names packages: read for a pull refused by ghcr.io', () => {
    const hint = authHint({
      ...base,
      registry: 'ghcr.io',
      status: 401,
      scope: 'repository:o/r:pull'
    })
    expect(hint).toContain('packages: read')
    expect(hint).not.toContain('packages: write')
  })

  it('says no credentials were found when anonymous', () => {
    const hint = authHint({
      ...base,
      registry: '127.0.0.1:5000',
      status: 401,
      credentialSource: 'no credentials (anonymous)'
    })
    expect(hint).toContain('Credentials used: no credentials (anonymous)')
    expect(hint).toContain('no credentials were found for this registry')
    expect(
      authHint({
        registry: 'r.example',
        status: 401,
        scope: undefined,
        credentialSource: 'no credentials (anonymous)',
        challengeError: undefined,
        howToLogIn: 'run docker login first'
      })
    ).toContain('no credentials were found for this registry: run docker login first')
    expect(hint).toContain('docker/login-action')
  })

  it('mentions Docker Hub token scope', () => {
    expect(authHint({ ...base, registry: 'docker.io', status: 403 })).toContain('Read & Write')
    expect(
      authHint({
        ...base,
        registry: 'registry-1.docker.io',
        status: 401,
        scope: 'repository:o/r:pull'
      })
    ).toContain('check the user name and access token')
  })

  it('tells a refused login from missing push rights elsewhere', () => {
    const other = {
      ...base,
      registry: 'registry.example.com',
      credentialSource: 'the username/password inputs'
    }
    expect(authHint({ ...other, status: 401 })).toContain('the registry refused them')
    expect(authHint({ ...other, status: 403 })).toContain('may read but not push')
    expect(authHint({ ...other, status: 403, scope: 'repository:o/r:pull' })).toContain(
      'no access to this repository'
    )
  })

  it('says the token lacks the scope on insufficient_scope', () => {
    expect(
      authHint({
        ...base,
        registry: 'registry.example.com',
        status: 401,
        challengeError: 'insufficient_scope'
      })
    ).toContain('the token does not grant repository:o/r:pull,push')
  })
})
