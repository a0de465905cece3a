/**
 * What the remote-control benchmark sends and waits for: a failed job's element, a signed
 * `RETRY_JOB` as the collector issues it, and one SUBSCRIBEd connection that hands each
 * published result to the command waiting for it.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { signCommand } from '../src/commands/signature';
import type { QuasarCommand } from '../src/schema/command';

/** The plain `redis` list queue every command retries a job of. */
export const QUEUE = 'jobs';

/** How long one command may take before the benchmark gives up on it. */
const RESULT_DEADLINE_MS = 5000;

/**
 * A failed job as a plain list queue stores it: a JSON object whose `id` is `jobId`, which is
 * what the `redis` executor matches on (see `list-delete.ts`). ≈ 110 bytes.
 */
export function failedElement(jobId: string): string {
  return JSON.stringify({
    id: jobId,
    name: 'send-email',
    data: { to: 'a@example.com' },
    attempts: 3,
  });
}

/** A fresh `RETRY_JOB` of job `jobId` for `targetNodeId`, signed with `token`. */
export function retryCommand(targetNodeId: string, jobId: string, token: string): QuasarCommand {
  const now = Date.now();
  return signCommand(
    {
      id: jobId,
      type: 'RETRY_JOB',
      targetNodeId,
      payload: { queue: QUEUE, jobKey: jobId, driver: 'redis', jobId },
      timestamp: now,
      expiresAt: now + 60_000,
      issuer: 'quasar-collector',
    },
    token,
  );
}

/** A new job id: the command's id is the same UUID, which keeps the two easy to match. */
export const newJobId = (): string => randomUUID();

/** The fields of a published result the benchmark reads. */
interface PublishedResult {
  commandId: string;
  status: string;
  reason?: string;
}

/** Resolves each command's wait when its result arrives on one of the given channels. */
export class ResultWaiter {
  private readonly waiting = new Map<string, (result: PublishedResult) => void>();

  constructor(private readonly subscriber: Redis) {
    subscriber.on('message', (_channel: string, message: string) => {
      const result = JSON.parse(message) as PublishedResult;
      this.waiting.get(result.commandId)?.(result);
    });
  }

  /** Subscribes on `channels`; resolves once subscribed. */
  async listen(...channels: string[]): Promise<void> {
    await this.subscriber.subscribe(...channels);
  }

  /**
   * Starts waiting for the result of `commandId`: call it before sending the command.
   * @returns a promise of the result, rejected after a deadline.
   */
  resultOf(commandId: string): Promise<PublishedResult> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(commandId);
        reject(new Error(`no result for ${commandId} within ${RESULT_DEADLINE_MS} ms`));
      }, RESULT_DEADLINE_MS);
      this.waiting.set(commandId, (result) => {
        clearTimeout(timer);
        this.waiting.delete(commandId);
        resolve(result);
      });
    });
  }
}
