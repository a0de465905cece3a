// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const scaffold = require('./.config/jest.config');
const swcTransform = scaffold.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...scaffold,
  // A hang guard, not a speed check: a page test renders up to a few thousand tiles in jsdom,
  // which takes well over the 5 s default on a busy 2-core machine.
  testTimeout: 30000,
  transform: {
    ...scaffold.transform,
    // On Node 20, d3-color 3.1.1 (under @grafana/data) ships only .mjs, which the scaffold's
    // transform does not match; compile it to CommonJS with the same SWC settings.
    '^.+\\.mjs$': swcTransform,
  },
};
