/**
 * `sqs`: an Amazon SQS queue, read with `GetQueueAttributes`. Waiting, in-flight and delayed
 * messages come from the queue itself; `failed` is what waits in its dead-letter queue, when the
 * redrive policy names one. SQS counts are approximate and settle within about a minute.
 *
 * The probe never receives a message (that would change its visibility), so it has no failed
 * sample, and no oldest-waiting age (SQS exposes that only through CloudWatch).
 */
import { countOf } from '../../failed-sample';
import { checkKnownOptions, optionError, stringOption } from '../../probe-options';
import type { ProbeReading, ProbeType, QueueProbe } from '../../types';
import { deadLetterArn, SqsApi } from './api';
import { connectSqs } from './client';

const QUEUE_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'RedrivePolicy',
];
const DLQ_ATTRIBUTES = ['ApproximateNumberOfMessages'];

/** A dead-letter queue: the ARN in the redrive policy, and the URL `GetQueueUrl` gave for it. */
interface DeadLetterQueue {
  arn: string;
  url: string;
}

class SqsQueueProbe implements QueueProbe {
  readonly driver = 'sqs';
  private dlq: DeadLetterQueue | undefined;

  constructor(
    readonly queue: string,
    private readonly api: SqsApi,
    private url: string | undefined,
    private readonly urlGiven: boolean,
  ) {}

  async read(): Promise<ProbeReading> {
    try {
      const url = (this.url ??= await this.api.queueUrl(this.queue));
      const cached = this.dlq;
      // Steady state is one round of two concurrent requests: the DLQ's URL is known from the
      // previous read, and checked below against the policy just read.
      const [attributes, dlqAttributes] = await Promise.all([
        this.api.attributes(url, QUEUE_ATTRIBUTES),
        cached ? this.api.attributes(cached.url, DLQ_ATTRIBUTES) : undefined,
      ]);
      const size = {
        waiting: countOf(attributes.ApproximateNumberOfMessages),
        active: countOf(attributes.ApproximateNumberOfMessagesNotVisible),
        failed: 0,
        delayed: countOf(attributes.ApproximateNumberOfMessagesDelayed),
      };
      const arn = deadLetterArn(attributes.RedrivePolicy);
      this.dlq = arn === undefined ? undefined : await this.deadLetterQueue(arn, cached);
      if (this.dlq) {
        const counts =
          this.dlq === cached && dlqAttributes
            ? dlqAttributes
            : await this.api.attributes(this.dlq.url, DLQ_ATTRIBUTES);
        size.failed = countOf(counts.ApproximateNumberOfMessages);
      }
      return { size };
    } catch (error) {
      // Resolve again next time: the queue or its dead-letter queue may have been recreated.
      this.dlq = undefined;
      if (!this.urlGiven) this.url = undefined;
      throw error;
    }
  }

  close(): void {
    this.api.close();
  }

  /** The cached dead-letter queue while the policy still names it; otherwise resolves it. */
  private async deadLetterQueue(
    arn: string,
    cached: DeadLetterQueue | undefined,
  ): Promise<DeadLetterQueue> {
    if (cached?.arn === arn) return cached;
    return { arn, url: await this.api.deadLetterUrl(arn) };
  }
}

/**
 * Reads an SQS queue. Options: `queueUrl` (else resolved from the queue's name with
 * `GetQueueUrl`), and `region` and `endpoint`, or `client`, an existing `SQSClient`.
 */
export const sqsProbe: ProbeType = {
  type: 'sqs',
  usesRedis: false,
  options: ['queueUrl', 'region', 'endpoint', 'client'],
  create(queue, options): QueueProbe {
    checkKnownOptions(queue, this, options);
    const queueUrl = stringOption(queue, 'sqs', options, 'queueUrl');
    if (queueUrl !== undefined && !URL.canParse(queueUrl)) {
      const example = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
      throw optionError(queue, 'sqs', 'queueUrl', `an absolute URL such as "${example}"`);
    }
    const api = new SqsApi(queue, connectSqs(queue, options));
    return new SqsQueueProbe(queue, api, queueUrl, queueUrl !== undefined);
  },
};
