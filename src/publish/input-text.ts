/**
 * How the text of an input is read, for every input alike: list splitting, a choice among
 * words, a duration, and whether the user gave the input at all (docs/design.md §2: lists
 * take newlines or commas; §3 Defaults: a runner-filled default is not given).
 */
import { parseDuration } from './duration.js'
import { InputError } from './errors.js'
import { inputSpec, type InputName } from './input-contract.js'
import type { RawInputs } from './options.js'

/** Split a list input on newlines and commas; blank items and `#` comment lines dropped. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}

/** Split a one-item-per-line input; blank and `#` lines dropped. */
export function splitLines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
}

/** One of the allowed words, case-insensitively; anything else names the input. */
export function oneOf<T extends string>(input: InputName, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase()
  if ((allowed as readonly string[]).includes(v)) return v as T
  throw new InputError(input, `'${value}' is not one of ${allowed.join(', ')}`)
}

/** A duration input (`0`, `90s`, `10m`) in milliseconds. */
export function durationInput(input: InputName, value: string): number {
  const ms = parseDuration(value)
  if (ms === undefined)
    throw new InputError(input, `'${value}' is not a duration; use e.g. 0, 90s, 10m, 1h or 1m30s`)
  return ms
}

/**
 * True when the user gave input `name`: a runner sends every action.yml default as INPUT_*,
 * so a value equal to the default is no sign of it (docs/design.md §3, Defaults). Every rule
 * of the form "X cannot be combined with Y" asks this.
 */
export function isGiven(raw: RawInputs, name: InputName): boolean {
  const v = raw[name]
  return v !== undefined && v.trim() !== '' && v.trim() !== inputSpec(name).default
}
