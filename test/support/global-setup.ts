import { ensurePostgres, ensureRedis } from './services.ts';

export default async function setup(): Promise<void> {
  await ensurePostgres();
  await ensureRedis();
}
