/**
 * The sidecar's logger: one line per message on stderr, `{ISO time} {level} {message}`, so a
 * journal or `docker logs` keeps each message whole. Lines below the level are dropped.
 */
import type { QuasarLogger } from '../options/types';
import { oneLine } from './errors';
import { LOG_LEVELS } from './values';
import type { LogLevel } from './values';

/** Writes text as it is; the logger adds the newline. */
export type WriteText = (text: string) => void;

/** A `QuasarLogger` writing at or above `level` through `write`. */
export function stderrLogger(write: WriteText, level: LogLevel): QuasarLogger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (l: LogLevel) =>
    (message: string): void => {
      if (LOG_LEVELS.indexOf(l) > threshold) return;
      write(`${new Date().toISOString()} ${l} ${oneLine(message)}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
