/**
 * The sqs probe against ElasticMQ, a real SQS emulator: the counts GetQueueAttributes reports,
 * the dead-letter queue as `failed`, queue URLs resolved by name, option errors, and SQS gone.
 * Credentials and region come from the AWS SDK's default chain, fed by fake environment values.
 */
import { CreateQueueCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sqsProbe } from '../../../../src/queues/drivers/sqs/probe';
import type { ProbeOptions, QueueProbe } from '../../../../src/queues/types';
import { describeWithElasticMq, startElasticMq } from '../../../../../testing/elasticmq';
import { eventually } from '../../../../../testing/redis';
import { configErrorOf } from '../../../support/config-error';
import { useSqsAdmin } from '../../../support/sqs-admin';

const context = { redis: undefined, nowMs: 0 };

describe('sqsProbe options', () => {
  const create = (options: ProbeOptions) => () => sqsProbe.create('orders', options);

  it('rejects an unknown option by name, listing the ones it takes', () => {
    const error = configErrorOf(create({ queueURL: 'http://127.0.0.1:9324/000000000000/orders' }));
    expect(error.option).toBe('queueURL');
    expect(error.message).toMatch(/unknown option "queueURL" \(sqs takes: queueUrl, region/);
  });

  it('rejects a queueUrl that is not a string, or not a URL, naming queueUrl', () => {
    const notString = configErrorOf(create({ queueUrl: 42 }));
    expect(notString.option).toBe('queueUrl');
    expect(notString.message).toMatch(/option "queueUrl" must be a string, got number/);
    expect(configErrorOf(create({ queueUrl: 'orders' })).option).toBe('queueUrl');
  });

  it('rejects an endpoint that is not a URL and an empty region, naming each', () => {
    expect(configErrorOf(create({ endpoint: 'localhost' })).option).toBe('endpoint');
    expect(configErrorOf(create({ region: '' })).option).toBe('region');
  });

  it('rejects a client that is not an SQSClient, or given with region or endpoint', () => {
    const client = new SQSClient({ region: 'us-east-1' });
    try {
      expect(configErrorOf(create({ client: { send: 'no' } })).option).toBe('client');
      expect(configErrorOf(create({ client, region: 'eu-west-1' })).option).toBe('region');
      expect(configErrorOf(create({ client, endpoint: 'http://127.0.0.1:1' })).option).toBe(
        'endpoint',
      );
    } finally {
      client.destroy();
    }
  });

  it('names the package to install when @aws-sdk/client-sqs is missing', () => {
    // The package is installed here, so its absence is simulated the way Node reports it.
    jest.doMock('@aws-sdk/client-sqs', () => {
      throw Object.assign(new Error("Cannot find module '@aws-sdk/client-sqs'"), {
        code: 'MODULE_NOT_FOUND',
      });
    });
    try {
      const error = configErrorOf(create({ region: 'us-east-1' }));
      expect(error.message).toMatch(/needs the package @aws-sdk\/client-sqs/);
      expect(error.message).toMatch(/npm install @aws-sdk\/client-sqs/);
    } finally {
      jest.dontMock('@aws-sdk/client-sqs');
    }
  });
});

describeWithElasticMq()('sqsProbe (real ElasticMQ)', () => {
  const sqs = useSqsAdmin();
  const { unique, createQueue, attributes, sendMessages, receive } = sqs;
  const emq = {
    get endpoint() {
      return sqs.endpoint();
    },
  };
  const probes: QueueProbe[] = [];
  const probe = (queue: string, options: ProbeOptions) => {
    const created = sqsProbe.create(queue, options);
    probes.push(created);
    return created;
  };
  afterEach(() => probes.splice(0).forEach((p) => p.close?.()));

  it('reports waiting, in-flight, delayed and dead-lettered messages as GetQueueAttributes does', async () => {
    const dlqUrl = await createQueue(unique('orders-dlq'));
    const dlqArn = (await attributes(dlqUrl)).QueueArn as string;
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 });
    const url = await createQueue(unique('orders'), { RedrivePolicy: redrivePolicy });

    // Two poison messages: each receive makes them visible again at once (VisibilityTimeout 0),
    // and the receive after the first moves them to the DLQ, as they reached maxReceiveCount.
    await sendMessages(url, 2);
    await eventually(
      async () => {
        await receive(url, 10, 0);
        return (await attributes(dlqUrl)).ApproximateNumberOfMessages === '2' || undefined;
      },
      10_000,
      'two messages in the dead-letter queue',
    );

    // Three jobs, two of them taken by a worker (in flight), then more waiting and delayed ones.
    await sendMessages(url, 3);
    let inFlight = 0;
    await eventually(async () => {
      inFlight += (await receive(url, 2 - inFlight, 600)).length;
      return inFlight === 2 || undefined;
    });
    await sendMessages(url, 2);
    await sendMessages(url, 4, 600);

    const independent = async () => {
      const [queue, dlq] = await Promise.all([attributes(url), attributes(dlqUrl)]);
      return {
        waiting: Number(queue.ApproximateNumberOfMessages),
        active: Number(queue.ApproximateNumberOfMessagesNotVisible),
        failed: Number(dlq.ApproximateNumberOfMessages),
        delayed: Number(queue.ApproximateNumberOfMessagesDelayed),
      };
    };
    const expected = { waiting: 3, active: 2, failed: 2, delayed: 4 };
    expect(await independent()).toEqual(expected);

    const orders = probe('orders', { queueUrl: url, endpoint: emq.endpoint });
    expect(await orders.read(context)).toEqual({ size: expected });
    // A second read uses the dead-letter queue's URL resolved by the first.
    expect(await orders.read(context)).toEqual({ size: await independent() });
    expect(orders.driver).toBe('sqs');
  });

  it('resolves the queue URL from the queue name, and reports failed 0 without a DLQ', async () => {
    const name = unique('invoices');
    const url = await createQueue(name);
    await sendMessages(url, 1);
    const invoices = probe(name, { endpoint: emq.endpoint });
    expect(await invoices.read(context)).toEqual({
      size: { waiting: 1, active: 0, failed: 0, delayed: 0 },
    });
  });

  it('reads through a given client, and leaves it open on close', async () => {
    const name = unique('emails');
    await createQueue(name);
    const client = new SQSClient({ endpoint: emq.endpoint });
    try {
      const emails = probe(name, { client });
      expect((await emails.read(context)).size.waiting).toBe(0);
      emails.close?.();
      const again = await client.send(new GetQueueUrlCommand({ QueueName: name }));
      expect(again.QueueUrl).toBe(`${emq.endpoint}/000000000000/${name}`);
    } finally {
      client.destroy();
    }
  });

  it('rejects with an error naming the queue when it does not exist, by name or by URL', async () => {
    const byName = probe('no-such-queue', { endpoint: emq.endpoint });
    await expect(byName.read(context)).rejects.toThrow(
      /^sqs queue "no-such-queue": GetQueueUrl for "no-such-queue": .*(NonExistentQueue|QueueDoesNotExist)/,
    );
    const queueUrl = `${emq.endpoint}/000000000000/no-such-queue`;
    const byUrl = probe('no-such-queue', { queueUrl, endpoint: emq.endpoint });
    await expect(byUrl.read(context)).rejects.toThrow(
      /^sqs queue "no-such-queue": GetQueueAttributes on .*(NonExistentQueue|QueueDoesNotExist)/,
    );
  });

  it('rejects instead of hanging once SQS is gone', async () => {
    const doomed = await startElasticMq();
    try {
      const client = new SQSClient({ endpoint: doomed.endpoint });
      const created = await client.send(new CreateQueueCommand({ QueueName: 'reports' }));
      client.destroy();
      const reports = probe('reports', { queueUrl: created.QueueUrl, endpoint: doomed.endpoint });
      expect((await reports.read(context)).size.waiting).toBe(0);
      await doomed.stop();
      await expect(reports.read(context)).rejects.toThrow(
        /^sqs queue "reports": GetQueueAttributes on /,
      );
    } finally {
      await doomed.stop();
    }
  }, 60_000);
});
