/**
 * The one thing the fresh-clone test changes in a README command: the example addresses. Each
 * stands for a server the reader runs (their Redis, their OpenTelemetry Collector, the Quasar
 * collector started a few lines earlier); the test points each at a private one started for
 * the run, so it never touches a Redis or a port that someone else on the machine owns.
 */

/** The private servers standing in for the README's addresses. */
export interface PrivateEndpoints {
  /** `redis://127.0.0.1:<port>`, for every `redis://host:port` of the README. */
  redis: string;
  /** The OTLP/HTTP receiver, for `http://localhost:4318`. */
  otlp: string;
  /** The collector the README's `npx quasar-collector` started, for `http://localhost:8080`. */
  collector: string;
}

/** Which private server each README address stands for, by scheme and port. */
const STANDS_FOR: Record<string, keyof PrivateEndpoints> = {
  'redis:6379': 'redis',
  'http:4318': 'otlp',
  'http:8080': 'collector',
};

/** `command` with each example address replaced; an address nobody maps fails loudly. */
export function withPrivateEndpoints(command: string, endpoints: PrivateEndpoints): string {
  return command.replace(/\b(redis|https?):\/\/[\w.-]+:(\d+)/g, (address, scheme, port) => {
    const role = STANDS_FOR[`${String(scheme)}:${String(port)}`];
    if (role === undefined) {
      throw new Error(`the README names ${address}: map it to a private server in endpoints.ts`);
    }
    return endpoints[role];
  });
}
