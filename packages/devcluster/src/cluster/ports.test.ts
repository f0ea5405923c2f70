import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listeningPorts, pickFreePorts } from './ports.js';

describe('ports', () => {
  it('picks distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await pickFreePorts(4);
    expect(new Set(ports).size).toBe(4);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('sees a listener appear and disappear in /proc/net/tcp', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    expect((await listeningPorts()).has(port)).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect((await listeningPorts()).has(port)).toBe(false);
  });
});
