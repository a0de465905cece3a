/**
 * The agent's remote-control wiring: the options in force, the command listener on its own
 * connection, and the warnings about unsigned commands.
 */
import type { RedisClient } from '../redis/redis-client';
import { CommandListener } from '../commands/listener/command-listener';
import type { ResolvedRemoteControl } from '../commands/listener/remote-control-options';
import { COMMAND_VERBS } from '../schema/command';
import type { CommandVerb } from '../schema/command';
import type { QuasarLogger } from '../options/types';
import type { QueueRegistration } from '../queues/queue-monitor';

/** What the listener needs from the agent. */
export interface RemoteControlHost {
  service: string;
  nodeId: string;
  logger: QuasarLogger;
  monitor: () => RedisClient | undefined;
  registration: (queue: string) => QueueRegistration | undefined;
}

export class RemoteControl {
  private config: ResolvedRemoteControl | undefined;
  private listener: CommandListener | undefined;
  private warnedUnsigned = false;

  constructor(private readonly host: RemoteControlHost) {}

  /** Puts `config` in force; the listener, if running, decides by it from now on. */
  configure(config: ResolvedRemoteControl): void {
    this.warnAboutSignatures(config);
    this.config = config;
    this.listener?.configure(config);
  }

  /** The verbs enabled on `queue`, in a stable order; empty while remote control is off. */
  verbsFor(queue: string): CommandVerb[] {
    const verbs = this.config?.queues.get(queue);
    return verbs ? COMMAND_VERBS.filter((verb) => verbs.has(verb)) : [];
  }

  /** Subscribes on a duplicate of `transport`, once remote control is on. */
  listen(transport: RedisClient): Promise<void> {
    const config = this.config;
    if (!config) return Promise.resolve();
    const { service, nodeId, logger, monitor, registration } = this.host;
    this.listener ??= new CommandListener(
      service,
      { nodeId, logger, transport, monitor, registration, now: () => Date.now() },
      config,
    );
    return this.listener.start();
  }

  /** Lets the running command finish, then unsubscribes and closes the listener's connection. */
  async stop(): Promise<void> {
    await this.listener?.stop();
  }

  private warnAboutSignatures(config: ResolvedRemoteControl): void {
    if (config.token !== undefined) return;
    const { logger } = this.host;
    if (!config.allowUnsigned) {
      logger.warn(
        'remote control is enabled without QUASAR_TOKEN: every command will be rejected as unsigned',
      );
    } else if (!this.warnedUnsigned) {
      this.warnedUnsigned = true;
      logger.warn(
        'remote control accepts UNSIGNED commands: anyone who can PUBLISH on the transport Redis can retry or delete jobs',
      );
    }
  }
}
