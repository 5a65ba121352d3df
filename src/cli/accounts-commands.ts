/**
 * Operator commands for citizen accounts: look one up (by mobile or account id), lift a
 * lockout, end every session, run the housekeeping sweep, and verify activity chains.
 * Operator actions are written to the citizen's activity log with an `admin` actor.
 */
import type { Command } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { closeDeps, openDeps, type AppDeps } from '../deps.ts';
import { maskMobile, normaliseMobile } from '../domain/accounts/mobile.ts';
import type { Account } from '../domain/accounts/ports.ts';
import { sweepAccounts } from '../domain/accounts/sweep.ts';
import { ACTIVITY_TYPES, type Actor } from '../domain/activity/ports.ts';
import { accountsDeps } from '../http/routes/accounts/context.ts';

const OPERATOR: Actor = { kind: 'admin', id: 'cli', name: 'Locker operator' };

async function withDeps<T>(fn: (deps: AppDeps) => Promise<T>): Promise<T> {
  const { config } = loadConfig(processEnv());
  const deps = await openDeps(config);
  try {
    return await fn(deps);
  } finally {
    await closeDeps(deps);
  }
}

async function findAccount(deps: AppDeps, who: string): Promise<Account> {
  const repo = accountsDeps(deps).accounts;
  const byId = /^[0-9a-f-]{36}$/i.test(who) ? await repo.findById(who.toLowerCase()) : null;
  let account = byId;
  if (!account) {
    let mobile: string;
    try {
      mobile = normaliseMobile(who);
    } catch {
      throw new Error(`"${who}" is neither an account id nor a 10-digit Indian mobile number`);
    }
    account = await repo.findByMobile(mobile);
  }
  if (!account) throw new Error(`no locker for ${who}`);
  return account;
}

export function registerAccountsCommands(program: Command): void {
  const accounts = program.command('accounts').description('Citizen accounts: look up, unlock, end sessions, housekeeping.');

  accounts
    .command('show <mobile-or-id>')
    .description('Show an account (mobile masked), its lock state and signed-in devices.')
    .action(async (who: string) =>
      withDeps(async (deps) => {
        const a = await findAccount(deps, who);
        const sessions = await deps.sessions.listLive(a.id);
        const lines = [
          `account:   ${a.id}`,
          `mobile:    ${maskMobile(a.mobile)}`,
          `status:    ${a.status}${a.mustChangePin ? ' (must change provisioned PIN)' : ''}`,
          `created:   ${a.createdAt}`,
          `locked:    ${a.lockedUntil && a.lockedUntil > new Date().toISOString() ? `until ${a.lockedUntil}` : 'no'} (wrong PINs in a row: ${a.failedPins}, lockouts: ${a.lockouts})`,
          `sessions:  ${sessions.length} signed in`,
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );

  accounts
    .command('unlock <mobile-or-id>')
    .description('Lift a lockout after wrong PINs (logged in the citizen’s activity).')
    .action(async (who: string) =>
      withDeps(async (deps) => {
        const a = await findAccount(deps, who);
        await accountsDeps(deps).accounts.unlock(a.id, deps.clock.now());
        await deps.activity.append({ accountId: a.id, type: ACTIVITY_TYPES.unlockedByOperator, actor: OPERATOR, ip: null, userAgent: null });
        process.stdout.write(`unlocked ${a.id}\n`);
      }),
    );

  accounts
    .command('end-sessions <mobile-or-id>')
    .description('Sign the citizen out of every device (logged in their activity).')
    .action(async (who: string) =>
      withDeps(async (deps) => {
        const a = await findAccount(deps, who);
        const ended = await deps.sessions.endAllForAccount(a.id, 'ended_by_operator', deps.clock.now().getTime());
        await deps.activity.append({ accountId: a.id, type: ACTIVITY_TYPES.sessionsEndedByOperator, actor: OPERATOR, ip: null, userAgent: null, details: { sessions: ended.length } });
        process.stdout.write(`ended ${ended.length} session(s) of ${a.id}\n`);
      }),
    );

  accounts
    .command('sweep')
    .description('End idle and expired sessions, forget old codes and counters, finish interrupted deletions (the server does this every minute).')
    .action(async () =>
      withDeps(async (deps) => {
        const r = await sweepAccounts(accountsDeps(deps));
        process.stdout.write(`sessions ended: ${r.sessionsEnded}\nchallenges removed: ${r.challengesRemoved}\ncounters removed: ${r.countersRemoved}\nerasures finished: ${r.erasuresFinished}, still pending: ${r.erasuresPending}\n`);
        if (r.erasuresPending > 0) process.exitCode = 1;
      }),
    );

  program
    .command('activity')
    .description('The citizens’ activity logs.')
    .command('verify [mobile-or-id]')
    .description('Check the hash chain of one account’s activity log, or of every account. Exits 1 if any chain is broken.')
    .action(async (who: string | undefined) =>
      withDeps(async (deps) => {
        const ids = who
          ? [(await findAccount(deps, who)).id]
          : (await deps.sql.db.selectFrom('activity_heads').select('account_id').orderBy('account_id').execute()).map((r) => r.account_id);
        let broken = 0;
        for (const id of ids) {
          const v = await deps.activity.verify(id);
          if (v.intact) {
            if (who) process.stdout.write(`${id}: intact (${v.count} entries)\n`);
          } else {
            broken++;
            process.stdout.write(`${id}: BROKEN at entry ${v.firstBroken.seq} (${v.firstBroken.reason})\n`);
          }
        }
        process.stdout.write(`${ids.length} chain(s) checked, ${broken} broken\n`);
        if (broken > 0) process.exitCode = 1;
      }),
    );
}
