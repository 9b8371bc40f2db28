import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/registry/base/http-syntax.ts
function readQuotedString(text, start) {
  let i = start + 1;
  let value = "";
  while (i < text.length && text[i] !== '"') {
    if (text[i] === "\\" && i + 1 < text.length) i++;
    value += text[i];
    i++;
  }
  return { value, next: i + 1 };
}

export {
  readQuotedString
};
