import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Certificates are made with the `openssl` CLI (Debian's openssl package) rather than an npm
 * library: it is already a prerequisite, needs no dependency, and does the X.509 work correctly.
 * Keys are ECDSA P-256: generated instantly and accepted by Go (apiserver, controller-manager,
 * kubectl) and Node's TLS alike, including for signing ServiceAccount tokens (ES256).
 */

/** Addresses every serving certificate is valid for; everything listens on 127.0.0.1. */
const LOOPBACK_SANS = ['IP:127.0.0.1', 'DNS:localhost'];

/** The in-cluster names of the `kubernetes` Service, plus its ClusterIP (first IP of the service range). */
export function apiServerSans(serviceIp: string): string[] {
  return [
    ...LOOPBACK_SANS,
    `IP:${serviceIp}`,
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
}

export interface ClusterPki {
  dir: string;
  caCert: string;
  caKey: string;
  apiServerCert: string;
  apiServerKey: string;
  /** Client certificate in system:masters: the admin kubeconfig's identity. */
  adminCert: string;
  adminKey: string;
  /** Client certificate for the controller-manager (CN system:kube-controller-manager, bound by RBAC's bootstrap policy). */
  controllerManagerClientCert: string;
  controllerManagerClientKey: string;
  /** Serving certificate for the controller-manager's secure port. */
  controllerManagerServingCert: string;
  controllerManagerServingKey: string;
  /** The API server's client certificate towards kubelets (logs, exec), in system:masters. */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** CA and client certificate of the aggregation layer (requestheader authentication). */
  frontProxyCaCert: string;
  frontProxyClientCert: string;
  frontProxyClientKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

interface LeafSpec {
  file: string;
  subject: string;
  usage: 'server' | 'client' | 'both';
  sans?: string[];
  /** Signing CA's file stem (default `ca`). */
  ca?: string;
}

/** Creates a fresh CA and every certificate one dev cluster needs under `dir` (replacing what is there). */
export async function generateClusterPki(dir: string, clusterName: string, serviceIp: string): Promise<ClusterPki> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: string) => join(dir, name);

  await Promise.all([createCa(dir, 'ca', `ferry-devcluster-${clusterName}-ca`), createCa(dir, 'front-proxy-ca', `ferry-devcluster-${clusterName}-front-proxy-ca`)]);

  const leaves: LeafSpec[] = [
    { file: 'apiserver', subject: '/CN=kube-apiserver', usage: 'server', sans: apiServerSans(serviceIp) },
    { file: 'admin', subject: '/O=system:masters/CN=ferry-admin', usage: 'client' },
    { file: 'controller-manager-client', subject: '/CN=system:kube-controller-manager', usage: 'client' },
    { file: 'controller-manager-serving', subject: '/CN=kube-controller-manager', usage: 'server', sans: LOOPBACK_SANS },
    { file: 'apiserver-kubelet-client', subject: '/O=system:masters/CN=kube-apiserver-kubelet-client', usage: 'client' },
    // The aggregation layer's identity towards extension API servers, signed by its own CA as
    // kubeadm does. Configuring it also gives components the requestheader CA they look up.
    { file: 'front-proxy-client', subject: '/CN=front-proxy-client', usage: 'client', ca: 'front-proxy-ca' },
  ];
  await Promise.all([
    ...leaves.map((leaf) => generateLeaf(dir, leaf)),
    generateKey(path('sa.key')).then(() => openssl(['pkey', '-in', path('sa.key'), '-pubout', '-out', path('sa.pub')])),
  ]);

  return {
    dir,
    caCert: path('ca.crt'),
    caKey: path('ca.key'),
    apiServerCert: path('apiserver.crt'),
    apiServerKey: path('apiserver.key'),
    adminCert: path('admin.crt'),
    adminKey: path('admin.key'),
    controllerManagerClientCert: path('controller-manager-client.crt'),
    controllerManagerClientKey: path('controller-manager-client.key'),
    controllerManagerServingCert: path('controller-manager-serving.crt'),
    controllerManagerServingKey: path('controller-manager-serving.key'),
    kubeletClientCert: path('apiserver-kubelet-client.crt'),
    kubeletClientKey: path('apiserver-kubelet-client.key'),
    frontProxyCaCert: path('front-proxy-ca.crt'),
    frontProxyClientCert: path('front-proxy-client.crt'),
    frontProxyClientKey: path('front-proxy-client.key'),
    serviceAccountKey: path('sa.key'),
    serviceAccountPublicKey: path('sa.pub'),
  };
}

/** The PKI file paths of a cluster directory without generating anything (for stop/status in another process). */
export function pkiPaths(dir: string): Pick<ClusterPki, 'caCert' | 'adminCert' | 'adminKey'> {
  return { caCert: join(dir, 'ca.crt'), adminCert: join(dir, 'admin.crt'), adminKey: join(dir, 'admin.key') };
}

async function generateLeaf(dir: string, leaf: LeafSpec): Promise<void> {
  const key = join(dir, `${leaf.file}.key`);
  const csr = join(dir, `${leaf.file}.csr`);
  const ext = join(dir, `${leaf.file}.ext`);
  const extendedUsage = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' }[leaf.usage];
  await writeFile(
    ext,
    [
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage = ${extendedUsage}`,
      'authorityKeyIdentifier = keyid',
      ...(leaf.sans ? [`subjectAltName = ${leaf.sans.join(',')}`] : []),
      '',
    ].join('\n'),
  );
  await generateKey(key);
  await openssl(['req', '-new', '-key', key, '-subj', leaf.subject, '-out', csr]);
  await openssl([
    'x509', '-req', '-in', csr, '-CA', join(dir, `${leaf.ca ?? 'ca'}.crt`), '-CAkey', join(dir, `${leaf.ca ?? 'ca'}.key`),
    // A random serial instead of -CAcreateserial: the leaves are signed in parallel.
    '-set_serial', `0x${randomBytes(16).toString('hex').replace(/^[89a-f]/, '1')}`,
    '-days', '3650', '-sha256', '-extfile', ext, '-out', join(dir, `${leaf.file}.crt`),
  ]);
  await rm(csr);
}

/** A self-signed CA: `<stem>.key` and `<stem>.crt` in `dir`. */
async function createCa(dir: string, stem: string, commonName: string): Promise<void> {
  const config = join(dir, `${stem}.cnf`);
  await writeFile(
    config,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      `CN = ${commonName}`,
      '[ca_ext]',
      'basicConstraints = critical,CA:TRUE',
      'keyUsage = critical,keyCertSign,cRLSign,digitalSignature',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  await generateKey(join(dir, `${stem}.key`));
  await openssl(['req', '-x509', '-new', '-config', config, '-extensions', 'ca_ext', '-key', join(dir, `${stem}.key`), '-days', '3650', '-sha256', '-out', join(dir, `${stem}.crt`)]);
}

async function generateKey(file: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

async function openssl(args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`openssl ${args[0]} failed${stderr ? `: ${stderr}` : ''} (is Debian's openssl installed? run install-prerequisites.sh)`, {
      cause: error,
    });
  }
}
