/* The Action's entry point (action.yml runs.main, bundled to dist/index.js). */
import { run } from './main.js'

process.exitCode = await run()
