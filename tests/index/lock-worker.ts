/**
 * One racer for tests/index/lock-race.test.ts: on `go`, waits for the shared start instant, tries the
 * ingest lock, reports, and holds it until told to release.
 */
import { acquireIngestLock } from '../../src/index/lock.js';

type Message = { type: 'go'; dir: string; at: number } | { type: 'release' };

let release: (() => void) | null = null;

process.on('message', (msg: Message) => {
  if (msg.type === 'go') {
    while (Date.now() < msg.at) {
      // Spin to the shared instant so the racers hit the lock together.
    }
    try {
      release = acquireIngestLock(msg.dir);
      process.send?.({ type: 'result', ok: true });
    } catch (err) {
      process.send?.({ type: 'result', ok: false, error: (err as Error).message });
    }
  } else {
    release?.();
    release = null;
    process.send?.({ type: 'released' });
  }
});
process.send?.({ type: 'ready' });
