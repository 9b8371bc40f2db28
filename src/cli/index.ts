/* The CLI's entry point (package.json bin, bundled to dist/cli.js with a #!/usr/bin/env node line). */
import { runCli } from './main.js'

// A closed pipe (`multiarch-index ... | head`) is not an error of the run.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    process
  })
} catch (error) {
  // A bug, not a registry answer: one line instead of a stack trace.
  process.stderr.write(
    `multiarch-index: ${error instanceof Error ? error.message : String(error)}\n`
  )
  process.exitCode = 1
}
