import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { FerryInputError } from '@ferry/core';

/** What the HTTPS server is given, and what clients must trust. */
export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  /** The CA clients trust (the local CA, or the provided `caFile`). */
  caCertPem?: string;
  /** Where that CA is on disk. */
  caFile?: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Renew a little before the end so a running hub never serves an expired certificate for long. */
const RENEW_BEFORE_MS = 7 * DAY_MS;

type Key = webcrypto.CryptoKey;

x509.cryptoProvider.set(webcrypto as never);

/**
 * The local CA: made on first start in `<dataDir>/tls/` (keys mode 0600), reused later.
 * The CA lives ten years; the server certificate one year and is re-issued by the same CA
 * when it expires or when the names it must cover change.
 */
export async function ensureLocalCa(dataDir: string, host: string): Promise<TlsMaterial> {
  const dir = join(dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = { caCert: join(dir, 'ca.pem'), caKey: join(dir, 'ca.key'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
  const names = serverNames(host);

  let ca = await readPair(files.caCert, files.caKey);
  if (!ca || !stillValid(ca.certPem)) {
    ca = await createCa();
    await writePair(files.caCert, files.caKey, ca);
  }
  let server = await readPair(files.cert, files.key);
  if (!server || !stillValid(server.certPem) || !coversNames(server.certPem, names) || !issuedBy(server.certPem, ca.certPem)) {
    server = await createServerCertificate(ca, names);
    await writePair(files.cert, files.key, server);
  }
  return { certPem: server.certPem, keyPem: server.keyPem, caCertPem: ca.certPem, caFile: files.caCert };
}

/** Provided certificates (production): read once at start; a bad file is a clear input error. */
export async function loadProvidedTls(files: { certFile: string; keyFile: string; caFile?: string }): Promise<TlsMaterial> {
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new FerryInputError(`cannot read the TLS ${what} ${path}: ${(error as Error).message}`, { code: 'invalid_hub_options', cause: error });
    }
  };
  const certPem = await read(files.certFile, 'certificate');
  const keyPem = await read(files.keyFile, 'key');
  try {
    new NodeX509(certPem);
  } catch (error) {
    throw new FerryInputError(`the TLS certificate ${files.certFile} is not a PEM certificate`, { code: 'invalid_hub_options', cause: error });
  }
  if (!files.caFile) return { certPem, keyPem };
  return { certPem, keyPem, caCertPem: await read(files.caFile, 'CA certificate'), caFile: files.caFile };
}

interface Pair {
  certPem: string;
  keyPem: string;
}

/** 127.0.0.1, ::1 and localhost always; the listening host too when it is a real name or address. */
function serverNames(host: string): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare !== '0.0.0.0' && bare !== '::') {
    if (isIP(bare)) ips.add(bare);
    else dns.add(bare.toLowerCase());
  }
  return { dns: [...dns], ips: [...ips] };
}

async function createCa(): Promise<Pair> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Ferry hub local CA',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3650 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys: keys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey as Key) };
}

async function createServerCertificate(ca: Pair, names: { dns: string[]; ips: string[] }): Promise<Pair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey('pkcs8', pemBody(ca.keyPem), ALGORITHM, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names.dns.find((n) => n !== 'localhost') ?? names.ips.find((ip) => ip !== '127.0.0.1' && ip !== '::1') ?? '127.0.0.1'}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey as never,
    signingKey: caKey as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([...names.dns.map((value) => ({ type: 'dns' as const, value })), ...names.ips.map((value) => ({ type: 'ip' as const, value }))]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey as Key) };
}

async function readPair(certFile: string, keyFile: string): Promise<Pair | undefined> {
  try {
    return { certPem: await readFile(certFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8') };
  } catch {
    return undefined;
  }
}

async function writePair(certFile: string, keyFile: string, pair: Pair): Promise<void> {
  await writeFile(keyFile, pair.keyPem, { mode: 0o600 });
  await chmod(keyFile, 0o600);
  await writeFile(certFile, pair.certPem, { mode: 0o644 });
}

function stillValid(certPem: string): boolean {
  try {
    return new Date(new NodeX509(certPem).validTo).getTime() - RENEW_BEFORE_MS > Date.now();
  } catch {
    return false;
  }
}

function coversNames(certPem: string, names: { dns: string[]; ips: string[] }): boolean {
  const san = new NodeX509(certPem).subjectAltName ?? '';
  const have = new Set(san.split(',').map((entry) => entry.trim().replace(/^IP Address:/, 'IP:').toLowerCase()));
  return names.dns.every((n) => have.has(`dns:${n}`)) && names.ips.every((ip) => have.has(`ip:${normalizeIp(ip)}`));
}

function issuedBy(certPem: string, caPem: string): boolean {
  try {
    return new NodeX509(certPem).verify(new NodeX509(caPem).publicKey);
  } catch {
    return false;
  }
}

/** Node prints IPv6 SANs expanded (`0:0:0:0:0:0:0:1`). */
function normalizeIp(ip: string): string {
  if (ip === '::1') return '0:0:0:0:0:0:0:1';
  return ip.toLowerCase();
}

async function exportKey(key: Key): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  const body = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

function pemBody(pem: string): ArrayBuffer {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
}

/** A positive random serial (hex). */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
