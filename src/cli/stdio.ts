import { fstatSync, statSync, writeSync } from 'node:fs';

/**
 * The CLI's standard output and error, shared by the bin and the program it loads (two bundles, hence the state on
 * `process` under a registered symbol).
 *
 * Written synchronously to the file descriptor, as process.stdout and process.stderr write to files, pipes and
 * terminals on Linux, but without creating those streams: creating them loads Node's net module and its stream
 * plumbing, ~1.5 ms of CPU in a cold command whose output is a pipe (an agent's, a benchmark's). A command that
 * uses the streams themselves (commander's help and errors, --batch, the servers) creates them on first use, and
 * from then on these functions write through them, so output keeps its order whatever the platform.
 *
 * `priors stats | head -1`: once the reader has what it wants it closes the pipe, and the next write fails with
 * EPIPE. That is the reader saying "enough", not a failure: stop at once, quietly, with exit 0 (as `cat` and `grep`
 * do) instead of an unhandled-error stack trace. Other write errors stay errors.
 */
type Fd = 1 | 2;
interface Stdio {
  /** The stream of each descriptor, once something created it. */
  streams: Partial<Record<Fd, NodeJS.WriteStream>>;
}
const STATE = Symbol.for('priors.cli.stdio');
const holder = process as unknown as { [STATE]?: Stdio };

function endQuietlyOnClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
}

function setUp(): Stdio {
  const state: Stdio = { streams: {} };
  for (const [fd, name] of [
    [1, 'stdout'],
    [2, 'stderr'],
  ] as const) {
    const node = Object.getOwnPropertyDescriptor(process, name);
    // Node defines both as lazy getters; were that to change, attach to the streams at once.
    if (!node?.get || !node.configurable) {
      state.streams[fd] = process[name].on('error', endQuietlyOnClosedPipe);
      continue;
    }
    const create = node.get;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: node.enumerable,
      get() {
        const stream = (create.call(process) as NodeJS.WriteStream).on('error', endQuietlyOnClosedPipe);
        Object.defineProperty(process, name, { configurable: true, enumerable: node.enumerable, get: () => stream });
        state.streams[fd] = stream;
        return stream;
      },
    });
  }
  return state;
}

const stdio = (holder[STATE] ??= setUp());

/** A descriptor that was handed over non-blocking and is full answers EAGAIN: wait a moment and write again. */
const pause = new Int32Array(new SharedArrayBuffer(4));

function write(fd: Fd, text: string): void {
  const stream = stdio.streams[fd];
  if (stream) {
    stream.write(text);
    return;
  }
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

export const writeOut = (text: string): void => write(1, text);
export const writeErr = (text: string): void => write(2, text);

/**
 * End the process once everything written has reached the OS: at once where writes are synchronous (a descriptor
 * written by `write`, and files, pipes and terminals on Linux), after an empty write's callback where a stream
 * queues (pipes elsewhere): streams write in order, so it fires once what came before is out.
 *
 * Why not let Node end by itself: a command is done when its action has finished, but Node then tears down what the
 * process set up — LanceDB's runtime and tables, the heap — which cost a cold `priors search` 1–2 ms more than
 * exiting (BENCHMARKS.md, "Cold start"). `exit` handlers still run, and the exit code is `process.exitCode`.
 */
export async function exitWhenWritten(): Promise<never> {
  await Promise.all(
    Object.values(stdio.streams).map(
      (stream) => new Promise<void>((resolve) => (stream.writableLength > 0 ? stream.write('', () => resolve()) : resolve())),
    ),
  );
  process.exit();
}

/**
 * Whether standard output is a terminal. Pipes, files and /dev/null (output a script or a benchmark throws away) are
 * told from a terminal by fstat, without creating process.stdout, which costs a cold command ~2 ms of loading Node's
 * stream modules; any other character device is asked of the stream.
 */
export function stdoutIsTerminal(): boolean {
  if (stdio.streams[1] === undefined) {
    try {
      const out = fstatSync(1);
      if (!out.isCharacterDevice()) return false;
      const nul = statSync('/dev/null', { throwIfNoEntry: false });
      if (nul?.isCharacterDevice() && nul.rdev === out.rdev) return false;
    } catch {
      return false;
    }
  }
  return process.stdout.isTTY === true;
}
