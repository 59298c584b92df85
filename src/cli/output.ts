import { escapeText } from '../alert/text/escape.js';

/** Text is written in blocks of about this size: one write per line would cost a syscall each. */
const BLOCK_CHARS = 64 * 1024;

/**
 * Standard output for a long run: buffered, waiting for the reader when the pipe is full, and
 * quiet when the reader goes away (`| head`), which shows as `closed` so the work can stop.
 */
export class Output {
  readonly #stream: NodeJS.WritableStream;
  #pending = '';
  #closed = false;

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    stream.on('error', () => {
      // EPIPE and its kin: nobody reads any more. There is no one left to tell.
      this.#closed = true;
    });
  }

  /** True once the reader has gone; later writes are dropped. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Queues text; call {@link drain} now and then so it goes out. */
  write(text: string): void {
    if (!this.#closed) this.#pending += text;
  }

  /** Writes queued text once a block has built up, waiting while the reader catches up. */
  async drain(): Promise<void> {
    if (this.#pending.length >= BLOCK_CHARS) await this.flush();
  }

  /** Writes everything queued, waiting while the reader catches up. */
  async flush(): Promise<void> {
    if (this.#closed || this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    if (this.#stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.#stream.off('drain', done);
        this.#stream.off('close', done);
        this.#stream.off('error', done);
        resolve();
      };
      this.#stream.on('drain', done);
      this.#stream.on('close', done);
      this.#stream.on('error', done);
    });
  }
}

/** How often the progress line is redrawn. */
const PROGRESS_MS = 100;

/**
 * One line on a terminal's standard error that is redrawn in place, at most every
 * {@link PROGRESS_MS}. Silent when standard error is not a terminal, so logs stay clean.
 */
export class ProgressLine {
  readonly #stream: NodeJS.WriteStream;
  readonly #enabled: boolean;
  #shownAt = 0;
  #showing = false;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
    this.#enabled = stream.isTTY === true;
    if (this.#enabled) {
      // Ctrl-C must not leave the shell prompt glued to a half-drawn line.
      process.once('SIGINT', () => {
        this.clear();
        process.exit(130);
      });
    }
  }

  /** Redraws the line with `text()` if the last redraw is old enough. */
  update(text: () => string): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (now - this.#shownAt < PROGRESS_MS) return;
    this.#shownAt = now;
    const columns = this.#stream.columns > 1 ? this.#stream.columns - 1 : 79;
    this.#stream.write(`\r${text().slice(0, columns)}\x1b[K`);
    this.#showing = true;
  }

  /** Removes the line, before anything else is written to the terminal. */
  clear(): void {
    if (!this.#showing) return;
    this.#stream.write('\r\x1b[K');
    this.#showing = false;
  }
}

/** Messages name files and quote inputs: hidden characters in them must not reach a terminal. */
export const printable = (text: string): string => escapeText(text, 2000);
