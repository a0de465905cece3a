/**
 * OTLP export to the console: an OTLP/HTTP JSON endpoint on loopback that prints one line per
 * export (resources and points for metrics; the count and the latest slow-log record for logs). The demo
 * points the collector here when `OTEL_EXPORTER_OTLP_ENDPOINT` is not set.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface OtlpJson {
  resourceMetrics?: Array<{
    scopeMetrics?: Array<{ metrics?: Array<Record<string, unknown>> }>;
  }>;
  resourceLogs?: Array<{
    scopeLogs?: Array<{ logRecords?: Array<{ body?: { stringValue?: string } }> }>;
  }>;
}

function points(metric: Record<string, unknown>): number {
  for (const value of Object.values(metric)) {
    const data = value as { dataPoints?: unknown[] } | undefined;
    if (data && Array.isArray(data.dataPoints)) return data.dataPoints.length;
  }
  return 0;
}

/** The console lines for one export request: one per export, none for an empty one. */
export function describeExport(path: string, body: OtlpJson): string[] {
  if (path.endsWith('/v1/metrics')) {
    const resources = body.resourceMetrics ?? [];
    const metrics = resources.flatMap((r) =>
      (r.scopeMetrics ?? []).flatMap((s) => s.metrics ?? []),
    );
    const total = metrics.reduce((sum, m) => sum + points(m), 0);
    return [
      `OTLP metrics: ${resources.length} resources, ${metrics.length} metrics, ${total} points`,
    ];
  }
  const records = (body.resourceLogs ?? []).flatMap((r) =>
    (r.scopeLogs ?? []).flatMap((s) => s.logRecords ?? []),
  );
  if (records.length === 0) return [];
  const newest = records[records.length - 1]?.body?.stringValue ?? '(no body)';
  return [`OTLP logs: ${records.length} slow-log records; latest: ${newest}`];
}

export interface ConsoleOtlp {
  endpoint: string;
  close(): Promise<void>;
}

export async function startConsoleOtlp(print: (line: string) => void): Promise<ConsoleOtlp> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        for (const line of describeExport(
          req.url ?? '',
          JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson,
        )) {
          print(line);
        }
      } catch {
        print(`OTLP: an export to ${req.url ?? '?'} was not JSON`);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
