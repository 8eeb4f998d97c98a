import { BusyError } from '../core/errors.js';

export interface Limiter {
  /** Run `job` when a slot is free; refuses (BusyError, a 503) when the queue is full, skips jobs whose caller left. */
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly queued: number;
}

/**
 * At most `max` index jobs at once, the rest wait in FIFO order. Searches are CPU- and memory-heavy in
 * native code: hundreds of them in flight at once only thrash (lower throughput, RSS in the GBs), while a
 * short queue keeps throughput at its best and memory flat.
 */
export function createLimiter(max: number, maxQueue: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next();
    }
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    async run(job, signal) {
      if (active >= max) {
        if (waiting.length >= maxQueue) throw new BusyError();
        await new Promise<void>((resolve) => waiting.push(resolve));
        // The slot was handed over; give it straight back if the caller has gone meanwhile.
        if (signal?.aborted) {
          release();
          throw new BusyError('the client closed the request');
        }
      } else {
        active++;
      }
      try {
        return await job();
      } finally {
        release();
      }
    },
  };
}
