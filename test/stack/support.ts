/**
 * Reading the demo stack's files for the static tests: YAML and JSON as `unknown`, narrowed
 * with small guards, and the compose services in the shape the tests compare.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';

/** The repository root. */
export const REPO = resolve(__dirname, '../..');

/** A file of the repository, as text. */
export function readRepoFile(path: string): string {
  return readFileSync(join(REPO, path), 'utf8');
}

/** Parses YAML strictly: any error or warning (duplicate key, bad indentation) throws. */
export function parseYaml(text: string, name: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
  if (problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`);
  return doc.toJSON() as unknown;
}

/** A YAML file of the repository, parsed strictly. */
export function readYaml(path: string): unknown {
  return parseYaml(readRepoFile(path), path);
}

/** A JSON file of the repository, parsed. */
export function readJson(path: string): unknown {
  return JSON.parse(readRepoFile(path)) as unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as a record, or a thrown error naming `what`. */
export function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${what} is not a mapping: ${JSON.stringify(value)}`);
  return value;
}

/** `value` as an array, or a thrown error naming `what`. */
export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list: ${JSON.stringify(value)}`);
  return value;
}

/** `value` as a string, or a thrown error naming `what`. */
export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string: ${String(value)}`);
  return value;
}

/** One service of docker-compose.yml, normalised. */
export interface ComposeService {
  name: string;
  image?: string;
  build?: { context: string; dockerfile: string };
  command: string[];
  environment: Record<string, string>;
  /** `host:container[:mode]` bind mounts, split. */
  volumes: Array<{ host: string; container: string; mode?: string }>;
  /** Published ports, `[ip:]host:container`, split. */
  ports: Array<{ host: number; container: number; ip?: string }>;
  dependsOn: Record<string, string>;
  healthcheck: string[];
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  return list(value, what).map((item, i) => str(item, `${what}[${i}]`));
}

function dependsOn(value: unknown, what: string): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(stringList(value, what).map((name) => [name, 'service_started']));
  }
  const entries = Object.entries(value === undefined ? {} : record(value, what));
  return Object.fromEntries(
    entries.map(([name, spec]) => [name, str(record(spec, name).condition, `${name}.condition`)]),
  );
}

function service(name: string, raw: unknown): ComposeService {
  const spec = record(raw, `services.${name}`);
  const build = spec.build === undefined ? undefined : record(spec.build, `${name}.build`);
  const env = record(spec.environment ?? {}, `${name}.environment`);
  return {
    name,
    image: spec.image === undefined ? undefined : str(spec.image, `${name}.image`),
    build: build && {
      context: str(build.context, `${name}.build.context`),
      dockerfile: str(build.dockerfile, `${name}.build.dockerfile`),
    },
    command: stringList(spec.command, `${name}.command`),
    environment: Object.fromEntries(
      Object.entries(env).map(([key, value]) => [key, str(value, `${name}.environment.${key}`)]),
    ),
    volumes: stringList(spec.volumes, `${name}.volumes`).map((volume) => {
      const [host = '', container = '', mode] = volume.split(':');
      return { host, container, ...(mode === undefined ? {} : { mode }) };
    }),
    ports: stringList(spec.ports, `${name}.ports`).map((port) => {
      const parts = port.split(':');
      const [container, host, ip] = [parts.pop(), parts.pop(), parts.pop()];
      return { host: Number(host), container: Number(container), ...(ip ? { ip } : {}) };
    }),
    dependsOn: dependsOn(spec.depends_on, `${name}.depends_on`),
    healthcheck: stringList(
      spec.healthcheck === undefined ? undefined : record(spec.healthcheck, name).test,
      `${name}.healthcheck.test`,
    ),
  };
}

/** docker-compose.yml's services by name. */
export function composeServices(): Map<string, ComposeService> {
  const compose = record(readYaml('docker-compose.yml'), 'docker-compose.yml');
  const services = record(compose.services, 'services');
  return new Map(Object.entries(services).map(([name, raw]) => [name, service(name, raw)]));
}

/** The service called `name`, or a thrown error. */
export function composeService(name: string): ComposeService {
  const found = composeServices().get(name);
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The host path (relative to the repository) mounted at `containerPath` or above it. */
export function hostPathOf(svc: ComposeService, containerPath: string): string | undefined {
  const mount = svc.volumes.find(
    (v) => containerPath === v.container || containerPath.startsWith(`${v.container}/`),
  );
  return mount && join(mount.host, containerPath.slice(mount.container.length));
}

/** The workspaces listed in the root package.json. */
export function workspaces(): string[] {
  const root = record(readJson('package.json'), 'package.json');
  return list(root.workspaces, 'workspaces').map((w, i) => str(w, `workspaces[${i}]`));
}
