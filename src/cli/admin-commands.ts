import type { Command } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { loadOrCreateAdminToken } from '../crypto/admin-token.ts';

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('Operator tools.');
  admin
    .command('token')
    .description('Print the admin API bearer token (ADMIN_TOKEN, or the one kept in DATA_DIR/admin.token, created if absent).')
    .action(() => {
      const { config } = loadConfig(processEnv());
      process.stdout.write(loadOrCreateAdminToken(config.adminToken, config.dataDir) + '\n');
    });
}
