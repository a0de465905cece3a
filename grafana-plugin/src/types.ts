/** The app's `jsonData`: settings the browser may read. */
export interface AppSettings {
  /** Base URL of the Quasar collector's HTTP API, as Grafana's server reaches it. */
  collectorUrl?: string;
  /** Tracing data source (Tempo, Jaeger, …) the slow log links trace ids to in Explore. */
  tracesDatasourceUid?: string;
  /**
   * Read-only mode: the pages show no action, and the command routes tell the collector to issue
   * nothing (`X-Quasar-Read-Only`), whatever the user's role.
   */
  readOnly?: boolean;
}

/** The app's `secureJsonData`: encrypted by Grafana and only used by the proxy route. */
export interface AppSecureSettings {
  /** Bearer token the collector accepts on `/api/*`. */
  apiToken?: string;
  /**
   * The collector's write token (`QUASAR_API_WRITE_TOKEN`), for commands. The command route sends
   * it instead of `apiToken` when set; without it, commands go with `apiToken`.
   */
  apiWriteToken?: string;
}
