/**
 * The command listener: a dedicated SUBSCRIBE connection on exactly the node's channel and its
 * service's broadcast channel (never a pattern, so a sibling's commands never arrive here),
 * and a bounded queue that runs the received commands one at a time.
 */
import type { RedisClient } from '../../redis/redis-client';
import { duplicateRedisClient } from '../../redis/redis-client';
import { QuasarKeys } from '../../schema/keys';
import { readableId } from './command-decision';
import type { Delivery } from './command-decision';
import { runCommand, settle } from './command-runner';
import type { RunnerDeps } from './command-runner';
import { SeenCommands } from './seen-commands';
import type { ResolvedRemoteControl } from './remote-control-options';

/** Commands waiting to run, at most; beyond that a command is turned away. */
export const MAX_PENDING_COMMANDS = 100;

/** How long `start()` waits for the subscription before resolving and subscribing later. */
const SUBSCRIBE_WAIT_MS = 5000;

/** Listens for commands once started, and runs them with the latest configuration. */
export class CommandListener {
  private readonly channels: Readonly<Record<string, Delivery>>;
  private readonly pending: { raw: string; delivery: Delivery }[] = [];
  private subscriber: RedisClient | undefined;
  private starting: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private stopped = false;
  private readonly seen = new SeenCommands();

  constructor(
    service: string,
    private readonly deps: RunnerDeps,
    private config: ResolvedRemoteControl,
  ) {
    this.channels = {
      [QuasarKeys.commandChannel(service, deps.nodeId)]: 'node',
      [QuasarKeys.broadcastChannel(service)]: 'broadcast',
    };
  }

  /** Replaces the configuration; commands still waiting are decided under the new one. */
  configure(config: ResolvedRemoteControl): void {
    this.config = config;
  }

  /**
   * Subscribes on a duplicate of the transport connection (same credentials, database and
   * TLS; on a Redis Cluster, the same seeds, where a classic SUBSCRIBE hears a PUBLISH made on
   * any node). Resolves once subscribed, or after a few seconds when Redis is unreachable: the
   * subscription then happens when it connects. ioredis re-subscribes after every reconnect.
   */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.starting ??= this.subscribe();
    return this.starting;
  }

  private async subscribe(): Promise<void> {
    const subscriber = duplicateRedisClient(this.deps.transport, {
      lazyConnect: true,
      // A SUBSCRIBE issued while Redis is away waits for it, instead of failing once.
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      autoResubscribe: true,
      connectionName: 'quasar:commands',
    });
    this.subscriber = subscriber;
    // Without a listener, ioredis' 'error' would crash the host; the transport's own
    // connection already reports an outage of the same Redis.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    const subscribed = subscriber.subscribe(...Object.keys(this.channels)).then(
      () => true,
      (error: unknown) => {
        if (!this.stopped)
          this.deps.logger.warn(`remote control: SUBSCRIBE failed: ${String(error)}`);
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS);
      timer.unref();
    });
    const ok = await Promise.race([subscribed, waited]);
    clearTimeout(timer);
    if (!ok && !this.stopped) {
      this.deps.logger.warn(
        `remote control: not subscribed yet (commands connection is ${subscriber.status}); subscribing once Redis is reachable`,
      );
    }
  }

  private receive(channel: string, raw: string): void {
    const delivery = this.channels[channel];
    if (delivery === undefined || this.stopped) return;
    if (this.pending.length < MAX_PENDING_COMMANDS) {
      this.pending.push({ raw, delivery });
      this.draining ??= this.drain();
      return;
    }
    const id = readableId(raw);
    // A sibling can take a broadcast; a command for this node alone gets an answer.
    if (delivery === 'broadcast' || id === undefined) {
      this.deps.logger.warn('remote control: too many pending commands; dropped one');
      return;
    }
    settle(this.deps, id, 'rejected', { reason: 'agent busy' }).catch((error: unknown) =>
      this.deps.logger.warn(`remote control: could not answer command ${id}: ${String(error)}`),
    );
  }

  /** Runs the waiting commands in order; `runCommand` never rejects. */
  private async drain(): Promise<void> {
    let next = this.pending.shift();
    while (next !== undefined && !this.stopped) {
      await runCommand(this.deps, this.config, next.raw, next.delivery, this.seen);
      next = this.pending.shift();
    }
    this.draining = undefined;
  }

  /**
   * Stops taking commands, lets the running one finish, then unsubscribes and closes the
   * subscriber connection. Idempotent.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.length = 0;
    await this.draining;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (!subscriber) return;
    subscriber.removeAllListeners('message');
    if (subscriber.status === 'ready') {
      await subscriber.unsubscribe().catch(() => undefined);
      await subscriber.quit().catch(() => subscriber.disconnect());
    } else {
      subscriber.disconnect();
    }
  }
}
