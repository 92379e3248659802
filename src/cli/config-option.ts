import { existsSync } from 'node:fs';
import { loadConfigFile, type Config } from '../config/load.js';
import { ConfigError } from '../errors.js';

/** --config, else $SECWATCH_CONFIG, else config/secwatch.yaml in the working directory. */
export function loadCliConfig(file: string | undefined): Config {
  const path = file ?? process.env.SECWATCH_CONFIG ?? 'config/secwatch.yaml';
  if (!file && !existsSync(path)) {
    throw new ConfigError('', `${path}: no config file (pass --config FILE or set SECWATCH_CONFIG; see config/secwatch.example.yaml)`, {
      code: 'CONFIG_UNREADABLE',
    });
  }
  return loadConfigFile(path);
}
