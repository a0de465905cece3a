/**
 * The OTel resource of a node, built from what its heartbeat says about itself. Shared by the
 * SDK (for its own provider) and the collector (one resource per node it bridges).
 */
import type { Attributes } from '@opentelemetry/api';
import type { Heartbeat } from '../schema';

/** Heartbeat fields that identify a node. */
export type NodeDescription = Pick<
  Heartbeat,
  'service' | 'id' | 'hostname' | 'pid' | 'language' | 'version' | 'platform'
>;

/** Heartbeat `language` → `process.runtime.name`. */
const RUNTIME_NAMES: Record<string, string> = { node: 'nodejs', python: 'cpython' };

/** `os.platform()` / Go `GOOS` → semantic-convention `os.type`. */
const OS_TYPES: Record<string, string> = { win32: 'windows', sunos: 'solaris' };

export function resourceAttributesOf(node: NodeDescription): Attributes {
  const attributes: Attributes = {
    'service.name': node.service,
    'service.instance.id': node.id,
    'host.name': node.hostname,
    'process.pid': node.pid,
    'process.runtime.name': RUNTIME_NAMES[node.language] ?? node.language,
    'os.type': OS_TYPES[node.platform] ?? node.platform,
  };
  if (node.version !== undefined) {
    attributes['process.runtime.version'] =
      node.language === 'node' ? node.version.replace(/^v/, '') : node.version;
  }
  return attributes;
}
