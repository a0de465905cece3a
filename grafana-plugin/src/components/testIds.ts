/** Every `data-testid` the plugin renders, in one place for unit and browser tests. */
export const testIds = {
  app: {
    container: 'data-testid quasar-app-container',
    status: 'data-testid quasar-app-status',
  },
  appConfig: {
    collectorUrl: 'data-testid ac-collector-url',
    apiToken: 'data-testid ac-api-token',
    submit: 'data-testid ac-submit-form',
    enable: 'data-testid ac-enable',
    disable: 'data-testid ac-disable',
    testConnection: 'data-testid ac-test-connection',
    testResult: 'data-testid ac-test-result',
  },
  datasource: {
    queryType: 'data-testid ds-query-type',
    service: 'data-testid ds-service',
    limit: 'data-testid ds-limit',
    configInfo: 'data-testid ds-config-info',
  },
} as const;
