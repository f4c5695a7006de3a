import { describe, expect, it } from 'vitest';
import { encodeFrame, RunnerFrameDecoder, RunnerProtocolError } from './runner-protocol';
import { TailBuffer } from './tail-buffer';

describe('RunnerFrameDecoder', () => {
  it('decodes frames split at any byte boundary', () => {
    const bytes = Buffer.concat([
      encodeFrame('R', Buffer.from('{"runner":"python","version":"3.11"}')),
      encodeFrame('O', Buffer.from('hello\n')),
      encodeFrame('E', Buffer.from('oops\n')),
      encodeFrame('A', Buffer.concat([Buffer.from('{"path":"plot.png","size":3}\n'), Buffer.from([1, 2, 3])])),
      encodeFrame('X', Buffer.from('{"exitCode":0,"signal":null,"outOfMemory":false,"durationMs":4}')),
    ]);
    for (const step of [1, 3, 7, bytes.length]) {
      const decoder = new RunnerFrameDecoder();
      const frames = [];
      for (let offset = 0; offset < bytes.length; offset += step)
        frames.push(...decoder.push(bytes.subarray(offset, offset + step)));
      expect(frames.map((frame) => frame.kind)).toEqual(['ready', 'stdout', 'stderr', 'artifact', 'exit']);
      const artifact = frames[3];
      expect(artifact?.kind === 'artifact' && [...artifact.artifact.data]).toEqual([1, 2, 3]);
      const exit = frames[4];
      expect(exit?.kind === 'exit' && exit.exit.exitCode).toBe(0);
    }
  });

  it('rejects an unknown frame kind', () => {
    expect(() => new RunnerFrameDecoder().push(encodeFrame('?', Buffer.alloc(0)))).toThrow(RunnerProtocolError);
  });
});

describe('TailBuffer', () => {
  it('keeps the tail and counts the dropped head', () => {
    const buffer = new TailBuffer(10);
    for (const word of ['0123456789', 'abcdef', 'XYZ']) buffer.write(Buffer.from(word));
    expect(buffer.text()).toBe('789abcdefXYZ'.slice(-10));
    expect(buffer.dropped).toBe(9);
  });
});
