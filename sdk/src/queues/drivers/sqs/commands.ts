/**
 * What the SQS executors share: the probe's connection and URL resolution, the queue's
 * dead-letter queue found through its redrive policy, and the two writes the executors make,
 * `StartMessageMoveTask` and `PurgeQueue`, each bounded in time and reworded like the probe's.
 */
import { CommandRejectedError } from '../../../commands/executor';
import { countOf } from '../../failed-sample';
import { stringOption } from '../../probe-options';
import type { ProbeOptions } from '../../types';
import { deadLetterArn, SQS_REQUEST_TIMEOUT_MS, SqsApi } from './api';
import { SQS_PACKAGE, connectSqs } from './client';
import type { SqsConnection } from './client';

/** The constructors the executors take from `@aws-sdk/client-sqs`, on top of the probe's. */
interface SqsWriteModule {
  StartMessageMoveTaskCommand: new (input: {
    SourceArn: string;
    DestinationArn: string;
  }) => unknown;
  PurgeQueueCommand: new (input: { QueueUrl: string }) => unknown;
}

/** A queue with a dead-letter queue, as the executors address them. */
export interface DeadLetteredQueue {
  /** The queue's own ARN (its `QueueArn` attribute). */
  queueArn: string;
  /** The dead-letter queue's ARN, from the queue's `RedrivePolicy`. */
  dlqArn: string;
  /** The dead-letter queue's URL, resolved with `GetQueueUrl`. */
  dlqUrl: string;
}

/**
 * Rejects a command whose `count` messages exceed its `maxJobs`: SQS moves or purges a whole
 * queue, so the only way to honour the bound is not to start.
 */
export function checkBound(count: number, maxJobs: number, verb: string): void {
  if (count <= maxJobs) return;
  throw new CommandRejectedError(
    `the dead-letter queue holds about ${count} messages, more than this command's maximum ` +
      `of ${maxJobs}; SQS can only ${verb} all of them at once`,
  );
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** One command's access to SQS for one queue; `close()` it when the command is done. */
export class SqsCommands {
  private readonly api: SqsApi;

  private constructor(
    private readonly queue: string,
    private readonly options: ProbeOptions,
    private readonly connection: SqsConnection,
  ) {
    this.api = new SqsApi(queue, connection);
  }

  /**
   * Connects with the queue's `monitorQueue()` options (`queueUrl`, `region`, `endpoint`,
   * `client`), as its probe does.
   * @throws QuasarConfigError naming a bad option, or the missing package.
   */
  static open(queue: string, options: ProbeOptions): SqsCommands {
    return new SqsCommands(queue, options, connectSqs(queue, options));
  }

  /**
   * The queue's ARN and its dead-letter queue's ARN and URL.
   * @throws CommandRejectedError when the queue's redrive policy names no dead-letter queue.
   */
  async deadLetteredQueue(): Promise<DeadLetteredQueue> {
    const url =
      stringOption(this.queue, 'sqs', this.options, 'queueUrl') ??
      (await this.api.queueUrl(this.queue));
    const attributes = await this.api.attributes(url, ['QueueArn', 'RedrivePolicy']);
    const dlqArn = deadLetterArn(attributes.RedrivePolicy);
    if (dlqArn === undefined) throw new CommandRejectedError('queue has no dead-letter queue');
    const queueArn = attributes.QueueArn;
    if (typeof queueArn !== 'string' || queueArn === '') {
      throw this.api.error(`GetQueueAttributes on ${url} returned no QueueArn`);
    }
    return { queueArn, dlqArn, dlqUrl: await this.api.deadLetterUrl(dlqArn) };
  }

  /** The sum of the queue's approximate message counts named in `names`. */
  async approximateCount(url: string, names: string[]): Promise<number> {
    const attributes = await this.api.attributes(url, names);
    return names.reduce((sum, name) => sum + countOf(attributes[name]), 0);
  }

  /**
   * Starts an asynchronous move of every message in `sourceArn` to `destinationArn`, at the
   * rate SQS chooses (`MaxNumberOfMessagesPerSecond` unset).
   */
  async startMessageMove(sourceArn: string, destinationArn: string): Promise<void> {
    const { StartMessageMoveTaskCommand } = this.writeModule('StartMessageMoveTaskCommand');
    const input = { SourceArn: sourceArn, DestinationArn: destinationArn };
    await this.send(
      `StartMessageMoveTask from ${sourceArn}`,
      new StartMessageMoveTaskCommand(input),
    );
  }

  /**
   * Deletes every message in the queue at `url`.
   * @throws CommandRejectedError when a purge of that queue ran in the last 60 seconds.
   */
  async purge(url: string): Promise<void> {
    const { PurgeQueueCommand } = this.writeModule('PurgeQueueCommand');
    try {
      await this.send(`PurgeQueue on ${url}`, new PurgeQueueCommand({ QueueUrl: url }));
    } catch (error) {
      if ((error as { cause?: { name?: unknown } }).cause?.name === 'PurgeQueueInProgress') {
        throw new CommandRejectedError(
          'SQS allows one purge of a queue per 60 seconds, and the dead-letter queue was ' +
            'purged less than 60 seconds ago; try again later',
        );
      }
      throw error;
    }
  }

  /** Destroys the client if it was created here; a client the application gave stays open. */
  close(): void {
    this.api.close();
  }

  /** The installed package's constructor `name`, which versions before 2023 lack. */
  private writeModule<K extends keyof SqsWriteModule>(name: K): Pick<SqsWriteModule, K> {
    const module = this.connection.sqs as unknown as Partial<SqsWriteModule>;
    if (typeof module[name] !== 'function') {
      throw this.api.error(`the installed ${SQS_PACKAGE} has no ${name}; upgrade it`);
    }
    return module as Pick<SqsWriteModule, K>;
  }

  private async send(action: string, command: unknown): Promise<void> {
    try {
      await this.connection.client.send(command, {
        abortSignal: AbortSignal.timeout(SQS_REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw this.api.error(`${action}: ${describeError(error)}`, error);
    }
  }
}
