/**
 * Durations as `wait-timeout` and `timeout` take them: `0`, `90` (seconds), `90s`, `10m`,
 * `1h`, `500ms`, sums such as `1m30s`.
 */
import { describe, it, expect } from '@jest/globals'
import { formatDuration, parseDuration } from '../../src/publish/duration.js'

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['90', 90_000],
    ['90s', 90_000],
    ['0s', 0],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s', 3_723_000],
    ['500ms', 500],
    ['1s500ms', 1500],
    ['1.5s', 1500],
    ['0.5m', 30_000],
    ['90S', 90_000],
    ['10M', 600_000],
    ['1H30M', 5_400_000],
    ['500MS', 500],
    ['  2m  ', 120_000]
  ])('%p → %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each([
    '',
    ' ',
    'ten',
    '-5s',
    '5x',
    '1.5',
    '.5s',
    '1.s',
    's',
    '1m 30s',
    '1d',
    '5sec',
    '+5s',
    '1e3s',
    '0x10',
    '10m-'
  ])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [600_000, '10m'],
    [3_600_000, '1h'],
    [3_723_000, '1h2m3s'],
    [3_599_500, '59m59.5s'],
    [90_500, '1m30.5s']
  ])('%p ms → %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it.each(['0', '90s', '10m', '1h', '1m30s', '500ms', '1.5s', '2h15m', '1h0m1s', '59m59.5s'])(
    'round-trips %p',
    (text) => {
      const ms = parseDuration(text)
      expect(ms).toBeDefined()
      expect(parseDuration(formatDuration(ms as number))).toBe(ms)
    }
  )
})
