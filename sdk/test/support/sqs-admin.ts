/**
 * What the SQS suites share: a real ElasticMQ for the suite, the AWS default chain fed with fake
 * credentials (restored afterwards), and an admin client to set queues up and read them back
 * independently of the code under test. Call it inside the suite's `describe`.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startElasticMq } from '../../../testing/elasticmq';
import type { ElasticMq } from '../../../testing/elasticmq';

/** ElasticMQ accepts any credentials; these only make the default chain resolve. */
const FAKE_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'quasar-test-key',
  AWS_SECRET_ACCESS_KEY: 'quasar-test-secret',
  AWS_REGION: 'us-east-1',
} as const;

export interface SqsAdmin {
  /** The emulator's endpoint, once the suite has started. */
  endpoint: () => string;
  /** The admin client, once the suite has started. */
  client: () => SQSClient;
  /** `name-1`, `name-2`, …: queue names no other test of the suite uses. */
  unique: (name: string) => string;
  createQueue: (name: string, attributes?: Record<string, string>) => Promise<string>;
  attributes: (url: string) => Promise<Record<string, string>>;
  sendMessages: (url: string, count: number, delaySeconds?: number) => Promise<unknown>;
  /** Receives up to `max` messages, hidden for `visibilityTimeout` seconds. */
  receive: (url: string, max: number, visibilityTimeout: number) => Promise<unknown[]>;
}

/** Registers the suite's `beforeAll`/`afterAll` and returns the admin helpers. */
export function useSqsAdmin(): SqsAdmin {
  let emq: ElasticMq | undefined;
  let admin: SQSClient | undefined;
  const savedEnv: Record<string, string | undefined> = {};
  let serial = 0;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(FAKE_AWS_ENV)) {
      savedEnv[name] = process.env[name];
      process.env[name] = value;
    }
    emq = await startElasticMq();
    admin = new SQSClient({ endpoint: emq.endpoint });
  }, 60_000);

  afterAll(async () => {
    admin?.destroy();
    await emq?.stop();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const client = (): SQSClient => {
    if (!admin) throw new Error('useSqsAdmin: the suite has not started');
    return admin;
  };

  return {
    endpoint: () => {
      if (!emq) throw new Error('useSqsAdmin: the suite has not started');
      return emq.endpoint;
    },
    client,
    unique: (name) => `${name}-${++serial}`,
    createQueue: async (name, attributes) =>
      (await client().send(new CreateQueueCommand({ QueueName: name, Attributes: attributes })))
        .QueueUrl as string,
    attributes: async (url) =>
      (
        await client().send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
        )
      ).Attributes ?? {},
    sendMessages: (url, count, delaySeconds) =>
      client().send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: count }, (_, i) => ({
            Id: `m${i}`,
            MessageBody: `job ${i}`,
            DelaySeconds: delaySeconds,
          })),
        }),
      ),
    receive: async (url, max, visibilityTimeout) =>
      (
        await client().send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: max,
            VisibilityTimeout: visibilityTimeout,
          }),
        )
      ).Messages ?? [],
  };
}
