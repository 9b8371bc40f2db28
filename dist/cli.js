#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  errorMessage,
  parseOptions,
  runSequence
} from "./chunks/chunk-7LIGT7L6.js";
import "./chunks/chunk-A6QXJAZB.js";
import "./chunks/chunk-GCG6PQYZ.js";
import "./chunks/chunk-2IUHS6XZ.js";
import "./chunks/chunk-SWRJAXB6.js";
import "./chunks/chunk-PCIAHVJB.js";
import "./chunks/chunk-C2UZFPC5.js";
import {
  INPUT_NAMES,
  inputSpec,
  isExpression
} from "./chunks/chunk-USHY2NMO.js";
import {
  InputError
} from "./chunks/chunk-IXG4YG5H.js";
import {
  repositoryName
} from "./chunks/chunk-HJGTKYEE.js";
import "./chunks/chunk-CM7TTNES.js";
import {
  FOUND_WORD,
  NOTHING_SENT,
  PLATFORM_CHANGE_WORD,
  SOURCE_PROBLEM_WORD,
  STATUS_WORD,
  changeText,
  comparedWithText,
  discoveryFacts,
  failedFirst,
  headline,
  heldBackNote,
  imageDoneLine,
  imageLabel,
  indexText,
  nextStep,
  platformChange,
  platformNotes,
  platformsInBrief,
  pullLimitFact,
  resultDocument,
  sourceLabel,
  statusInBrief,
  statusSentence,
  tagChangeText,
  tagsInBrief
} from "./chunks/chunk-2CHJVI7H.js";
import {
  shortDigest
} from "./chunks/chunk-WGTGFSMG.js";
import {
  commandSafe
} from "./chunks/chunk-QZHQZAVZ.js";
import "./chunks/chunk-PY5VAGIZ.js";

// src/cli/options.ts
var INPUT_ENV = {
  username: "MULTIARCH_INDEX_USERNAME",
  password: "MULTIARCH_INDEX_PASSWORD",
  "github-token": "GITHUB_TOKEN"
};
var CLI_ONLY = {
  images: {
    value: "<repository>",
    note: "Repeat the flag for several images (they run concurrently), e.g. --images 'ghcr.io/o/operator = linux/amd64'."
  },
  tag: { value: "<tag>", default: "$GITHUB_REF_NAME" },
  platforms: { value: "<list>", note: "Repeat the flag or separate with commas." },
  "source-template": { value: "<template>" },
  sources: { value: "<list>", note: "Repeat the flag or separate with commas." },
  tags: { value: "<list>", note: "Repeat the flag or separate with commas." },
  "media-type": { value: "<type>" },
  annotations: { value: "<key=value>", note: "Repeat the flag for several." },
  mode: { value: "<mode>" },
  "on-existing": { value: "<action>" },
  "floating-tags": { value: "<when>" },
  "wait-timeout": { value: "<duration>" },
  timeout: { value: "<duration>" },
  username: { value: "<name>" },
  password: {
    value: "<secret>",
    note: "Prefer the variable: a flag is visible in the process list."
  },
  "github-token": { value: "<token>" },
  "insecure-registries": { value: "<list>", note: "Repeat the flag or separate with commas." }
};
function cliDescription(description) {
  return description.replace(
    /`([a-z-]+)`/g,
    (_whole, name) => INPUT_NAMES.includes(name) ? `--${name}` : name
  ).replace(/ ?Defaults to [^.]*(?:\([^)]*\))?\.?(?= |$)/, "").trim();
}
function option(name) {
  const spec = inputSpec(name);
  const cli = CLI_ONLY[name];
  const env = INPUT_ENV[name];
  const contractDefault = spec.default !== void 0 && !isExpression(spec.default) ? spec.default : spec.fallback;
  const shown = cli.default ?? (env !== void 0 ? `$${env}` : contractDefault);
  const out = {
    value: cli.value,
    description: [cliDescription(spec.description), cli.note].filter(Boolean).join(" "),
    list: spec.kind
  };
  if (shown !== void 0) out.default = shown;
  if (spec.required) out.required = true;
  return out;
}
var INPUT_OPTIONS = Object.fromEntries(
  INPUT_NAMES.map((name) => [name, option(name)])
);
var SWITCHES = {
  json: `Print the result document (the Action's "result" output) as JSON on stdout instead of the summary.`,
  quiet: "No progress lines on stderr (warnings and errors are still written).",
  verbose: "Also write debug lines (request details, credential sources) on stderr.",
  help: "Show this help and exit."
};
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/[ \t\r\n]+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => l.replace(/\u00a0/g, " "));
}
var INDENT = 2;
var COLUMN = 34;
var WIDTH = 100;
function optionBlock(flag2, text) {
  const head = " ".repeat(INDENT) + flag2;
  const body = wrap(text, WIDTH - COLUMN);
  const out = [];
  if (head.length < COLUMN - 1) {
    out.push(head.padEnd(COLUMN) + (body.shift() ?? ""));
  } else {
    out.push(head);
  }
  for (const line of body) out.push(" ".repeat(COLUMN) + line);
  return out;
}
function helpText() {
  const lines = [
    "Usage: multiarch-index --images <repository> [--tag <tag>] [options]",
    "",
    ...wrap(
      "Checks that every per-arch image of a release exists and is the platform its tag claims, assembles the multi-arch index from what the registry holds, pushes it under the release tag (and --tags) with bounded retries, and confirms what a puller gets. The options are the inputs of the GitHub Action (action.yml), with the same defaults; each is --name value or --name=value.",
      WIDTH
    ),
    "",
    "Options:"
  ];
  for (const name of INPUT_NAMES) {
    const o = INPUT_OPTIONS[name];
    const notes = [
      o.required ? "(required)" : "",
      // A no-break space keeps "(default: x)" on one line.
      o.default !== void 0 ? `(default:\xA0${o.default})` : ""
    ].filter(Boolean);
    lines.push(...optionBlock(`--${name} ${o.value}`, [o.description, ...notes].join(" ")));
  }
  lines.push("");
  for (const [name, description] of Object.entries(SWITCHES)) {
    lines.push(...optionBlock(name === "help" ? "-h, --help" : `--${name}`, description));
  }
  lines.push(
    "",
    "Credentials, for each registry in this order:",
    ...[
      "--username and --password (or MULTIARCH_INDEX_USERNAME and MULTIARCH_INDEX_PASSWORD) for the target registries;",
      "the Docker config that docker login writes ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): credHelpers, credsStore, auths;",
      "--github-token (or GITHUB_TOKEN) for ghcr.io;",
      "anonymous."
    ].flatMap((item, i) => {
      const [first = "", ...rest] = wrap(item, WIDTH - 5);
      return [`  ${i + 1}. ${first}`, ...rest.map((l) => `     ${l}`)];
    }),
    ...wrap("Secrets are never printed.", WIDTH).map((l) => `  ${l}`),
    "",
    "Tuning (environment):",
    "  MULTIARCH_INDEX_REQUEST_TIMEOUT            bound on one HTTP request (default 30s)",
    "  MULTIARCH_INDEX_CREDENTIAL_HELPER_TIMEOUT  bound on one credential-helper run (default 10s)",
    "",
    "Output: a summary per image on stdout (with --json the result document instead); progress",
    "lines (waits, retries) on stderr.",
    "Exit status: 0 done (created, updated, unchanged, verified or planned); 1 failed, or a bad",
    "option or input (nothing is sent to any registry then).",
    "",
    "Examples:",
    "  multiarch-index --images ghcr.io/microsoft/retina/retina-agent --tag v0.0.31 \\",
    "    --platforms 'linux/amd64,linux/arm64,windows(ltsc2019)/amd64,windows(ltsc2022)/amd64'",
    "  multiarch-index --images ghcr.io/o/app --images 'ghcr.io/o/operator = linux/amd64' --tag v1.2.3",
    "  multiarch-index --images ghcr.io/o/app --tag v1.2.3 --mode verify --json",
    ""
  );
  return lines.join("\n");
}

// src/cli/args.ts
var UsageError = class extends Error {
  name = "UsageError";
};
function isInput(name) {
  return INPUT_NAMES.includes(name);
}
function isSwitch(name) {
  return Object.prototype.hasOwnProperty.call(SWITCHES, name);
}
function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
function suggestion(name) {
  const known = [...INPUT_NAMES, ...Object.keys(SWITCHES)];
  const best = known.map((k) => ({ k, d: distance(name.toLowerCase(), k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean --${best.k}?` : "";
}
var SEE_HELP = "see 'multiarch-index --help'";
function parseArgs(argv) {
  const values = /* @__PURE__ */ new Map();
  const parsed = {
    raw: {},
    given: /* @__PURE__ */ new Set(),
    help: false,
    json: false,
    quiet: false,
    verbose: false
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      parsed.help = true;
      return parsed;
    }
    if (!arg.startsWith("--") || arg === "--") {
      throw new UsageError(
        `unexpected argument '${arg}': every value follows its option, e.g. --images ghcr.io/owner/app (${SEE_HELP})`
      );
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq >= 0 ? eq : void 0);
    const inline = eq >= 0 ? arg.slice(eq + 1) : void 0;
    if (isSwitch(name)) {
      if (inline !== void 0) throw new UsageError(`--${name} takes no value (${SEE_HELP})`);
      parsed[name] = true;
      continue;
    }
    if (!isInput(name)) {
      throw new UsageError(`unknown option --${name}${suggestion(name)} (${SEE_HELP})`);
    }
    let value = inline;
    if (value === void 0) {
      const next = argv[i + 1];
      if (next === void 0 || next.startsWith("--") && next.length > 2) {
        throw new UsageError(
          `--${name} needs a value: --${name} ${INPUT_OPTIONS[name].value} or --${name}=${INPUT_OPTIONS[name].value} (${SEE_HELP})`
        );
      }
      value = next;
      i++;
    }
    const list = values.get(name) ?? [];
    if (list.length > 0 && INPUT_OPTIONS[name].list === "single") {
      throw new UsageError(`--${name} is given more than once; give it once (${SEE_HELP})`);
    }
    list.push(value);
    values.set(name, list);
    parsed.given.add(name);
  }
  for (const [name, list] of values) parsed.raw[name] = list.join("\n");
  return parsed;
}

// src/cli/summary.ts
function columns(rows, indent = "") {
  const widths = [];
  for (const row of rows)
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
  return rows.map(
    (row) => indent + row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i])).join("  ").trimEnd()
  );
}
function indented(text, indent) {
  return text.split(/\r?\n/).map((line) => line ? indent + line : "");
}
var flag = (name) => `--${name}`;
function overview(images) {
  const rows = [["IMAGE", "STATUS", "INDEX", "PLATFORMS", "TAGS"]];
  for (const image of failedFirst(images)) {
    rows.push([
      imageLabel(image, images),
      statusInBrief(image, (word) => word.toUpperCase()),
      image.digest ? shortDigest(image.digest) : "-",
      platformsInBrief(image) ?? "-",
      tagsInBrief(image).join(", ")
    ]);
  }
  return columns(rows);
}
function imageSection(image) {
  const lines = [image.image];
  const facts = [];
  facts.push(["status:", `${STATUS_WORD[image.status]}: ${statusSentence(image)}`]);
  const index = indexText(image);
  if (index) facts.push(["index:", index]);
  for (const t of image.tagResults ?? []) {
    facts.push([`${t.tag}:`, tagChangeText(t, image.digest)]);
  }
  if (!image.tagResults) facts.push(["tags:", image.tags.join(", ")]);
  if (image.changes) {
    const against = comparedWithText(image.changes);
    facts.push(["changed:", `${changeText(image.changes)}${against ? ` (${against})` : ""}`]);
  }
  const more = [
    ...image.discovery ? discoveryFacts(image.discovery) : [],
    ...image.rateLimit ? [pullLimitFact(image.rateLimit)] : []
  ];
  for (const fact of more) facts.push([`${fact.label.toLowerCase()}:`, fact.text]);
  if (image.error) facts.push(["next step:", nextStep(image, flag)]);
  lines.push(...columns(facts, "  "));
  const changeOf = (platform) => {
    const change = platformChange(image, platform);
    return change === void 0 || change === "same" ? "" : PLATFORM_CHANGE_WORD[change];
  };
  const failed = image.status === "failed" && image.sourceProblems !== void 0;
  if (image.platforms.length > 0 || failed) {
    const rows = [["PLATFORM", "SOURCE", "DIGEST", ""]];
    for (const p of image.platforms) {
      const notes = [failed ? FOUND_WORD : changeOf(p.platform), ...platformNotes(p)].filter(
        Boolean
      );
      rows.push([
        p.platform,
        sourceLabel(image.image, p.source),
        shortDigest(p.digest),
        notes.join("; ")
      ]);
    }
    for (const problem of image.sourceProblems ?? []) {
      rows.push([
        problem.platform ?? "?",
        sourceLabel(image.image, problem.source),
        "-",
        SOURCE_PROBLEM_WORD[problem.problem].toUpperCase()
      ]);
    }
    for (const removed of image.changes?.removed ?? [])
      rows.push([removed, "-", "-", PLATFORM_CHANGE_WORD.removed]);
    lines.push("", ...columns(rows, "  "));
  }
  if (image.index) {
    let text = image.index;
    try {
      text = JSON.stringify(JSON.parse(image.index), null, 2);
    } catch {
    }
    lines.push("", "  index it would push:", ...indented(text, "    "));
  }
  if (image.error) {
    lines.push("", "  error:", ...indented(image.error, "    "));
  }
  return lines;
}
function renderText(images, context) {
  const head = [headline(images, context.tag, context.mode)];
  const note = heldBackNote(images, context.mode);
  if (note) head.push("", note);
  const sections = [head.join("\n"), overview(images).join("\n")];
  for (const image of failedFirst(images)) sections.push(imageSection(image).join("\n"));
  return `${sections.join("\n\n")}
`;
}

// src/cli/main.ts
var NAME = "multiarch-index";
var CLI_CREDENTIAL_WORDS = {
  given: "--username/--password (or MULTIARCH_INDEX_USERNAME/MULTIARCH_INDEX_PASSWORD)",
  githubToken: "--github-token (or GITHUB_TOKEN)",
  howToLogIn: "give --username with MULTIARCH_INDEX_PASSWORD (or --password), or run docker login for this registry first"
};
function progressLogger(stderr, opts = {}) {
  const now = opts.now ?? (() => /* @__PURE__ */ new Date());
  const line = (prefix, message) => stderr.write(`${now().toTimeString().slice(0, 8)} ${prefix}${commandSafe(message)}
`);
  return {
    debug: (message) => {
      if (opts.verbose) line("debug: ", message);
    },
    info: (message) => {
      if (!opts.quiet) line("", message);
    },
    warning: (message) => line("warning: ", message)
  };
}
function prefixed(logger, prefix) {
  return {
    debug: (m) => logger.debug(prefix + m),
    info: (m) => logger.info(prefix + m),
    warning: (m) => logger.warning(prefix + m)
  };
}
function inputErrorMessage(error, fromEnv) {
  let message = error.message;
  const prefix = `input '${error.input}': `;
  if (INPUT_NAMES.includes(error.input) && message.startsWith(prefix))
    message = `input '${error.input}' (--${error.input}): ${message.slice(prefix.length)}`;
  const notes = [...fromEnv].map(([input, variable]) => `${input} was taken from ${variable}`);
  if (["username", "password", "github-token"].includes(error.input) && notes.length > 0)
    message += ` (${notes.join("; ")})`;
  return `${message} ${NOTHING_SENT}`;
}
function withEnvDefaults(args, env) {
  const raw = { ...args.raw };
  const fromEnv = /* @__PURE__ */ new Map();
  for (const [input, variable] of Object.entries(INPUT_ENV)) {
    const value = env[variable];
    if (!raw[input]?.trim() && value?.trim()) {
      raw[input] = value;
      fromEnv.set(input, variable);
    }
  }
  return { raw, fromEnv };
}
function jsonWithoutCommands(value) {
  return JSON.stringify(value, null, 2).replace(/##\[/g, "##\\u005b");
}
async function runCli(argv, deps) {
  const fail = (message) => {
    deps.stderr.write(`${NAME}: ${commandSafe(message)}
`);
    return 1;
  };
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  if (args.help) {
    deps.stdout.write(helpText());
    return 0;
  }
  const { raw, fromEnv } = withEnvDefaults(args, deps.env);
  const logger = progressLogger(deps.stderr, {
    quiet: args.quiet,
    verbose: args.verbose,
    now: deps.now
  });
  let several = false;
  let outcome;
  try {
    outcome = await runSequence({
      read: () => {
        const options2 = parseOptions(raw, deps.env);
        several = options2.plans.length > 1;
        return { inputs: void 0, options: options2 };
      },
      env: deps.env,
      process: deps.process,
      logger,
      onNotice: (notice) => deps.stderr.write(`${NAME}: note: --${notice.input}: ${notice.message}
`),
      onCancelling: (line) => deps.stderr.write(`${NAME}: ${line}
`),
      // With several images running at once, each line says which image it is about.
      loggerFor: (plan) => several ? prefixed(logger, `${repositoryName(plan.image)}: `) : logger,
      onImageDone: (report) => logger.info(imageDoneLine(report)),
      session: {
        // The Docker config (DOCKER_CONFIG or HOME) and credential helpers on PATH come from
        // the environment the sequence passes; messages name flags, not Action inputs.
        credentialWords: CLI_CREDENTIAL_WORDS,
        ...deps.overrides
      }
    });
  } catch (error) {
    return fail(errorMessage(error));
  }
  if (outcome.kind === "refused") {
    if (outcome.error instanceof InputError) return fail(inputErrorMessage(outcome.error, fromEnv));
    throw outcome.error;
  }
  if (outcome.kind === "stopped") return fail(outcome.message);
  const { options, reports } = outcome;
  if (args.json) deps.stdout.write(`${jsonWithoutCommands(resultDocument(reports))}
`);
  else deps.stdout.write(commandSafe(renderText(reports, { tag: options.tag, mode: options.mode })));
  if (outcome.failure) return fail(outcome.failure);
  return 0;
}

// src/cli/index.ts
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
});
try {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    process
  });
} catch (error) {
  process.stderr.write(
    `multiarch-index: ${error instanceof Error ? error.message : String(error)}
`
  );
  process.exitCode = 1;
}
