/** The collector's named errors. HTTP error codes live in `api/errors.ts`. */

/** A flag or environment variable has an invalid value; `option` names it. */
export class CollectorConfigError extends Error {
  override readonly name = 'CollectorConfigError';
  constructor(
    /** The flag and/or variable, e.g. `--port / PORT`. */
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}
