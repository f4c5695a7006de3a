import type { NodeImplementation } from '../node-kind';
import { agentNode } from './agent';
import { approvalNode } from './approval';
import { codeNode } from './code';
import { conditionNode } from './condition';
import { inputNode } from './input';
import { joinNode } from './join';
import { loopNode } from './loop';
import { mapNode } from './map';
import { memorySearchNode } from './memory-search';
import { memoryStoreNode } from './memory-store';
import { outputNode } from './output';
import { subworkflowNode } from './subworkflow';
import { teamNode } from './team/team-node';
import { toolNode } from './tool';
import { transformNode } from './transform';

/** Node kinds by name. Registering a kind twice is a programming error, refused loudly. */
export class NodeRegistry {
  private readonly kinds = new Map<string, NodeImplementation>();

  register(implementation: NodeImplementation): this {
    const { kind } = implementation.descriptor;
    if (this.kinds.has(kind)) throw new Error(`node kind "${kind}" is already registered`);
    this.kinds.set(kind, implementation);
    return this;
  }

  get(kind: string): NodeImplementation | undefined {
    return this.kinds.get(kind);
  }

  list(): NodeImplementation[] {
    return [...this.kinds.values()];
  }
}

export function createDefaultNodeRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  for (const implementation of [
    inputNode,
    outputNode,
    transformNode,
    conditionNode,
    agentNode,
    toolNode,
    codeNode,
    loopNode,
    mapNode,
    joinNode,
    approvalNode,
    memorySearchNode,
    memoryStoreNode,
    subworkflowNode,
    teamNode,
  ]) {
    registry.register(implementation);
  }
  return registry;
}
