import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmptyWorkflow } from '@shared/workflow';
import { makeTempProfile } from '../testing/temp-profile';
import { InvalidWorkflowError, WorkflowService } from '../services/workflow-service';
import { openDatabase } from './database';
import { WorkflowRepository } from './workflow-repository';

function setUp() {
  const profile = makeTempProfile();
  const opened = openDatabase(path.join(profile, 'warroom.db'));
  const filesDir = path.join(profile, 'workflows');
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 10, 21, 12, 0, tick++));
  let counter = 0;
  const service = new WorkflowService(new WorkflowRepository(opened.db, filesDir), now, () => `wf-${++counter}`);
  return { service, filesDir, db: opened.db };
}

describe('workflow storage', () => {
  it('mirrors each saved workflow as a pretty JSON file, and removes it on delete', () => {
    const { service, filesDir } = setUp();
    const workflow = service.create('Plan then build');
    const file = path.join(filesDir, `${workflow.id}.json`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(workflow);
    expect(fs.readFileSync(file, 'utf8')).toContain('\n  "name": "Plan then build"');
    expect(fs.readdirSync(filesDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    service.delete(workflow.id);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('lists newest first and stamps updatedAt on save', () => {
    const { service } = setUp();
    const first = service.create('First');
    const second = service.create('Second');
    expect(service.list().map((item) => item.id)).toEqual([second.id, first.id]);
    const saved = service.save({ ...first, description: 'edited' });
    expect(saved.updatedAt > first.updatedAt).toBe(true);
    expect(service.list().map((item) => item.id)).toEqual([first.id, second.id]);
  });

  it('refuses a document from a newer format, naming the version', () => {
    const { service } = setUp();
    const future = { ...createEmptyWorkflow('x', 'Future', new Date()), schemaVersion: 99 };
    expect(() => service.import(JSON.stringify(future))).toThrow(InvalidWorkflowError);
    expect(() => service.import(JSON.stringify(future))).toThrow(/version 99 was written by a newer War Room/);
  });

  it('reports every structural problem at once, and stores nothing', () => {
    const { service } = setUp();
    const doc = {
      ...createEmptyWorkflow('dupes', 'Dupes', new Date()),
      nodes: [
        { id: 'a', kind: 'input', position: { x: 0, y: 0 }, config: {} },
        { id: 'a', kind: 'output', position: { x: 1, y: 0 }, config: {} },
      ],
      edges: [{ id: 'e', source: { node: 'a', port: 'out' }, target: { node: 'missing', port: 'in' } }],
    };
    let problems: InvalidWorkflowError['problems'] = [];
    try {
      service.import(JSON.stringify(doc));
    } catch (error) {
      problems = (error as InvalidWorkflowError).problems;
    }
    expect(problems).toEqual([
      { path: 'nodes[1].id', message: 'duplicate node id "a"' },
      { path: 'edges[0].target.node', message: 'no node with id "missing"' },
    ]);
    expect(service.list()).toEqual([]);
  });
});
