/**
 * The `cursor` of `GET /api/pulse/nodes`: where the next page starts, in the reply's stable
 * order (service, then node id). Opaque to clients (base64url of `[service, id]`, the last node
 * of the page) and checked like any other untrusted input: a cursor that does not decode to a
 * valid service name and node id is a 400, never a thrown parse.
 */
import { isNodeId, isServiceName } from '@gravito/quasar/schema';
import type { NodeView } from '../nodes/node-view';

/** A position in the nodes' order: the last node a page held. */
export interface NodePosition {
  service: string;
  id: string;
}

/** The cursor naming `position`. */
export function encodeCursor(position: NodePosition): string {
  return Buffer.from(JSON.stringify([position.service, position.id])).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one this API issued. */
export function decodeCursor(cursor: string): NodePosition | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [service, id] = value as unknown[];
  return isServiceName(service) && isNodeId(id) ? { service, id } : undefined;
}

/** Code-unit order, the tie-break that makes the order total where locale order ties. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The API's order of two positions: service then id, as the unfiltered reply sorts them. */
export function comparePositions(a: NodePosition, b: NodePosition): number {
  return (
    a.service.localeCompare(b.service) ||
    byCodeUnit(a.service, b.service) ||
    a.id.localeCompare(b.id) ||
    byCodeUnit(a.id, b.id)
  );
}

/** A node's position. */
export function positionOf(view: NodeView): NodePosition {
  return { service: view.heartbeat.service, id: view.heartbeat.id };
}
