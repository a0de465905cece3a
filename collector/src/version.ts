/** The collector's name and version, as reported in OTel scopes and `/metrics`. */
export const COLLECTOR_NAME = '@gravito/quasar-collector';
export const COLLECTOR_VERSION = '1.0.0';
