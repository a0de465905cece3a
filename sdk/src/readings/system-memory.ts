/** Host memory, from /proc/meminfo on Linux and `os` elsewhere. */
import { freemem, totalmem } from 'node:os';
import { readText } from './files';

/** Host memory in bytes. */
export interface SystemMemory {
  total: number;
  /** Bytes the kernel considers available for new allocations without swapping. */
  available: number;
}

/** Value in bytes of a `Key:   N kB` line of /proc/meminfo. */
function field(text: string, key: string): number | undefined {
  const at = text.indexOf(`${key}:`);
  if (at < 0 || (at > 0 && text[at - 1] !== '\n')) return undefined;
  const value = parseInt(text.slice(at + key.length + 1, at + key.length + 32).trimStart(), 10);
  return Number.isFinite(value) ? value * 1024 : undefined;
}

/**
 * Parses /proc/meminfo, looking up only the fields it needs (the file has ~50 lines and this
 * runs every beat). Falls back to MemFree + Cached on kernels older than 3.14.
 */
export function parseMeminfo(text: string): SystemMemory | undefined {
  const total = field(text, 'MemTotal');
  if (total === undefined) return undefined;
  const available =
    field(text, 'MemAvailable') ?? (field(text, 'MemFree') ?? 0) + (field(text, 'Cached') ?? 0);
  return { total, available: Math.min(available, total) };
}

/** Reads host memory without spawning anything. */
export function readSystemMemory(root: string): SystemMemory {
  const text = readText(root, 'proc/meminfo');
  return (text && parseMeminfo(text)) || { total: totalmem(), available: freemem() };
}
