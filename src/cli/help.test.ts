/**
 * Every command and sub-command has a description and --help (checked in-process: one
 * child process per sub-command would take minutes).
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildCli } from './index.ts';

function walk(cmd: Command, path: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return cmd.commands.flatMap((c) => [{ path: [...path, c.name()], cmd: c }, ...walk(c, [...path, c.name()])]);
}

describe('openlocker --help', () => {
  const all = walk(buildCli());

  it('includes the issuers and sandbox groups with their sub-commands', () => {
    const names = all.map((c) => c.path.join(' '));
    for (const n of ['issuers add', 'issuers list', 'issuers show', 'issuers disable', 'issuers enable', 'issuers import', 'issuers seed', 'sandbox serve', 'sandbox identities', 'sandbox students', 'sandbox registrations']) {
      expect(names).toContain(n);
    }
  });

  it('every command describes itself and prints usage', () => {
    for (const { path, cmd } of all) {
      expect(cmd.description(), path.join(' ')).not.toBe('');
      expect(cmd.helpInformation(), path.join(' ')).toMatch(new RegExp(`^Usage: openlocker ${path.join(' ')}`));
    }
  });
});
