/** Host facts that do not change while the process runs; read once at start. */
import { availableParallelism, cpus, hostname, platform, type } from 'node:os';

export interface HostFacts {
  hostname: string;
  /** `os.platform()`: `linux`, `darwin`, `win32`, … */
  platform: string;
  /** `os.type()`: `Linux`, `Darwin`, `Windows_NT`. */
  osType: string;
  /** Logical cores the process may use. */
  cores: number;
}

export function readHostFacts(): HostFacts {
  let cores = 0;
  try {
    cores = availableParallelism();
  } catch {
    cores = cpus().length;
  }
  return { hostname: hostname(), platform: platform(), osType: type(), cores: Math.max(1, cores) };
}
