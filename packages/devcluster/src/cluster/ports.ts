import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';

/**
 * Asks the kernel for `count` distinct free TCP ports on 127.0.0.1. All listeners stay open
 * until every port is known so the same port is never handed out twice; another process may
 * still grab one before our component binds it, which start-up detects and retries.
 */
export async function pickFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('could not read the port of a probe listener');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** Ports in LISTEN state on any local address, read from /proc/net/tcp and tcp6. */
export async function listeningPorts(): Promise<Set<number>> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields[1] is local "ADDR:PORT" in hex; fields[3] is the state, 0A = LISTEN.
      if (fields[3] === '0A' && fields[1]) ports.add(parseInt(fields[1].split(':')[1] ?? '', 16));
    }
  }
  return ports;
}
