/**
 * What a reader of a job summary sees: the Markdown rendered as GitHub Flavored Markdown
 * (marked, GFM on), then sanitised with hast-util-sanitize's default schema, which follows
 * GitHub's published HTML allowlist (the one github.com applies to job summaries and
 * READMEs), then read as text the way a browser's innerText reads it (tables: cells apart by
 * tabs, rows by newlines).
 */
import { marked } from 'marked'
import { fromHtml } from 'hast-util-from-html'
import { sanitize } from 'hast-util-sanitize'
import { toText } from 'hast-util-to-text'
import type { Root, Element, Nodes } from 'hast'

export interface RenderedSummary {
  /** The sanitised tree. */
  tree: Root
  /** What a reader sees, as text. */
  text: string
}

/** Render a summary's Markdown as GitHub would show it. */
export function renderGfm(markdown: string): RenderedSummary {
  const html = marked.parse(markdown, { gfm: true, async: false })
  const tree = sanitize(fromHtml(html, { fragment: true })) as Root
  return { tree, text: toText(tree) }
}

/** Every element with this tag name, in document order. */
export function elements(tree: Nodes, tagName: string): Element[] {
  const found: Element[] = []
  const walk = (node: Nodes) => {
    if (node.type === 'element' && node.tagName === tagName) found.push(node)
    if ('children' in node) for (const child of node.children) walk(child as Nodes)
  }
  walk(tree)
  return found
}

/** The rows of the first table after the text `after` (or the first table), as cell texts. */
export function tableRows(tree: Nodes, index = 0): string[][] {
  const table = elements(tree, 'table')[index]
  if (!table) return []
  return elements(table, 'tr').map((tr) =>
    tr.children
      .filter(
        (c): c is Element => c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th')
      )
      .map((c) => toText(c).trim())
  )
}
