import { request } from 'node:http';
import { connect } from 'node:net';
import { type Probe } from './kube-types.js';

/**
 * One probe attempt against a local process. Every probe port maps to the process's single
 * loopback port (the sample app listens on one port, whatever its containerPort is called).
 */
export function probeLocal(probe: Probe, localPort: number): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) return httpProbe(localPort, probe.httpGet.path ?? '/', timeoutMs);
  if (probe.tcpSocket) return tcpProbe(localPort, timeoutMs);
  // exec probes cannot run inside a local process; treat them as passing.
  return Promise.resolve(true);
}

function httpProbe(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

export function tcpProbe(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
