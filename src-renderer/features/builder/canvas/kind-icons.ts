/** A glyph per node kind, shown in the palette and on the canvas. */
export const KIND_ICONS: Record<string, string> = {
  input: '⇥',
  output: '⇤',
  agent: '◆',
  team: '⁂',
  tool: '⚒',
  code: '{}',
  condition: '◇',
  loop: '↻',
  map: '⇉',
  join: '⋈',
  approval: '✔',
  'memory-search': '⌕',
  'memory-store': '⛁',
  subworkflow: '▣',
  transform: 'ƒ',
};
