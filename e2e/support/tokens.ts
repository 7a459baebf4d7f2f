// Token files as an operator makes them: the real program's `fastthread token add` and
// `remove`, so the tests use the format and the hashing the server reads.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FASTTHREAD_BINARY } from './paths';

const run = promisify(execFile);

// Adds NAME to FILE (made if missing) and gives the token, which the program prints once.
export async function addToken(file: string, name: string): Promise<string> {
  const { stdout } = await run(FASTTHREAD_BINARY, ['token', 'add', name, '--tokens', file]);
  const token = stdout.trim();
  if (!/^ft_[0-9a-f]{64}$/.test(token)) throw new Error(`fastthread token add printed no token: ${JSON.stringify(stdout)}`);
  return token;
}

export async function removeToken(file: string, name: string): Promise<void> {
  await run(FASTTHREAD_BINARY, ['token', 'remove', name, '--tokens', file]);
}
