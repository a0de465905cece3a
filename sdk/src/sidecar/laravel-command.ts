/**
 * Which processes are Laravel queue workers, decided from their arguments alone.
 *
 * The rule: the program (`argv[0]`) is a PHP interpreter, i.e. its file name starts with
 * `php` (`php`, `/usr/bin/php8.3`, `php-cli`), and after it comes an `artisan` script (any
 * path) whose command is one of `WORKER_COMMANDS`; options before the command
 * (`artisan --env=prod queue:work`) are skipped. Not counted: Horizon's master (`horizon`) and
 * supervisors (`horizon:supervisor`), which only manage `horizon:work` processes; shell
 * wrappers (`sh -c "php artisan queue:work"`, one argument); and `docker exec … php artisan …`
 * clients, whose program is not PHP.
 */
import { basename } from 'node:path';

/** The artisan commands that run jobs. */
export const WORKER_COMMANDS = ['queue:work', 'queue:listen', 'horizon:work'] as const;
/** One of `WORKER_COMMANDS`. */
export type WorkerCommand = (typeof WORKER_COMMANDS)[number];

const PHP = /^php/;

/** The worker command of a Laravel queue worker's arguments, or undefined for any other process. */
export function workerCommandOf(argv: readonly string[]): WorkerCommand | undefined {
  const program = argv[0];
  if (program === undefined || !PHP.test(basename(program))) return undefined;
  const artisan = argv.findIndex((arg, i) => i > 0 && basename(arg) === 'artisan');
  if (artisan < 0) return undefined;
  const command = argv.slice(artisan + 1).find((arg) => !arg.startsWith('-'));
  return WORKER_COMMANDS.find((c) => c === command);
}
