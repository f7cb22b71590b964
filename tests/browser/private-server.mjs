// A server of a test's own, for the browser tests that change records (the
// workflow, the dashboard's live update): a fresh demo database made with the
// runner's binary (HOCTAP_BIN) and seed, an administrator of the city, and
// `hoctap serve` on a free loopback port. The other browser tests, which
// compare the pages with the API on the shared server, never see the changes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BIN = process.env.HOCTAP_BIN || '';

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start the server: `name` names the temporary folder, `user` and `password`
 * the administrator of unit 31 to create. Returns {url, user, password,
 * stop()}; stop() sends SIGTERM, removes the folder and resolves to the exit code.
 */
export async function privateServer({ name, user, password, fullName = 'Quản trị kiểm thử' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hoctap-${name}-`));
  const db = path.join(dir, 'demo.db');
  const run = (args, input) => {
    const result = spawnSync(BIN, args, { input, encoding: 'utf8', cwd: dir });
    assert.equal(result.status, 0, `hoctap ${args.join(' ')}: ${result.stderr}`);
  };
  run(['demo', '--db', db, '--households', '3000', '--seed', '7']);
  run(['user', 'add', user, '--role', 'admin', '--unit', '31', '--full-name', fullName, '--password-stdin', '--db', db], `${password}\n`);
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'server.log'), 'w');
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/v1/meta`)).ok) break;
    } catch {
      /* not listening yet */
    }
    assert.ok(child.exitCode === null, `the server exited at start: ${fs.readFileSync(path.join(dir, 'server.log'), 'utf8')}`);
    assert.ok(Date.now() < deadline, 'the server did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    user,
    password,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      const { code } = await exited;
      fs.closeSync(log);
      fs.rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
