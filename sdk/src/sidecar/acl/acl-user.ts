/**
 * One Redis ACL user as `quasar-agent acl` prints it: root rules plus selectors, each selector
 * pairing key patterns with the only commands allowed on them. Selectors (Redis ≥ 7.0) are what
 * make the rules least-privilege: without them every allowed command would apply to every
 * allowed key, so a user allowed `SET` on its heartbeat could also `SET` over the node index.
 */

/** The password every printed line carries, for the operator to replace. */
export const PASSWORD_PLACEHOLDER = 'CHANGE-ME';

/**
 * What ioredis sends on its own: `INFO` for the ready check, `SELECT` for a database other
 * than 0, `CLIENT SETNAME` for the connection name, `PING` and `QUIT`; on a Redis Cluster,
 * `CLUSTER SLOTS` for the slot map.
 */
export const CONNECTION_COMMANDS = [
  'info',
  'select',
  'client|setname',
  'ping',
  'quit',
  'cluster|slots',
] as const;

/** A group of key or channel patterns and the commands allowed on them. */
export interface AclSelector {
  /** Key patterns, with their ACL prefix: `~k` (read and write) or `%R~k` (read only). */
  keys?: readonly string[];
  /** Channel patterns, without the `&`. */
  channels?: readonly string[];
  /** Commands, lower-case, without the `+` (`set`, `client|setname`). */
  commands: readonly string[];
}

/** One user to create. */
export interface AclUser {
  /** What the user is for, printed as a comment above its line. */
  purpose: string;
  name: string;
  /** Commands allowed without any key or channel (connection commands, `SCAN`, `TIME`). */
  root: readonly string[];
  /** Root channel patterns (without `&`), for `SUBSCRIBE` allowed at the root. */
  rootChannels?: readonly string[];
  selectors: readonly AclSelector[];
}

/** Rules of one selector, or of the root: patterns first, then the commands. */
function rules(keys: readonly string[], channels: readonly string[], commands: readonly string[]) {
  return [...keys, ...channels.map((c) => `&${c}`), ...[...new Set(commands)].map((c) => `+${c}`)];
}

/** The `ACL SETUSER` arguments after the name, with `password` (`>…`) as given. */
export function setUserRules(user: AclUser, password = PASSWORD_PLACEHOLDER): string[] {
  // A selector starts with no permission at all; the root needs `-@all` to drop any default.
  const root = ['-@all', ...rules([], user.rootChannels ?? [], user.root)];
  const selectors = user.selectors.map(
    (s) => `(${rules(s.keys ?? [], s.channels ?? [], s.commands).join(' ')})`,
  );
  // `reset` first so that pasting the line again replaces the user rather than adding to it.
  return ['reset', 'on', `>${password}`, 'resetkeys', 'resetchannels', ...root, ...selectors];
}

/**
 * The user as one line for `redis-cli`. Redis rejoins a selector split at its spaces, so the
 * line needs no quoting.
 */
export function setUserLine(user: AclUser): string {
  return `ACL SETUSER ${user.name} ${setUserRules(user).join(' ')}`;
}
