/**
 * A one-line progress bar on stderr (redrawn at most 5 times a second); on a non-TTY stream it
 * prints a line every 10 %.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty: boolean;

  constructor(private readonly label: string, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number, total: number): void {
    const now = Date.now();
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    if (this.tty) {
      if (now - this.lastDraw < 200 && ratio < 1) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(ratio * width);
      const elapsed = (now - this.started) / 1000;
      const eta = ratio > 0 ? elapsed / ratio - elapsed : 0;
      const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1).padStart(5)}% `
        + `${done.toLocaleString('en')}/${total.toLocaleString('en')} ${elapsed.toFixed(0)}s elapsed, ETA ${eta.toFixed(0)}s`;
      this.stream.write(`\r${line}\x1b[K`);
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(`${this.label} ${decile * 10}% (${done.toLocaleString('en')}/${total.toLocaleString('en')}) after ${((now - this.started) / 1000).toFixed(1)}s\n`);
    }
  }

  finish(): void {
    if (this.tty) this.stream.write('\n');
  }
}
