/** src/registry/api/rate-limit.ts: Docker Hub's pull-limit headers (docs/registry-quirks.md #37). */
import { describe, expect, it } from '@jest/globals'
import { parseRateLimit, RateLimitTracker } from '../../src/registry/api/rate-limit.js'

describe('parseRateLimit', () => {
  it("reads Docker Hub's headers with their window", () => {
    expect(
      parseRateLimit({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' })
    ).toEqual({ limit: 100, remaining: 76, windowSeconds: 21600 })
  })

  it('takes a limit without a window', () => {
    expect(parseRateLimit({ 'ratelimit-limit': '200', 'ratelimit-remaining': '3' })).toEqual({
      limit: 200,
      remaining: 3
    })
  })

  it('is undefined without both headers (no limit) or with anything but whole numbers', () => {
    expect(parseRateLimit({})).toBeUndefined()
    expect(parseRateLimit({ 'ratelimit-limit': '100;w=21600' })).toBeUndefined()
    expect(
      parseRateLimit({ 'ratelimit-limit': '100', 'ratelimit-remaining': '<b>lots</b>' })
    ).toBeUndefined()
    expect(parseRateLimit({ 'ratelimit-limit': '-1', 'ratelimit-remaining': '5' })).toBeUndefined()
  })
})

describe('RateLimitTracker', () => {
  it('keeps the lowest remaining per registry, whatever order answers arrive in', () => {
    const t = new RateLimitTracker()
    t.observe('docker.io', {
      'ratelimit-limit': '100;w=21600',
      'ratelimit-remaining': '70;w=21600'
    })
    t.observe('docker.io', {
      'ratelimit-limit': '100;w=21600',
      'ratelimit-remaining': '72;w=21600'
    })
    t.observe('docker.io', {})
    t.observe('ghcr.io', { 'ratelimit-limit': '5', 'ratelimit-remaining': '4' })
    expect(t.get('docker.io')).toEqual({ limit: 100, remaining: 70, windowSeconds: 21600 })
    expect(t.get('ghcr.io')).toEqual({ limit: 5, remaining: 4 })
    expect(t.get('quay.io')).toBeUndefined()
  })
})
