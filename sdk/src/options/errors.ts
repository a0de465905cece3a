/** The SDK's named errors. */

/** An option (or the environment variable standing in for it) has an invalid value. */
export class QuasarConfigError extends Error {
  override readonly name = 'QuasarConfigError';
  constructor(
    /** The option's name, e.g. `interval` or `transport.url`. */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}
