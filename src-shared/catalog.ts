import { z } from 'zod';

/** What the Builder offers to start from: shipped workflow templates and agent role presets. */
export const TemplateSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  nodeCount: z.int().nonnegative(),
});
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

export const RolePresetSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The built-in tools an agent with this role gets by default. */
  tools: z.array(z.string()),
});
export type RolePresetSummary = z.infer<typeof RolePresetSummarySchema>;
