import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite write-ahead log back into the database file from a worker thread, so that no request waits
 * for it. Without it, the commit that crosses `wal_autocheckpoint` copies the whole log itself: ~80 ms every
 * 64 MiB of WAL under device ingest, which lands on whichever request commits then. A PASSIVE checkpoint never
 * waits for readers or writers, and writers keep appending while it runs; the connection that writes keeps a
 * larger `wal_autocheckpoint` only as a safety net for when the thread falls behind or is gone.
 */
export interface WalCheckpointer {
  /** Stops the thread after its current checkpoint and closes its connection. */
  stop(): Promise<void>;
}

/** How often the thread checkpoints: short enough that the log stays small under a steady stream of writes. */
const CHECKPOINT_INTERVAL_MS = 100;
/** A log file longer than this is cut back to nothing once writes are light again. */
const TRUNCATE_ABOVE_BYTES = 64 * 1024 * 1024;
/**
 * Writes are light when fewer WAL frames than this (~1 MiB) arrived since the last tick, ten ticks running: a
 * street's gates posting all day stay under it, a burst of batches does not.
 */
const LIGHT_FRAMES = 256;
const LIGHT_TICKS = 10;

// CommonJS, evaluated in the worker: no loader or build step is involved, whatever runs the server.
const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const conn = new Database(workerData.file, { fileMustExist: true });
conn.pragma('synchronous = NORMAL');
// A checkpoint never waits here: a busy database is tried again on the next tick.
conn.pragma('busy_timeout = 0');
let timer = null;
let lastLog = 0;
let light = 0;
const walSize = () => {
  try {
    return fs.statSync(workerData.file + '-wal').size;
  } catch {
    return 0;
  }
};
const tick = () => {
  const [r] = conn.pragma('wal_checkpoint(PASSIVE)');
  // busy (another connection is checkpointing) reports -1: nothing is known of this tick.
  if (r.log >= 0) {
    // Frames that arrived since the last tick; a smaller log than last time means the log restarted.
    const arrived = r.log >= lastLog ? r.log - lastLog : r.log;
    lastLog = r.log;
    light = arrived < workerData.lightFrames ? light + 1 : 0;
  }
  // Writers do not cut the log file back (doing it on every restart cost batch ingest a tenth of its
  // throughput); the thread does, once writes are light again. TRUNCATE takes the write lock for a moment
  // and gives up at once when a writer or reader holds the log.
  if (light >= workerData.lightTicks && walSize() > workerData.truncateAbove) {
    conn.pragma('wal_checkpoint(TRUNCATE)');
    light = 0;
    lastLog = 0;
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  conn.close();
  parentPort.close();
});
tick();
`;

/**
 * Starts the thread on `file` (a WAL-mode database). `onError` is called once if the thread fails (it cannot open
 * the file, a checkpoint throws); the thread is gone then, and the caller should checkpoint inline again.
 */
export function startWalCheckpointer(
  file: string,
  onError: (err: Error) => void,
  opts: { intervalMs?: number; truncateAboveBytes?: number } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = {
    file,
    driver,
    intervalMs: opts.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    truncateAbove: opts.truncateAboveBytes ?? TRUNCATE_ABOVE_BYTES,
    lightFrames: LIGHT_FRAMES,
    lightTicks: LIGHT_TICKS,
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
  // The thread never keeps the process alive: a server that is closing does not wait for it.
  worker.unref();
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (err) => {
    if (!stopped) onError(err);
  });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      // Referenced again while it winds down: a process with nothing else left to do waits for it, instead of
      // exiting in the middle of the caller's close().
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
