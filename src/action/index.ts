/* The Action's entry point (action.yml runs.main, bundled to dist/index.js). */
import * as core from '@actions/core'
import { run } from './main.js'

try {
  process.exitCode = await run()
} catch (error) {
  // Only a broken runner environment gets here (e.g. GITHUB_OUTPUT naming a missing file):
  // say so in one line instead of a stack trace.
  core.setFailed(`multiarch-index: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
