/** src/registry/transport/challenge.ts: WWW-Authenticate per RFC 7235 §4.1 (docs/registry-protocol.md B.8). */
import { describe, it, expect } from '@jest/globals'
import { parseChallenges } from '../../src/registry/transport/challenge.js'

describe('parseChallenges', () => {
  it('reads a Bearer challenge with realm, service and scope', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"'
      )
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:samalba/my-app:pull,push'
        }
      }
    ])
  })

  it('keeps spaces and commas inside quoted values', () => {
    const [c] = parseChallenges(
      'Bearer realm="https://r.example/token", scope="repository:a:pull,push repository:b:pull", service="my registry"'
    )
    expect(c.params.scope).toBe('repository:a:pull,push repository:b:pull')
    expect(c.params.service).toBe('my registry')
    expect(c.params.realm).toBe('https://r.example/token')
  })

  it('unescapes quoted-pair characters', () => {
    const [c] = parseChallenges(
      'Bearer realm="https://r.example/token",error_description="say \\"hi\\" \\\\ ok"'
    )
    expect(c.params.error_description).toBe('say "hi" \\ ok')
  })

  it('reads Basic', () => {
    expect(parseChallenges('Basic realm="Registry Realm"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } }
    ])
  })

  it('lower-cases scheme and parameter names but not values', () => {
    expect(parseChallenges('BEARER Realm="https://R.example/T",Service=Reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://R.example/T', service: 'Reg' } }
    ])
  })

  it('reads several challenges in one header', () => {
    expect(
      parseChallenges(
        'Basic realm="basic, realm", Bearer realm="https://r/token",service="reg",error="invalid_token"'
      )
    ).toEqual([
      { scheme: 'basic', params: { realm: 'basic, realm' } },
      {
        scheme: 'bearer',
        params: { realm: 'https://r/token', service: 'reg', error: 'invalid_token' }
      }
    ])
  })

  it('reads several header values', () => {
    expect(parseChallenges(['Basic realm="a"', 'Bearer realm="b"'])).toEqual([
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'b' } }
    ])
  })

  it('reads bare token values', () => {
    expect(
      parseChallenges(
        'Bearer realm=https://r.example/token,service=reg.example, error=insufficient_scope'
      )
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://r.example/token',
          service: 'reg.example',
          error: 'insufficient_scope'
        }
      }
    ])
  })

  it('tolerates spaces around = and a scheme without parameters', () => {
    expect(parseChallenges('Bearer realm = "x" , service= y')).toEqual([
      { scheme: 'bearer', params: { realm: 'x', service: 'y' } }
    ])
    expect(parseChallenges('Negotiate')).toEqual([{ scheme: 'negotiate', params: {} }])
  })

  it('gives nothing for a missing or empty header', () => {
    expect(parseChallenges(undefined)).toEqual([])
    expect(parseChallenges('')).toEqual([])
    expect(parseChallenges([])).toEqual([])
  })

  it('survives an unterminated quote and stray characters', () => {
    expect(parseChallenges('Bearer realm="https://r/token')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://r/token' } }
    ])
    expect(parseChallenges('@@ Basic realm="a"')).toEqual([
      { scheme: 'basic', params: { realm: 'a' } }
    ])
  })
})
