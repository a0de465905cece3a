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

/** A method exists for 1.0 compatibility but its feature has not shipped in this version. */
export class QuasarNotImplementedError extends Error {
  override readonly name = 'QuasarNotImplementedError';
  constructor(readonly method: string) {
    super(`${method} is not implemented in this version of @gravito/quasar yet`);
  }
}
