/**
 * The step's `status` output with several images (docs/design.md §2): `failed` if any failed,
 * else `updated` if any was updated, else `created` if any was created, else their common status.
 */
import { describe, it, expect } from '@jest/globals'
import { overallStatus, type ImageReport, type ImageStatus } from '../../src/publish/result.js'

function images(...statuses: ImageStatus[]): ImageReport[] {
  return statuses.map((status, i) => ({
    image: `ghcr.io/o/app${i}`,
    tags: ['v1'],
    status,
    platforms: []
  }))
}

describe('overallStatus', () => {
  it.each<[ImageStatus[], ImageStatus]>([
    [['created'], 'created'],
    [['updated'], 'updated'],
    [['unchanged'], 'unchanged'],
    [['verified'], 'verified'],
    [['planned'], 'planned'],
    [['failed'], 'failed'],
    // failed dominates
    [['created', 'updated', 'failed'], 'failed'],
    [['failed', 'unchanged'], 'failed'],
    // then updated
    [['created', 'updated', 'unchanged'], 'updated'],
    [['unchanged', 'updated'], 'updated'],
    // then created
    [['unchanged', 'created'], 'created'],
    [['created', 'unchanged', 'unchanged'], 'created'],
    // else the common status
    [['unchanged', 'unchanged'], 'unchanged'],
    [['verified', 'verified', 'verified'], 'verified'],
    [['planned', 'planned'], 'planned']
  ])('%j → %s', (statuses, expected) => {
    expect(overallStatus(images(...statuses))).toBe(expected)
  })

  it('is failed for no images at all', () => {
    expect(overallStatus([])).toBe('failed')
  })
})
