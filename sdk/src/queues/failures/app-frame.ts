/**
 * The frame part of an error fingerprint: the first stack frame of the application's own code,
 * without its line and column (they move with every deploy). Library and runtime frames are
 * skipped: `node_modules`, Node's internals, PHP's `vendor/`.
 */

/** Lines of a stack looked at. */
export const MAX_STACK_LINES = 50;
/** Characters of a frame kept. */
export const MAX_FRAME_LENGTH = 200;

const LIBRARY =
  /(?:^|[\\/(\s])(?:node_modules|vendor)[\\/]|\bnode:|\binternal[\\/]|<anonymous>|\[internal\]/;

/** `    at fn (file:1:2)`, `    at file:1:2` (V8); `#3 /app/File.php(42): fn()` (PHP). */
const V8_FRAME = /^\s*at\s+(?:(.{1,200}?)\s+\()?(.{1,500}?)(?::\d+){1,2}\)?\s*$/;
const PHP_FRAME = /^#\d+\s+(.{1,500}?)\(\d+\):\s*(.{0,200}?)(?:\(.*)?$/;

/**
 * The first application frame of `stack`, as `function (file)` or `file`; undefined without.
 * A file under `root` (the application's directory, ending in a separator) is shown relative
 * to it: a release directory that changes with every deploy does not change the frame.
 */
export function appFrame(stack: string, root?: string): string | undefined {
  const lines = stack.split('\n', MAX_STACK_LINES);
  for (const line of lines) {
    const frame = readFrame(line);
    if (frame === undefined || LIBRARY.test(frame.file)) continue;
    const file =
      root && frame.file.startsWith(root) && frame.file.length > root.length
        ? frame.file.slice(root.length)
        : frame.file;
    const shown = frame.fn ? `${frame.fn} (${file})` : file;
    return shown.slice(0, MAX_FRAME_LENGTH);
  }
  return undefined;
}

function readFrame(line: string): { fn: string | undefined; file: string } | undefined {
  const v8 = V8_FRAME.exec(line);
  if (v8?.[2]) return { fn: v8[1]?.trim() || undefined, file: v8[2].trim() };
  const php = PHP_FRAME.exec(line);
  if (php?.[1]) return { fn: php[2]?.trim() || undefined, file: php[1].trim() };
  return undefined;
}
