/**
 * The output of `quasar-agent acl`: the three users, each on one ready-to-paste line under a
 * comment saying what it is for. Built from the sidecar's own settings, so the queues and
 * verbs it grants are those the sidecar would monitor and enable.
 */
import { SidecarConfigError } from '../errors';
import type { SidecarSettings } from '../settings';
import { PASSWORD_PLACEHOLDER, setUserLine } from './acl-user';
import type { AclUser } from './acl-user';
import { collectorUser } from './collector-user';
import { monitorUser } from './monitor-user';
import { transportUser } from './transport-user';

/** The three users for these settings, named `{userPrefix}agent-{service}` and so on. */
export function aclUsers(settings: SidecarSettings): AclUser[] {
  const { service, queues, userPrefix } = settings;
  const enabled = settings.remoteControl ?? {};
  for (const queue of Object.keys(enabled)) {
    if (!queues.some((q) => q.name === queue)) {
      throw new SidecarConfigError(
        'remoteControl',
        `remote control names queue "${queue}", which is not among the monitored queues (--queue)`,
      );
    }
  }
  return [
    transportUser(`${userPrefix}agent-${service}`, service),
    monitorUser(`${userPrefix}monitor-${service}`, service, queues, enabled),
    collectorUser(`${userPrefix}collector`),
  ];
}

/** The text `quasar-agent acl` prints, ending with a newline. */
export function aclText(settings: SidecarSettings): string {
  const users = aclUsers(settings);
  const lines = [
    `# Redis ACL users for service ${settings.service} (Redis >= 7.0, for its selectors).`,
    `# Replace every >${PASSWORD_PLACEHOLDER} with a password of its own before running the lines.`,
    '# Give the agent the first two: the transport URL as the agent user, and the monitor URL',
    '# (QUASAR_MONITOR_REDIS_URL) as the monitor user; give the collector the last one.',
  ];
  for (const user of users) lines.push('', `# ${user.purpose}`, setUserLine(user));
  return `${lines.join('\n')}\n`;
}
