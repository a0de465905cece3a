import { detectRuntime } from '../../src/readings/runtime';

describe('detectRuntime', () => {
  it('detects Bun from Bun.version', () => {
    expect(detectRuntime({ Bun: { version: '1.1.38' }, process: { version: 'v22.6.0' } })).toEqual({
      language: 'bun',
      version: '1.1.38',
      otelName: 'bun',
    });
  });

  it('detects Deno from Deno.version.deno', () => {
    expect(detectRuntime({ Deno: { version: { deno: '2.0.0', v8: '12.9.202.13' } } })).toEqual({
      language: 'deno',
      version: '2.0.0',
      otelName: 'deno',
    });
  });

  it('detects Node from the real globals, with process.version', () => {
    const expected = { language: 'node', version: process.version, otelName: 'nodejs' };
    expect(detectRuntime(globalThis as unknown as Record<string, unknown>)).toEqual(expected);
    expect(detectRuntime()).toEqual(expected);
  });

  it('reports node without a version when the globals hold nothing it recognises', () => {
    expect(detectRuntime({})).toEqual({ language: 'node', version: undefined, otelName: 'nodejs' });
  });

  it('ignores a Bun or Deno global whose version is not a string', () => {
    expect(detectRuntime({ Bun: {}, Deno: { version: 2 } })).toEqual({
      language: 'node',
      version: undefined,
      otelName: 'nodejs',
    });
  });
});
