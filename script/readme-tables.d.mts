// Types of script/readme-tables.mjs (a plain Node script, so `npm run docs` needs no build).
export interface ActionInput {
  description?: unknown
  required?: unknown
  default?: unknown
}
export interface ActionOutput {
  description?: unknown
}
export interface ActionMetadata {
  inputs?: Record<string, ActionInput>
  outputs?: Record<string, ActionOutput>
}
export type SectionName = 'inputs' | 'outputs'

export function parseAction(text: string): ActionMetadata
export function oneLine(text: unknown): string
export function cell(text: string): string
export function defaultCell(input: ActionInput): string
export function inputsTable(action: ActionMetadata): string
export function outputsTable(action: ActionMetadata): string
export function sectionBody(table: string): string
export function markers(name: SectionName): { start: string; end: string }
export function extractSection(readme: string, name: SectionName): string | undefined
export function generatedSections(action: ActionMetadata): Record<SectionName, string>
export function updateReadme(readme: string, actionText: string): string
