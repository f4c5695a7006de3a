import { describe, expect, it } from 'vitest';
import { artifactMediaType, safeArtifactName } from './run-artifacts';

describe('run artifacts', () => {
  it('knows a media type by the last extension of the file name only', () => {
    expect(artifactMediaType('out/chart.PNG')).toBe('image/png');
    expect(artifactMediaType('code/n#1/data.v2/table.csv')).toBe('text/csv');
    expect(artifactMediaType('code/dir.with.dots/README')).toBe('application/octet-stream');
    expect(artifactMediaType('archive.tar.gz')).toBe('application/octet-stream');
  });

  it('makes any text one plain path segment', () => {
    expect(safeArtifactName('run_1-a.b')).toBe('run_1-a.b');
    expect(safeArtifactName('../../etc')).toBe('.._.._etc');
    expect(safeArtifactName('..')).toBe('_..');
    expect(safeArtifactName('a/b\\c')).toBe('a_b_c');
  });
});
