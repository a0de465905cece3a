/** The server's named errors. */

/** An option has an invalid value; `option` names it. */
export class PulseWebConfigError extends Error {
  override readonly name = 'PulseWebConfigError';
  constructor(
    /** The option, e.g. `collectorUrl`. */
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}
