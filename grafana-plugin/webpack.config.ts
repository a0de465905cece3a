// Extends the scaffold's webpack config (which stays untouched in .config/) the way
// create-plugin documents: nested plugins' logos are copied next to their plugin.json.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return {
    ...baseConfig,
    plugins: [
      ...(baseConfig.plugins ?? []),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img/*', to: '.' },
          { from: 'panel/img/*', to: '.' },
        ],
      }),
    ],
  };
};

export default config;
