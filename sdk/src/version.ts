/** The SDK's identity in heartbeats and in the OTel instrumentation scope. Kept equal to package.json by a test. */
export const SDK_NAME = '@gravito/quasar';
export const SDK_VERSION = '1.1.0';
