/**
 * Remote-control settings. On the command line and in `QUASAR_REMOTE_CONTROL` the verbs are
 * written `queue:verb[+verb]`, comma-separated (`emails:retry+delete,default:retry`); in the
 * config file `remoteControl.queues` is an object `{ "emails": ["retry", "delete"] }`.
 */
import { COMMAND_VERBS } from '../schema/command';
import type { CommandVerb } from '../schema/command';
import { expected, InvalidValue, shown } from './errors';

/** The verbs enabled per queue. */
export type RemoteControlQueues = Record<string, CommandVerb[]>;

const isVerb = (verb: unknown): verb is CommandVerb => COMMAND_VERBS.includes(verb as CommandVerb);

function add(queues: RemoteControlQueues, queue: string, verbs: readonly unknown[]): void {
  if (queue === '') throw new InvalidValue('a queue name is empty');
  if (verbs.length === 0) throw new InvalidValue(`queue "${queue}" has no verb`);
  for (const verb of verbs) {
    if (!isVerb(verb)) {
      throw new InvalidValue(
        `queue "${queue}" has unknown verb ${shown(verb)}; expected ${COMMAND_VERBS.join(' or ')}`,
      );
    }
  }
  queues[queue] = [...new Set([...(queues[queue] ?? []), ...(verbs as CommandVerb[])])];
}

/** Parses `queue:verb[+verb]` items, comma-separated; each flag value may hold several. */
export function parseRemoteControlList(raw: string | readonly string[]): RemoteControlQueues {
  const queues: RemoteControlQueues = {};
  for (const item of (typeof raw === 'string' ? [raw] : raw).flatMap((r) => r.split(','))) {
    const spec = item.trim();
    // The last colon: a queue name may hold colons, a verb list cannot.
    const colon = spec.lastIndexOf(':');
    if (colon < 0) throw expected('queue:verb[+verb] (e.g. emails:retry+delete)', spec);
    const verbs = spec
      .slice(colon + 1)
      .split('+')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    add(queues, spec.slice(0, colon).trim(), verbs);
  }
  if (Object.keys(queues).length === 0) throw expected('at least one queue:verb', raw);
  return queues;
}

/** Parses the config file's `{ "queue": ["retry", …] }`. */
export function parseRemoteControlObject(raw: unknown): RemoteControlQueues {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw expected('an object of queue names to arrays of verbs', raw);
  }
  const queues: RemoteControlQueues = {};
  for (const [queue, verbs] of Object.entries(raw)) {
    if (!Array.isArray(verbs)) throw expected(`an array of verbs for queue "${queue}"`, verbs);
    add(queues, queue, verbs);
  }
  if (Object.keys(queues).length === 0) throw expected('at least one queue', 'an empty object');
  return queues;
}

/** The shared secret. Its value is never shown, even when it is rejected. */
export function token(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new InvalidValue('expected a non-empty string');
  }
  return raw.trim();
}

/**
 * The tokens still accepted during a rotation, comma-separated. Like the token, no value is
 * ever shown, even when it is rejected.
 */
export function previousTokens(raw: unknown): string[] {
  const list = typeof raw === 'string' ? raw.split(',').map((t) => t.trim()) : [];
  if (list.length === 0 || list.some((t) => t === '')) {
    throw new InvalidValue('expected comma-separated non-empty tokens');
  }
  return list;
}

/** A prefix for ACL user names: no spaces, which would split the `ACL SETUSER` line. */
export function userPrefix(raw: unknown): string {
  if (typeof raw !== 'string' || /\s/.test(raw)) throw expected('a prefix without spaces', raw);
  return raw;
}

/**
 * Extra key patterns `INSPECT_JOB` redacts, comma-separated (`ssn,dob`); added to the defaults.
 * Plain strings only: a key matches when it contains one, compared lower-case without `-`, `_`
 * and spaces. A config file may give a JSON array of strings.
 */
export function redactKeys(raw: unknown): string[] {
  const list = (typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : []).map(
    (k: unknown) => (typeof k === 'string' ? k.trim() : k),
  );
  if (
    list.length === 0 ||
    !list.every((k) => typeof k === 'string' && k !== '' && k.length <= 128)
  ) {
    throw expected('comma-separated key patterns of 1 to 128 characters (e.g. ssn,dob)', raw);
  }
  return list as string[];
}
