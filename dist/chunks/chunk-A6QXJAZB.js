import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/publish/template.ts
var TOKENS = ["tag", "os", "arch", "variant", "release", "osversion"];
var TemplateSyntaxError = class extends Error {
  name = "TemplateSyntaxError";
};
function parseTemplate(text) {
  const parts = [];
  let i = 0;
  let literal = "";
  while (i < text.length) {
    const c = text[i];
    if (c === "}") throw new TemplateSyntaxError(`'${text}': unmatched '}' at position ${i + 1}`);
    if (c !== "{") {
      literal += c;
      i++;
      continue;
    }
    const end = text.indexOf("}", i);
    if (end < 0) throw new TemplateSyntaxError(`'${text}': unclosed '{' at position ${i + 1}`);
    const body = text.slice(i + 1, end);
    const dash = body.startsWith("-");
    const name = dash ? body.slice(1) : body;
    if (!TOKENS.includes(name)) {
      throw new TemplateSyntaxError(
        `'${text}': unknown token {${body}}; tokens are ${TOKENS.map((t) => `{${t}}`).join(" ")}, each also as {-x}`
      );
    }
    if (literal) parts.push({ literal });
    literal = "";
    parts.push({ token: name, dash });
    i = end + 1;
  }
  if (literal) parts.push({ literal });
  if (!parts.some((p) => "token" in p)) {
    throw new TemplateSyntaxError(
      `'${text}' has no tokens, so every platform would have the same source`
    );
  }
  return { text, parts };
}
function tokenValues(tag, platform) {
  return {
    tag,
    os: platform.os,
    arch: platform.architecture,
    variant: platform.variant ?? "",
    release: platform.release ?? "",
    osversion: platform.osVersion ?? ""
  };
}
function renderTemplate(template, tag, platform) {
  const values = tokenValues(tag, platform);
  return template.parts.map((part) => {
    if ("literal" in part) return part.literal;
    const value = values[part.token];
    return part.dash ? value ? `-${value}` : "" : value;
  }).join("");
}

export {
  TemplateSyntaxError,
  parseTemplate,
  renderTemplate
};
