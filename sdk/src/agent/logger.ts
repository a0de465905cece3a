/** The default logger: OTel `diag`, so problems surface wherever the app routes diagnostics. */
import { diag } from '@opentelemetry/api';
import type { QuasarLogger } from '../options/types';

export function defaultLogger(): QuasarLogger {
  const component = diag.createComponentLogger({ namespace: '@gravito/quasar' });
  return {
    debug: (m) => component.debug(m),
    info: (m) => component.info(m),
    warn: (m) => component.warn(m),
    error: (m) => component.error(m),
  };
}

/** Logs the first failure of an outage and the recovery, not every failed tick. */
export class OutageLog {
  private down = false;

  constructor(
    private readonly logger: QuasarLogger,
    private readonly what: string,
    /** What happens next, for the first failure's message. */
    private readonly retrying = 'retrying every beat',
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`${this.what} failed: ${reason}; ${this.retrying}`);
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info(`${this.what} resumed`);
  }
}
