/** Keeps the last `capBytes` bytes written to it and counts what it dropped from the head. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private keptBytes = 0;
  private droppedBytes = 0;

  constructor(private readonly capBytes: number) {}

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.keptBytes += chunk.length;
    while (this.keptBytes > this.capBytes) {
      const head = this.chunks[0];
      if (head === undefined) break;
      const excess = this.keptBytes - this.capBytes;
      if (head.length <= excess) {
        this.chunks.shift();
        this.keptBytes -= head.length;
        this.droppedBytes += head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.keptBytes -= excess;
        this.droppedBytes += excess;
      }
    }
  }

  get dropped(): number {
    return this.droppedBytes;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
