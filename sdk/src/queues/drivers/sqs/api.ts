/**
 * The SQS reads the `sqs` probe and executors share, `GetQueueUrl` and `GetQueueAttributes`:
 * each bounded in time, its reply validated, and its error reworded to name the queue.
 */
import type { SqsConnection } from './client';

/** Each request is abandoned after this long, retries included, so a read never hangs. */
export const SQS_REQUEST_TIMEOUT_MS = 5_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The dead-letter queue's ARN from a `RedrivePolicy` attribute (a JSON string), if any. */
export function deadLetterArn(policy: unknown): string | undefined {
  if (typeof policy !== 'string' || policy === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return undefined;
  }
  const arn = (parsed as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  return typeof arn === 'string' && arn !== '' ? arn : undefined;
}

/** SQS as seen by the probe of one queue. */
export class SqsApi {
  constructor(
    /** The monitored queue's name, for error messages. */
    private readonly queue: string,
    private readonly connection: SqsConnection,
  ) {}

  /** The queue's attributes named in `names`, as SQS returned them (strings). */
  async attributes(url: string, names: string[]): Promise<Record<string, unknown>> {
    const { GetQueueAttributesCommand } = this.connection.sqs;
    const command = new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names });
    const reply = await this.send(`GetQueueAttributes on ${url}`, command);
    return isRecord(reply.Attributes) ? reply.Attributes : {};
  }

  /** The URL of the queue called `name`, owned by the account `owner` when given. */
  async queueUrl(name: string, owner?: string): Promise<string> {
    const { GetQueueUrlCommand } = this.connection.sqs;
    const action = `GetQueueUrl for ${JSON.stringify(name)}`;
    const command = new GetQueueUrlCommand({
      QueueName: name,
      ...(owner !== undefined && { QueueOwnerAWSAccountId: owner }),
    });
    const reply = await this.send(action, command);
    if (typeof reply.QueueUrl !== 'string' || reply.QueueUrl === '') {
      throw this.error(`${action} returned no URL`);
    }
    return reply.QueueUrl;
  }

  /**
   * The URL of the dead-letter queue `arn:<partition>:sqs:<region>:<account>:<name>` (a DLQ
   * lives in its queue's region, so the name and the owning account find it).
   */
  async deadLetterUrl(arn: string): Promise<string> {
    const [, , , , account, name] = arn.split(':');
    if (!account || !name) throw this.error(`unexpected deadLetterTargetArn ${arn}`);
    return this.queueUrl(name, account);
  }

  /** Destroys the client if the probe created it; a client the application gave stays open. */
  close(): void {
    if (this.connection.owned) this.connection.client.destroy();
  }

  /** An error about this queue: `sqs queue "orders": …`. */
  error(message: string, cause?: unknown): Error {
    return new Error(`sqs queue ${JSON.stringify(this.queue)}: ${message}`, { cause });
  }

  private async send(action: string, command: unknown): Promise<Record<string, unknown>> {
    try {
      const reply = await this.connection.client.send(command, {
        abortSignal: AbortSignal.timeout(SQS_REQUEST_TIMEOUT_MS),
      });
      return isRecord(reply) ? reply : {};
    } catch (error) {
      throw this.error(`${action}: ${describeError(error)}`, error);
    }
  }
}
