/**
 * One input contract (src/publish/input-contract.ts): action.yml, the README's Inputs table,
 * the CLI's flags and `--help`, and the parser all say what it says. Each check fails on a
 * drift in either direction.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { withInputs } from '../script/action-yml.js'
import {
  extractSection,
  generatedSections,
  oneLine,
  parseAction
} from '../script/readme-tables.mjs'
import {
  FAKE_GITHUB_TOKEN,
  PROJECT_ROOT,
  inputEnvName,
  prepareRunnerStep
} from '../script/runner-env.js'
import { INPUT_OPTIONS, cliDescription } from '../src/cli/options.js'
import { parseArgs } from '../src/cli/args.js'
import { GITHUB_INPUT_NAMES } from '../src/action/github-inputs.js'
import {
  ACTION_INPUT_NAMES,
  INPUTS,
  INPUT_NAMES,
  defaultValue,
  inputSpec,
  type InputName
} from '../src/publish/input-contract.js'
import { parseOptions } from '../src/publish/parse-options.js'
import { runCliProcess } from './helpers/run-cli.js'
import { makeTempDir, removeDir } from './helpers/util.js'

const read = (path: string): string => readFileSync(join(PROJECT_ROOT, path), 'utf8')
const actionText = read('action.yml')
const action = parseAction(actionText)

describe('action.yml', () => {
  it('its inputs block is what script/action-yml.ts writes from the contract (npm run docs)', () => {
    expect(withInputs(actionText)).toBe(actionText)
  })

  it('has the contract inputs, in order, with the same description, default and required', () => {
    const inputs = action.inputs ?? {}
    expect(Object.keys(inputs)).toEqual(ACTION_INPUT_NAMES)
    for (const name of ACTION_INPUT_NAMES) {
      const spec = inputSpec(name)
      const yml = inputs[name] ?? {}
      expect({ name, description: oneLine(yml.description) }).toEqual({
        name,
        description: spec.description
      })
      expect({ name, default: yml.default }).toEqual({ name, default: spec.default })
      expect({ name, required: yml.required === true }).toEqual({
        name,
        required: spec.required === true
      })
    }
  })

  it('the Action-only inputs are the ones src/action/github-inputs.ts reads', () => {
    expect(ACTION_INPUT_NAMES.filter((n) => inputSpec(n).actionOnly)).toEqual([
      ...GITHUB_INPUT_NAMES
    ])
    expect(INPUT_NAMES.some((n) => inputSpec(n).actionOnly)).toBe(false)
  })

  it('describes in text every default the parser applies that action.yml does not give', () => {
    for (const name of ACTION_INPUT_NAMES) {
      const spec = inputSpec(name)
      if (spec.fallback === undefined) continue
      expect({ name, says: spec.description.includes(`Defaults to ${spec.fallback}`) }).toEqual({
        name,
        says: true
      })
    }
  })
})

describe('README', () => {
  it('its Inputs table is generated from action.yml, hence from the contract', () => {
    const readme = read('README.md')
    expect(extractSection(readme, 'inputs')).toBe(generatedSections(action).inputs)
    for (const name of ACTION_INPUT_NAMES) expect(readme).toContain(`| \`${name}\` |`)
  })
})

describe('the CLI', () => {
  it('has one flag per input, of the contract kind, with the contract description', () => {
    expect(Object.keys(INPUT_OPTIONS)).toEqual(INPUT_NAMES)
    for (const name of INPUT_NAMES) {
      const option = INPUT_OPTIONS[name]
      expect({ name, list: option.list }).toEqual({ name, list: INPUTS[name].kind })
      expect(option.description.startsWith(cliDescription(INPUTS[name].description))).toBe(true)
    }
  })

  it('descriptions speak in flags: `input` becomes --input', () => {
    expect(cliDescription(INPUTS.sources.description)).toMatch(
      /^Instead of --platforms and --source-template:/
    )
    expect(cliDescription(INPUTS['on-existing'].description)).toContain('the --tags move')
    expect(cliDescription(INPUTS.platforms.description)).not.toContain('Defaults to')
  })

  it('--help (dist/cli.js) shows every flag with its contract default', async () => {
    const run = await runCliProcess(['--help'])
    expect(run.code).toBe(0)
    const help = run.stdout.replace(/\s+/g, ' ')
    for (const name of INPUT_NAMES) {
      expect(help).toContain(`--${name} ${INPUT_OPTIONS[name].value}`)
      const value = defaultValue(name)
      const shown = INPUT_OPTIONS[name].default
      if (shown !== undefined) expect(help).toContain(`(default: ${shown})`)
      // A plain default (not an environment variable) is the contract's.
      if (shown !== undefined && !shown.startsWith('$')) expect(shown).toBe(value)
    }
  })

  it('a flag gives the parser the same raw input a runner gives the Action', () => {
    for (const name of INPUT_NAMES) {
      const parsed = parseArgs([`--${name}`, 'x'])
      expect(parsed.raw).toEqual({ [name]: 'x' })
    }
  })
})

describe('the parser', () => {
  const BASE = { images: 'ghcr.io/o/app', tag: 'v1' }
  it('an empty input and its contract default give the same options', () => {
    for (const name of INPUT_NAMES) {
      const value = defaultValue(name)
      if (value === undefined) continue
      const empty = parseOptions({ ...BASE, [name]: '' })
      const filled = parseOptions({ ...BASE, [name]: value })
      expect({ name, options: filled }).toEqual({ name, options: empty })
    }
  })

  it('no action.yml default counts as given, whatever else is set', () => {
    const withDefaults = Object.fromEntries(
      INPUT_NAMES.flatMap((n: InputName) => {
        const d = inputSpec(n).default
        return d === undefined || d.includes('${{') ? [] : [[n, d]]
      })
    )
    const sources = `ghcr.io/o/app@sha256:${'a'.repeat(64)}`
    expect(() => parseOptions({ ...withDefaults, ...BASE, sources })).not.toThrow()
    expect(() => parseOptions({ ...withDefaults, ...BASE, sources, platforms: 'auto' })).toThrow(
      /cannot be combined with platforms/
    )
  })
})

describe('the runner emulation (script/runner-env.ts)', () => {
  it('fills every action.yml default as INPUT_<NAME>, hyphens kept, expressions evaluated, over a fresh environment', async () => {
    const dir = await makeTempDir('runner-env')
    try {
      const step = await prepareRunnerStep(dir, { images: 'r/x', 'on-existing': 'keep' })
      expect(inputEnvName('source-template')).toBe('INPUT_SOURCE-TEMPLATE')
      expect(inputEnvName('a b')).toBe('INPUT_A_B')
      for (const name of ACTION_INPUT_NAMES) {
        const d = inputSpec(name).default
        const expected =
          name === 'images'
            ? 'r/x'
            : name === 'on-existing'
              ? 'keep'
              : d === undefined
                ? undefined
                : d.includes('${{')
                  ? FAKE_GITHUB_TOKEN
                  : d
        expect({ name, value: step.env[inputEnvName(name)] }).toEqual({ name, value: expected })
      }
      // Built from scratch: nothing of this process's environment but PATH. A variable the
      // runner itself defines (CI=true, GITHUB_ACTIONS=true, ...) may hold the same value in
      // this process when the tests run on a CI machine; it is set, not inherited.
      const runnerFixed = new Set(['CI', 'GITHUB_ACTIONS', 'GITHUB_REF_NAME', 'RUNNER_OS'])
      const inherited = Object.keys(process.env).filter(
        (k) =>
          k !== 'PATH' &&
          !runnerFixed.has(k) &&
          step.env[k] !== undefined &&
          step.env[k] === process.env[k]
      )
      expect(inherited).toEqual([])
      expect(step.env.GITHUB_OUTPUT.startsWith(dir)).toBe(true)
      expect(step.env.GITHUB_STEP_SUMMARY.startsWith(dir)).toBe(true)
    } finally {
      await removeDir(dir)
    }
  })
})
