/**
 * The slow log grouped by (service, kind, name): `GET /api/pulse/slow/groups` lists the groups,
 * `GET /api/pulse/slow/groups/entries` one group's last raw entries. Both read what this
 * collector's slow-log consumer aggregated, nothing from Redis: among replicas, the groups of
 * the services this replica owns (`scope` says which).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SLOW_FIELD_MAX_LENGTH, SLOW_KINDS } from '@gravito/quasar/schema';
import type { SlowKind } from '@gravito/quasar/schema';
import type { ApiDeps } from '../deps';
import { errorBody } from '../errors';
import { SERVICE_NAME, limitSchema } from '../query-schemas';

/** Groups listed when `limit` is not given. */
export const GROUPS_LIMIT_DEFAULT = 100;
/** Most groups one reply lists. */
export const GROUPS_LIMIT_MAX = 1000;

const KIND = { type: 'string', enum: SLOW_KINDS } as const;

/**
 * A group's name as agents wrote it: any characters (a hostile name must still be askable),
 * as long as the reader keeps them.
 */
const GROUP_NAME = { type: 'string', minLength: 1, maxLength: SLOW_FIELD_MAX_LENGTH } as const;

const GROUPS_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { service: SERVICE_NAME, kind: KIND, limit: limitSchema(GROUPS_LIMIT_MAX) },
} as const;

const ENTRIES_QUERY = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'kind', 'name'],
  properties: { service: SERVICE_NAME, kind: KIND, name: GROUP_NAME },
} as const;

interface GroupsQuerystring {
  service?: string;
  kind?: SlowKind;
  limit?: number;
}

interface EntriesQuerystring {
  service: string;
  kind: SlowKind;
  name: string;
}

export function slowGroupRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'slowGroups'>): void {
  const off = (reply: FastifyReply) => reply.code(503).send(errorBody('QUASAR_SLOW_GROUPS_OFF'));

  app.get<{ Querystring: GroupsQuerystring }>(
    '/api/pulse/slow/groups',
    { schema: { querystring: GROUPS_QUERY } },
    async (req, reply) => {
      const source = deps.slowGroups;
      if (!source) return off(reply);
      const { service, kind, limit = GROUPS_LIMIT_DEFAULT } = req.query;
      const nowMs = Date.now();
      const { groups, total } = source.groups.list({ service, kind, limit }, nowMs);
      return {
        groups,
        total,
        serverTime: nowMs,
        scope: { replica: source.replica, services: source.groups.services() },
      };
    },
  );

  app.get<{ Querystring: EntriesQuerystring }>(
    '/api/pulse/slow/groups/entries',
    { schema: { querystring: ENTRIES_QUERY } },
    async (req, reply) => {
      const source = deps.slowGroups;
      if (!source) return off(reply);
      const found = source.groups.entries(req.query, Date.now());
      if (!found) return reply.code(404).send(errorBody('QUASAR_SLOW_GROUP_UNKNOWN'));
      return { ...found, scope: { replica: source.replica } };
    },
  );
}
