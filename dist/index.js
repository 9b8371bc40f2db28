import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  errorMessage,
  parseOptions,
  runSequence
} from "./chunks/chunk-7LIGT7L6.js";
import "./chunks/chunk-A6QXJAZB.js";
import {
  BufferedLogger
} from "./chunks/chunk-GCG6PQYZ.js";
import "./chunks/chunk-2IUHS6XZ.js";
import "./chunks/chunk-SWRJAXB6.js";
import "./chunks/chunk-PCIAHVJB.js";
import "./chunks/chunk-C2UZFPC5.js";
import {
  codeCell
} from "./chunks/chunk-ZKLOLIZW.js";
import {
  ACTION_ONLY_INPUT_NAMES,
  INPUTS,
  INPUT_NAMES,
  isGiven
} from "./chunks/chunk-USHY2NMO.js";
import {
  InputError
} from "./chunks/chunk-IXG4YG5H.js";
import {
  repositoryName
} from "./chunks/chunk-HJGTKYEE.js";
import "./chunks/chunk-CM7TTNES.js";
import {
  NOTHING_SENT,
  imageDoneLine,
  overallStatus,
  resultDocument
} from "./chunks/chunk-2CHJVI7H.js";
import "./chunks/chunk-WGTGFSMG.js";
import {
  commandSafe,
  neutralise
} from "./chunks/chunk-QZHQZAVZ.js";
import "./chunks/chunk-PY5VAGIZ.js";

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label2, content) {
    const element = this.wrap("details", this.wrap("summary", label2) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
import os3 from "os";

// node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function getInput(name, options) {
  const val = process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
  if (options && options.required && !val) {
    throw new Error(`Input required and not supplied: ${name}`);
  }
  if (options && options.trimWhitespace === false) {
    return val;
  }
  return val.trim();
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
  issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}

// src/action/github-inputs.ts
var GITHUB_INPUT_NAMES = ACTION_ONLY_INPUT_NAMES;
var GITHUB_DEFAULTS = {
  "include-prereleases": INPUTS["include-prereleases"].default,
  "report-issue": INPUTS["report-issue"].default,
  "report-label": INPUTS["report-label"].default,
  "repair-workflow": INPUTS["repair-workflow"].default
};
var MAX_RELEASES = 100;
function flag(name, value) {
  const v = (value?.trim() || GITHUB_DEFAULTS[name]).toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new InputError(name, `'${value}' is not true or false`);
}
function releaseCount(value) {
  const text = value?.trim() ?? "";
  if (text === "") return void 0;
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > MAX_RELEASES) {
    throw new InputError(
      "releases",
      `'${text}' is not a number from 1 to ${MAX_RELEASES}; give how many of the newest releases to check, or leave it empty to use tag`
    );
  }
  return Number(text);
}
function label(value) {
  const text = value?.trim() || GITHUB_DEFAULTS["report-label"];
  if (text.length > 50 || text.includes(",") || /[\u0000-\u001f]/.test(text))
    throw new InputError(
      "report-label",
      `'${text}' is not a label: at most 50 characters, no comma`
    );
  return text;
}
function workflowFile(value) {
  const text = value?.trim() || GITHUB_DEFAULTS["repair-workflow"];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/.test(text)) {
    throw new InputError(
      "repair-workflow",
      `'${text}' is not a workflow file name such as repair.yml (the file in .github/workflows/)`
    );
  }
  return text;
}
function repositoryFromEnv(env) {
  const text = env.GITHUB_REPOSITORY?.trim() ?? "";
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(text);
  if (!match) {
    throw new InputError(
      "GITHUB_REPOSITORY",
      `'${text}' is not owner/name; releases and report-issue need the workflow's repository (a runner sets it)`,
      "environment variable"
    );
  }
  return { owner: match[1], repo: match[2] };
}
function parseGitHubOptions(raw, shared, env) {
  const count = releaseCount(raw.releases);
  const includePrereleases = flag("include-prereleases", raw["include-prereleases"]);
  const reportWanted = flag("report-issue", raw["report-issue"]);
  const report = reportWanted ? { label: label(raw["report-label"]), repairWorkflow: workflowFile(raw["repair-workflow"]) } : void 0;
  const options = {};
  if (count !== void 0) {
    const given = (name) => isGiven(shared, name);
    if (given("tag"))
      throw new InputError("tag", "cannot be combined with releases: the releases name the tags");
    if (given("tags")) {
      throw new InputError(
        "tags",
        "cannot be combined with releases: an extra tag such as latest would be moved to every release in turn"
      );
    }
    if (given("sources")) {
      throw new InputError(
        "sources",
        "cannot be combined with releases: sources name one release's images; use platforms or source-template"
      );
    }
    options.releases = { count, includePrereleases };
  }
  if (report) options.report = report;
  if (options.releases || options.report) {
    if ((shared["github-token"] ?? "").trim() === "") {
      throw new InputError(
        "github-token",
        `is empty; ${options.releases ? "releases" : "report-issue"} reads the repository through the GitHub API with it (the default is the workflow's token)`
      );
    }
    options.repository = repositoryFromEnv(env);
  }
  return options;
}

// src/action/inputs.ts
var SECRET_INPUTS = ["password", "github-token"];
var TAG_CHECKED_LATER = "v0.0.0";
function readRawInputs() {
  const raw = {};
  for (const name of INPUT_NAMES) raw[name] = getInput(name, { trimWhitespace: false });
  for (const name of SECRET_INPUTS) {
    const secret = raw[name]?.trim();
    if (secret) setSecret(secret);
  }
  return raw;
}
function readGitHubInputs() {
  const raw = {};
  for (const name of GITHUB_INPUT_NAMES) raw[name] = getInput(name);
  return raw;
}
function getInputs(env = process.env) {
  const raw = readRawInputs();
  const github = parseGitHubOptions(readGitHubInputs(), raw, env);
  const options = parseOptions(github.releases ? { ...raw, tag: TAG_CHECKED_LATER } : raw, env);
  return { raw, options, github };
}
function optionsForTag(raw, tag, env = process.env) {
  return parseOptions({ ...raw, tag }, env);
}

// src/action/main.ts
var CORE_LOGGER = {
  debug: (message) => debug(commandSafe(message)),
  info: (message) => info(commandSafe(message)),
  warning: (message) => warning(commandSafe(message))
};
async function loadGitHubFace(inputs, signal) {
  const { openGitHubFace } = await import("./chunks/github-face-R62TR42P.js");
  return openGitHubFace(
    inputs.options.githubToken ?? "",
    inputs.github.repository,
    signal,
    (message) => debug(message)
  );
}
function releaseRows(inputs, tags) {
  return tags.flatMap((tag) => {
    try {
      return optionsForTag(inputs.raw, tag).plans.map((plan) => ({ plan }));
    } catch (error2) {
      if (!(error2 instanceof InputError)) throw error2;
      const why = `release '${neutralise(tag)}' cannot be checked: ${errorMessage(error2)}`;
      return inputs.options.plans.map((plan) => ({
        report: {
          image: repositoryName(plan.image),
          tags: [tag],
          status: "failed",
          platforms: [],
          error: why
        }
      }));
    }
  });
}
async function prepareGitHub(inputs, signal, faceLoaded) {
  const { github } = inputs;
  if (!github.releases && !github.report) return void 0;
  const face = await loadGitHubFace(inputs, signal);
  faceLoaded(face);
  if (!github.releases) return void 0;
  let tags;
  try {
    const found = await face.releases(github.releases);
    tags = found.tags;
    const skipped = [
      found.skipped.drafts ? `${found.skipped.drafts} draft(s)` : "",
      found.skipped.prereleases ? `${found.skipped.prereleases} prerelease(s)` : ""
    ].filter(Boolean);
    info(
      `releases: ${tags.map(neutralise).join(", ") || "none"}${skipped.length ? ` (skipped ${skipped.join(", ")})` : ""}`
    );
  } catch (error2) {
    return { refused: `${errorMessage(error2)} ${NOTHING_SENT}` };
  }
  if (tags.length === 0) {
    return {
      refused: `releases: ${github.repository.owner}/${github.repository.repo} has no published release to check${github.releases.includePrereleases ? "" : " (prereleases excluded by include-prereleases: false)"}`
    };
  }
  const rows = releaseRows(inputs, tags);
  return { rows, releases: rows.length / inputs.options.plans.length };
}
async function run(overrides = {}) {
  let face;
  const buffers = /* @__PURE__ */ new Map();
  const outcome = await runSequence({
    read: () => {
      const inputs2 = getInputs();
      return { inputs: inputs2, options: inputs2.options };
    },
    env: process.env,
    process,
    logger: CORE_LOGGER,
    onNotice: (notice2) => notice(`input '${notice2.input}': ${notice2.message}`),
    onCancelling: (line) => warning(line),
    prepare: (inputs2, _options, signal) => prepareGitHub(inputs2, signal, (f) => face = f),
    loggerFor: (plan) => {
      const buffer = new BufferedLogger();
      buffers.set(plan, buffer);
      return buffer;
    },
    onImageDone: (report, plan) => {
      const name = `${report.image}:${report.tags[0]}`;
      startGroup(name);
      buffers.get(plan)?.replay(CORE_LOGGER);
      CORE_LOGGER.info(imageDoneLine(report));
      endGroup();
      if (report.status === "failed")
        error(commandSafe(report.error ?? "failed"), {
          title: `multiarch-index: ${name}`
        });
    },
    session: {
      // The Docker config that docker/login-action wrote is found through DOCKER_CONFIG or
      // HOME (the sequence passes the environment); every secret read is masked at once.
      onSecret: (secret) => setSecret(secret),
      ...overrides
    }
  });
  if (outcome.kind !== "ran") {
    const message = outcome.kind === "stopped" ? outcome.message : outcome.error instanceof InputError ? `${errorMessage(outcome.error)} ${NOTHING_SENT}` : errorMessage(outcome.error);
    setOutput("status", "failed");
    setFailed(message);
    return 1;
  }
  const { inputs, options, rows, reports } = outcome;
  for (const row of rows) {
    if ("report" in row)
      error(commandSafe(row.report.error ?? "failed"), {
        title: `multiarch-index: ${row.report.image}:${neutralise(row.report.tags[0])}`
      });
  }
  const result = resultDocument(reports);
  setOutput("digest", reports[0]?.digest ?? "");
  setOutput("status", overallStatus(reports));
  setOutput("result", JSON.stringify(result));
  try {
    const { renderSummary } = await import("./chunks/summary-CLOCNNTT.js");
    await summary.addRaw(renderSummary(result, { tag: options.tag, mode: options.mode }), true).write();
  } catch (error2) {
    debug(`job summary not written: ${errorMessage(error2)}`);
  }
  const failures = outcome.failure ? [outcome.failure] : [];
  if (inputs.github.report && face) {
    const failed = reports.filter((r) => r.status === "failed");
    const problem = await reportOutcome(face, inputs, options, failed, reports.length);
    if (problem) failures.push(problem);
  }
  if (failures.length > 0) {
    setFailed(failures.join("; "));
    return 1;
  }
  return 0;
}
async function reportOutcome(face, inputs, options, failed, checked) {
  const lines = face.repairImageLines(inputs.raw);
  const broken = failed.map((r) => ({
    release: r.tags[0],
    image: r.image,
    error: r.error ?? "failed",
    imageLine: lines.get(r.image) ?? r.image
  }));
  const env = process.env;
  const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : void 0;
  try {
    const done = await face.report(
      inputs.github.report,
      { broken, checked, mode: options.mode, runUrl, now: /* @__PURE__ */ new Date() },
      options.mode !== "dry-run"
    );
    for (const warning2 of done.warnings) warning(warning2);
    const issue2 = done.issue ? ` #${done.issue.number} ${neutralise(done.issue.url)}` : "";
    const said = done.action === "none" ? "everything is complete and no report issue is open; nothing to do" : `${done.action} issue${issue2}`;
    info(`report-issue: ${said}`);
    await appendToSummary(`**Report issue:** ${codeCell(said)}`);
    return void 0;
  } catch (error2) {
    const message = `report-issue: ${errorMessage(error2)}`;
    error(message, { title: "multiarch-index: issue report" });
    await appendToSummary(`**Report issue failed:** ${codeCell(errorMessage(error2))}`);
    return message;
  }
}
async function appendToSummary(markdown) {
  try {
    await summary.addRaw(`
${markdown}
`).write();
  } catch (error2) {
    debug(`job summary not written: ${errorMessage(error2)}`);
  }
}

// src/action/index.ts
try {
  process.exitCode = await run();
} catch (error2) {
  setFailed(`multiarch-index: ${error2 instanceof Error ? error2.message : String(error2)}`);
  process.exitCode = 1;
}
