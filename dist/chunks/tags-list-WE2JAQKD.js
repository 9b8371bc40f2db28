import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  readQuotedString
} from "./chunk-2IUHS6XZ.js";
import {
  IntegrityError,
  RegistryError,
  TransportError,
  isStatus,
  parseErrorBody
} from "./chunk-PCIAHVJB.js";
import {
  isTagName
} from "./chunk-CM7TTNES.js";
import "./chunk-QZHQZAVZ.js";
import "./chunk-PY5VAGIZ.js";

// src/registry/api/link-header.ts
function parseLinkHeader(header) {
  if (header === void 0) return [];
  const values = typeof header === "string" ? [header] : header;
  return values.flatMap(parseLinkValues);
}
function parseLinkValues(text) {
  const links = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === " " || text[i] === "	")) i++;
  };
  const skipToComma = () => {
    let quoted = false;
    let bracketed = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === "\\") i++;
        else if (c === '"') quoted = false;
      } else if (bracketed) {
        if (c === ">") bracketed = false;
      } else if (c === '"') quoted = true;
      else if (c === "<") bracketed = true;
      else if (c === ",") {
        i++;
        return;
      }
    }
  };
  const readToken = () => {
    const start = i;
    while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i])) i++;
    return text.slice(start, i);
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (i >= text.length) break;
    if (text[i] !== "<") {
      skipToComma();
      continue;
    }
    const close = text.indexOf(">", i + 1);
    if (close < 0) break;
    const link = { target: text.slice(i + 1, close).trim(), rel: [], params: {} };
    i = close + 1;
    let malformed = false;
    for (; ; ) {
      skipSpace();
      if (i >= text.length || text[i] === ",") break;
      if (text[i] !== ";") {
        malformed = true;
        break;
      }
      i++;
      skipSpace();
      const name = readToken().toLowerCase();
      if (!name) {
        malformed = true;
        break;
      }
      skipSpace();
      let value = "";
      if (text[i] === "=") {
        i++;
        skipSpace();
        if (text[i] === '"') {
          ;
          ({ value, next: i } = readQuotedString(text, i));
        } else {
          const start = i;
          while (i < text.length && !/[;,\s"]/.test(text[i])) i++;
          value = text.slice(start, i);
        }
      }
      if (!(name in link.params)) link.params[name] = value;
    }
    if (malformed) {
      skipToComma();
      continue;
    }
    link.rel = (link.params.rel ?? "").toLowerCase().split(/\s+/).filter((r) => r !== "");
    links.push(link);
  }
  return links;
}
function nextLink(header, requestUrl) {
  const next = parseLinkHeader(header).find((link) => link.rel.includes("next"));
  if (!next) return void 0;
  try {
    return new URL(next.target, requestUrl);
  } catch {
    return void 0;
  }
}

// src/registry/api/tags-list.ts
var DEFAULT_TAGS_PAGE_SIZE = 1e3;
var DEFAULT_TAGS_MAX_PAGES = 20;
var DEFAULT_TAGS_MAX = 1e5;
var DEFAULT_TAGS_MAX_PAGE_BYTES = 4 * 1024 * 1024;
var SAFE_TAGS_PAGE_SIZE = 100;
async function listTags(target, options = {}) {
  let pageSize = options.pageSize ?? DEFAULT_TAGS_PAGE_SIZE;
  const maxPages = options.maxPages ?? DEFAULT_TAGS_MAX_PAGES;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`tags page size must be a whole number of at least 1, got ${pageSize}`);
  }
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new RangeError(`tags page bound must be a whole number of at least 1, got ${maxPages}`);
  }
  const maxTags = options.maxTags ?? DEFAULT_TAGS_MAX;
  const maxPageBytes = options.maxPageBytes ?? DEFAULT_TAGS_MAX_PAGE_BYTES;
  const { transport, registry, repository } = target;
  const base = transport.baseUrl(registry);
  const listPath = `/v2/${repository}/tags/list`;
  const seen = /* @__PURE__ */ new Set();
  const asked = /* @__PURE__ */ new Set();
  const dropped = { invalid: 0 };
  let greatest = "";
  let path = `${listPath}?n=${pageSize}`;
  let pages = 0;
  while (path !== void 0) {
    if (pages >= maxPages) return finish(seen, pages, dropped, true);
    asked.add(path);
    const context = {
      operation: "GET tags",
      target: `${registry}/${repository}${pages > 0 ? ` (page ${pages + 1})` : ""}`
    };
    let response;
    try {
      response = await transport.send({
        registry,
        method: "GET",
        path,
        headers: { accept: "application/json" },
        scope: target.scope,
        context,
        accept: [200, 404],
        maxBodyBytes: maxPageBytes
      });
    } catch (error) {
      if (pages === 0 && pageSize > SAFE_TAGS_PAGE_SIZE && isStatus(error, 400)) {
        pageSize = SAFE_TAGS_PAGE_SIZE;
        path = `${listPath}?n=${pageSize}`;
        continue;
      }
      if (!(error instanceof TransportError && error.code === "TOO_LARGE")) throw error;
      return finish(
        seen,
        pages + 1,
        dropped,
        true,
        `page ${pages + 1} of the tag list is larger than ${maxPageBytes} bytes`
      );
    }
    pages++;
    if (response.status === 404) {
      const { errors } = parseErrorBody(response.body);
      const unknownName = errors.length === 0 || errors.some((e) => e.code === "NAME_UNKNOWN");
      if (pages === 1 && unknownName) return { tags: [], pages, truncated: false };
      throw new RegistryError(context, 404, errors);
    }
    const page = pageTags(response, context);
    let fresh = 0;
    for (const tag of page) {
      if (!isTagName(tag)) {
        dropped.invalid++;
        continue;
      }
      if (seen.has(tag)) continue;
      if (seen.size >= maxTags)
        return finish(seen, pages, dropped, true, `the listing has more than ${maxTags} tags`);
      seen.add(tag);
      if (tag > greatest) greatest = tag;
      fresh++;
    }
    path = void 0;
    const next = nextLink(response.headers.link, response.url);
    if (next) {
      if (next.host !== new URL(base).host) return finish(seen, pages, dropped, true);
      path = `${next.pathname}${next.search}`;
    } else if (page.length >= pageSize && fresh > 0) {
      path = `${listPath}?n=${pageSize}&last=${encodeURIComponent(greatest)}`;
    }
    if (path !== void 0 && asked.has(path)) path = void 0;
  }
  return finish(seen, pages, dropped, false);
}
function finish(seen, pages, dropped, truncated, truncatedWhy) {
  const listing = { tags: [...seen].sort(), pages, truncated };
  if (truncatedWhy) listing.truncatedWhy = truncatedWhy;
  if (dropped.invalid > 0) listing.invalid = dropped.invalid;
  return listing;
}
function pageTags(response, context) {
  let parsed;
  try {
    parsed = JSON.parse(response.body.toString("utf8"));
  } catch {
    throw new IntegrityError(
      "BAD_DOCUMENT",
      `${context.operation} ${context.target}: the tag list is not JSON`
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new IntegrityError(
      "BAD_DOCUMENT",
      `${context.operation} ${context.target}: the tag list is not a JSON object`
    );
  }
  const tags = parsed.tags;
  if (tags === null || tags === void 0) return [];
  if (!Array.isArray(tags)) {
    throw new IntegrityError(
      "BAD_DOCUMENT",
      `${context.operation} ${context.target}: "tags" is not a list`
    );
  }
  return tags.filter((t) => typeof t === "string");
}
export {
  listTags
};
