import { findNodeKind, NODE_KIND_DESCRIPTORS } from '@shared/node-kinds';

/** Palette entries, grouped the way users think about them. */
export const PALETTE_GROUPS: ReadonlyArray<{ title: string; kinds: string[] }> = [
  { title: 'Flow', kinds: ['input', 'output', 'condition', 'loop', 'map', 'join', 'approval', 'subworkflow'] },
  { title: 'Agents & tools', kinds: ['agent', 'tool', 'code', 'transform'] },
  { title: 'Teams', kinds: ['team'] },
  { title: 'Memory', kinds: ['memory-search', 'memory-store'] },
];

/** Every kind the engine registers appears in the palette, even one not yet placed in a group. */
export function paletteGroups() {
  const grouped = new Set(PALETTE_GROUPS.flatMap((group) => group.kinds));
  const others = NODE_KIND_DESCRIPTORS.filter((descriptor) => !grouped.has(descriptor.kind)).map((d) => d.kind);
  const groups = PALETTE_GROUPS.map((group) => ({
    title: group.title,
    kinds: group.kinds.filter((kind) => findNodeKind(kind)),
  }));
  return others.length > 0 ? [...groups, { title: 'Other', kinds: others }] : groups;
}
