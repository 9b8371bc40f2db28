/** src/registry/credentials.ts: the credential chain of DESIGN.md §5 (inputs, github-token, anonymous). */
import { describe, it, expect } from '@jest/globals'
import { ANONYMOUS, staticCredentials } from '../../src/registry/credentials.js'

describe('staticCredentials', () => {
  it('gives the inputs for a target registry', async () => {
    const resolve = staticCredentials({
      targetRegistries: ['ghcr.io', '127.0.0.1:5000'],
      username: 'me',
      password: 'pw',
      githubToken: 'gh'
    })
    await expect(resolve('127.0.0.1:5000')).resolves.toEqual({
      username: 'me',
      password: 'pw',
      source: 'the username/password inputs'
    })
    await expect(resolve('ghcr.io')).resolves.toMatchObject({ username: 'me', password: 'pw' })
  })

  it('uses oauth2 as the user name when only a password is given', async () => {
    const resolve = staticCredentials({ targetRegistries: ['r.example'], password: 'pw' })
    await expect(resolve('r.example')).resolves.toMatchObject({
      username: 'oauth2',
      password: 'pw'
    })
  })

  it('falls back to github-token for ghcr.io only', async () => {
    const resolve = staticCredentials({
      targetRegistries: ['r.example'],
      username: 'me',
      password: 'pw',
      githubToken: 'gh'
    })
    await expect(resolve('ghcr.io')).resolves.toEqual({
      username: 'x-access-token',
      password: 'gh',
      source: 'the github-token input'
    })
    await expect(resolve('docker.io')).resolves.toBeUndefined()
  })

  it('is anonymous without a password or token', async () => {
    const resolve = staticCredentials({ targetRegistries: ['ghcr.io'], username: 'me' })
    await expect(resolve('ghcr.io')).resolves.toBeUndefined()
    await expect(ANONYMOUS('ghcr.io')).resolves.toBeUndefined()
  })
})
