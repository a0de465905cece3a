/**
 * The SQS executors against ElasticMQ, a real SQS emulator: retry as a dead-letter redrive
 * (`StartMessageMoveTask`), delete as a purge of the dead-letter queue, and the commands SQS
 * cannot carry out, rejected with a reason. Credentials and region come from the AWS SDK's
 * default chain, fed by fake environment values.
 */
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsDeleteExecutor } from '../../../../src/queues/drivers/sqs/delete';
import { sqsRetryExecutor } from '../../../../src/queues/drivers/sqs/retry';
import { CommandRejectedError } from '../../../../src/commands/executor';
import type { CommandExecutor, ExecutionTarget } from '../../../../src/commands/executor';
import type { SqsClient } from '../../../../src/queues/drivers/sqs/client';
import type { ProbeOptions } from '../../../../src/queues/types';
import { describeWithElasticMq } from '../../../../../testing/elasticmq';
import { eventually } from '../../../../../testing/redis';
import { useSqsAdmin } from '../../../support/sqs-admin';

const allFailed = (queue: string, maxJobs = 1000): ExecutionTarget => ({
  queue,
  scope: 'all-failed',
  maxJobs,
});

const run = (executor: CommandExecutor, options: ProbeOptions, target: ExecutionTarget) =>
  executor.execute({ redis: undefined, options }, target);

/** A client that records what it is asked to send, and sends nothing. */
class RecordingClient implements SqsClient {
  readonly sent: unknown[] = [];
  send(command: unknown): Promise<unknown> {
    this.sent.push(command);
    return Promise.reject(new Error('this client sends nothing'));
  }
  destroy(): void {}
}

describe('the SQS executors on one message', () => {
  const oneJob: ExecutionTarget = { queue: 'orders', scope: 'job', jobId: 'm-1', maxJobs: 1000 };

  it('reject a retry of one message, since a redrive moves all of them, sending nothing', async () => {
    const client = new RecordingClient();
    await expect(run(sqsRetryExecutor, { client }, oneJob)).rejects.toThrow(
      new CommandRejectedError(
        'SQS cannot retry one message: a dead-letter redrive moves all of them; use scope all-failed',
      ),
    );
    expect(client.sent).toEqual([]);
  });

  it('reject a delete of one message, since it would have to be received, sending nothing', async () => {
    const client = new RecordingClient();
    const rejection = run(sqsDeleteExecutor, { client }, oneJob);
    await expect(rejection).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(rejection).rejects.toThrow(/cannot delete one message without receiving it/);
    expect(client.sent).toEqual([]);
  });

  it('serve the sqs type, one verb each', () => {
    expect([sqsRetryExecutor, sqsDeleteExecutor].map((e) => [e.type, e.verb])).toEqual([
      ['sqs', 'retry'],
      ['sqs', 'delete'],
    ]);
  });
});

describeWithElasticMq()('the SQS executors (real ElasticMQ)', () => {
  const sqs = useSqsAdmin();
  const { unique, createQueue, attributes, sendMessages, receive } = sqs;
  const emq = {
    get endpoint() {
      return sqs.endpoint();
    },
  };
  const counts = async (url: string) => {
    const a = await attributes(url);
    return {
      visible: Number(a.ApproximateNumberOfMessages),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
    };
  };
  const moveTasks = async (sourceArn: string) =>
    (await sqs.client().send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }))).Results ??
    [];

  /** A queue whose dead-letter queue holds `failed` messages, each received once and given up. */
  const queueWithFailures = async (failed: number) => {
    const name = unique('orders');
    const dlqUrl = await createQueue(`${name}-dlq`);
    const dlqArn = (await attributes(dlqUrl)).QueueArn as string;
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 });
    const url = await createQueue(name, { RedrivePolicy: redrivePolicy });
    const queueArn = (await attributes(url)).QueueArn as string;
    if (failed > 0) {
      await sendMessages(url, failed);
      // Each receive makes the messages visible again at once (VisibilityTimeout 0); the receive
      // after the first moves them to the DLQ, as they reached maxReceiveCount.
      await eventually(
        async () => {
          await receive(url, 10, 0);
          return (await counts(dlqUrl)).visible === failed || undefined;
        },
        10_000,
        `${failed} messages in the dead-letter queue`,
      );
    }
    return { name, url, queueArn, dlqUrl, dlqArn };
  };

  describe('retry', () => {
    it('redrives the dead-letter queue into the queue, reporting how many it held', async () => {
      const orders = await queueWithFailures(3);
      const options = { queueUrl: orders.url, endpoint: emq.endpoint };
      expect(await run(sqsRetryExecutor, options, allFailed(orders.name))).toEqual({ affected: 3 });

      // The move is asynchronous: the messages arrive in the queue shortly after.
      await eventually(
        async () => ((await counts(orders.url)).visible === 3 ? true : undefined),
        10_000,
        'the three messages back in the queue',
      );
      expect(await counts(orders.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
      const [task, ...others] = await moveTasks(orders.dlqArn);
      expect(others).toEqual([]);
      expect(task).toMatchObject({ SourceArn: orders.dlqArn, DestinationArn: orders.queueArn });
    });

    it('finds the queue by its name when no queueUrl is given', async () => {
      const orders = await queueWithFailures(1);
      const affected = await run(
        sqsRetryExecutor,
        { endpoint: emq.endpoint },
        allFailed(orders.name),
      );
      expect(affected).toEqual({ affected: 1 });
      await eventually(async () => ((await counts(orders.url)).visible === 1 ? true : undefined));
    });

    it('affects nothing and starts no move task when the dead-letter queue is empty', async () => {
      const orders = await queueWithFailures(0);
      const options = { queueUrl: orders.url, endpoint: emq.endpoint };
      expect(await run(sqsRetryExecutor, options, allFailed(orders.name))).toEqual({ affected: 0 });
      expect(await moveTasks(orders.dlqArn)).toEqual([]);
    });

    it('rejects a queue without a dead-letter queue', async () => {
      const name = unique('invoices');
      const url = await createQueue(name);
      await sendMessages(url, 1);
      await expect(
        run(sqsRetryExecutor, { queueUrl: url, endpoint: emq.endpoint }, allFailed(name)),
      ).rejects.toThrow(new CommandRejectedError('queue has no dead-letter queue'));
      expect(await counts(url)).toEqual({ visible: 1, inFlight: 0 });
    });

    it('rejects more failed messages than the command may touch, and moves none', async () => {
      const orders = await queueWithFailures(3);
      const options = { queueUrl: orders.url, endpoint: emq.endpoint };
      const rejection = run(sqsRetryExecutor, options, allFailed(orders.name, 2));
      await expect(rejection).rejects.toBeInstanceOf(CommandRejectedError);
      await expect(rejection).rejects.toThrow(/about 3 messages, more than .* maximum of 2/);
      expect(await moveTasks(orders.dlqArn)).toEqual([]);
      expect(await counts(orders.dlqUrl)).toEqual({ visible: 3, inFlight: 0 });
    });

    it('rejects a retry of one message and leaves the dead-letter queue as it was', async () => {
      const orders = await queueWithFailures(2);
      const target: ExecutionTarget = { queue: orders.name, scope: 'job', jobId: 'x', maxJobs: 9 };
      await expect(
        run(sqsRetryExecutor, { queueUrl: orders.url, endpoint: emq.endpoint }, target),
      ).rejects.toBeInstanceOf(CommandRejectedError);
      expect(await moveTasks(orders.dlqArn)).toEqual([]);
      expect(await counts(orders.dlqUrl)).toEqual({ visible: 2, inFlight: 0 });
    });
  });

  describe('delete', () => {
    it('purges the dead-letter queue, counting messages in flight, and leaves the queue alone', async () => {
      const orders = await queueWithFailures(3);
      // One failed message is being looked at by a DLQ consumer: a purge deletes it too.
      expect(await receive(orders.dlqUrl, 1, 600)).toHaveLength(1);
      await sendMessages(orders.url, 1);
      const options = { queueUrl: orders.url, endpoint: emq.endpoint };

      expect(await run(sqsDeleteExecutor, options, allFailed(orders.name))).toEqual({
        affected: 3,
      });
      await eventually(
        async () => {
          const { visible, inFlight } = await counts(orders.dlqUrl);
          return visible + inFlight === 0 || undefined;
        },
        10_000,
        'an empty dead-letter queue',
      );
      expect(await counts(orders.url)).toEqual({ visible: 1, inFlight: 0 });
    });

    it('rejects a queue without a dead-letter queue, and deletes nothing', async () => {
      const name = unique('invoices');
      const url = await createQueue(name);
      await sendMessages(url, 2);
      await expect(
        run(sqsDeleteExecutor, { queueUrl: url, endpoint: emq.endpoint }, allFailed(name)),
      ).rejects.toThrow(new CommandRejectedError('queue has no dead-letter queue'));
      expect(await counts(url)).toEqual({ visible: 2, inFlight: 0 });
    });

    it('rejects more failed messages than the command may touch, and deletes none', async () => {
      const orders = await queueWithFailures(2);
      const options = { queueUrl: orders.url, endpoint: emq.endpoint };
      await expect(run(sqsDeleteExecutor, options, allFailed(orders.name, 1))).rejects.toThrow(
        /about 2 messages, more than .* maximum of 1/,
      );
      expect(await counts(orders.dlqUrl)).toEqual({ visible: 2, inFlight: 0 });
    });

    // ElasticMQ does not enforce SQS's one-purge-per-60-seconds limit, so this client, given
    // through the `client` option, stands in for it: it sends everything to ElasticMQ except
    // PurgeQueue, which it answers with the SDK's own PurgeQueueInProgress error, as SQS does.
    it('rejects a purge within 60 seconds of the last one (rate limit stood in by the client)', async () => {
      const orders = await queueWithFailures(1);
      const real = new SQSClient({ endpoint: emq.endpoint });
      const rateLimited: SqsClient = {
        send: (command, options) =>
          command instanceof PurgeQueueCommand
            ? Promise.reject(
                new PurgeQueueInProgress({ message: 'Only one PurgeQueue allowed', $metadata: {} }),
              )
            : real.send(command as Parameters<SQSClient['send']>[0], options),
        destroy: () => real.destroy(),
      };
      try {
        const rejection = run(sqsDeleteExecutor, { client: rateLimited }, allFailed(orders.name));
        await expect(rejection).rejects.toBeInstanceOf(CommandRejectedError);
        await expect(rejection).rejects.toThrow(/one purge of a queue per 60 seconds/);
        expect(await counts(orders.dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
        // The client was the application's, so the executor left it open.
        await expect(
          real.send(new GetQueueAttributesCommand({ QueueUrl: orders.url })),
        ).resolves.toBeDefined();
      } finally {
        real.destroy();
      }
    });
  });
});
