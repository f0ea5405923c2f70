import type { ClusterPki } from './certificates.js';

/** Service ClusterIPs come from this range; its first address is the `kubernetes` Service's. */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface EtcdPorts {
  client: number;
  peer: number;
}

export function etcdArgs(name: string, dataDir: string, ports: EtcdPorts): string[] {
  const client = `http://127.0.0.1:${ports.client}`;
  const peer = `http://127.0.0.1:${ports.peer}`;
  // Plain HTTP on loopback: only this cluster's API server talks to it.
  return [
    `--name=${name}`,
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${name}=${peer}`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=ferry-${name}`,
    // A dev cluster holds little; keep the backend and its snapshots small.
    '--quota-backend-bytes=1073741824',
    '--snapshot-count=5000',
    '--log-level=warn',
    '--logger=zap',
  ];
}

/**
 * Admission plugins: 1.20's defaults minus the two that only make sense with real volumes
 * (StorageObjectInUseProtection adds finalizers that only a PV/PVC setup clears;
 * PersistentVolumeClaimResize needs a storage backend). NodeRestriction stays off as in the
 * defaults: the simulated node authenticates with the admin credentials, not a node identity.
 */
export const ADMISSION_PLUGINS = [
  'NamespaceLifecycle',
  'TaintNodesByCondition',
  'LimitRanger',
  'ServiceAccount',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'Priority',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
];
export const DISABLED_ADMISSION_PLUGINS = ['StorageObjectInUseProtection', 'PersistentVolumeClaimResize'];

export function apiServerArgs(pki: ClusterPki, etcdClientPort: number, securePort: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${securePort}`,
    // Kubernetes 1.20 still opens an unauthenticated port 8080 by default; two clusters would clash on it.
    '--insecure-port=0',
    `--tls-cert-file=${pki.apiServerCert}`,
    `--tls-private-key-file=${pki.apiServerKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--kubelet-client-certificate=${pki.kubeletClientCert}`,
    `--kubelet-client-key=${pki.kubeletClientKey}`,
    // Aggregation layer / requestheader authentication, as kubeadm sets it up.
    `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki.frontProxyClientCert}`,
    `--proxy-client-key-file=${pki.frontProxyClientKey}`,
    '--authorization-mode=Node,RBAC',
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${pki.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    `--enable-admission-plugins=${ADMISSION_PLUGINS.join(',')}`,
    `--disable-admission-plugins=${DISABLED_ADMISSION_PLUGINS.join(',')}`,
    // The `kubernetes` Service's Endpoints may not point at a loopback address, and nothing in
    // a dev cluster reaches the API through that Service, so don't reconcile them.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=1',
  ];
}

export function controllerManagerArgs(pki: ClusterPki, kubeconfig: string, securePort: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${securePort}`,
    // 1.20's insecure port defaults to 10252; two clusters would clash on it.
    '--port=0',
    `--tls-cert-file=${pki.controllerManagerServingCert}`,
    `--tls-private-key-file=${pki.controllerManagerServingKey}`,
    // Every controller ('*'): namespace deletion, garbage collection and the service-account
    // token, replicaset, deployment, endpoint and nodelifecycle controllers all matter to tests.
    '--controllers=*',
    '--use-service-account-credentials=true',
    `--root-ca-file=${pki.caCert}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ];
}
