import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApiClient, messageOf } from './api/client.js';
import type { Me } from './api/types.js';
import { loadConsoleConfig, type ConsoleConfig } from './auth/console-config.js';
import { beginLogin, completeLogin, currentToken, signOut } from './auth/session.js';
import { Layout } from './components/Layout.js';
import { navigate, useLocation } from './components/router.js';
import { SessionContext, type Session } from './components/session.js';
import { permissionsFrom } from './logic/permissions.js';
import { routeOf } from './logic/routes.js';
import { AgentsPage } from './pages/AgentsPage.js';
import { CredentialsPage } from './pages/CredentialsPage.js';
import { DeploymentPage } from './pages/DeploymentPage.js';
import { DeploymentsPage } from './pages/DeploymentsPage.js';
import { IntegrationsPage } from './pages/IntegrationsPage.js';
import { RolesPage } from './pages/RolesPage.js';
import { SecretsPage } from './pages/SecretsPage.js';
import { TargetsPage } from './pages/TargetsPage.js';
import { TenantsPage } from './pages/TenantsPage.js';
import { UsersPage } from './pages/UsersPage.js';

export function App() {
  const { path } = useLocation();
  const [config, setConfig] = useState<ConsoleConfig | undefined>();
  const [signedIn, setSignedIn] = useState(() => currentToken() !== undefined);
  const [session, setSession] = useState<Session | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    void loadConsoleConfig().then(setConfig);
  }, []);

  // Back from the hub's login page with a code.
  useEffect(() => {
    if (!config || path !== '/console/callback') return;
    completeLogin(config, new URL(window.location.href)).then(
      (returnTo) => {
        setSignedIn(true);
        navigate(returnTo, { replace: true });
      },
      (e: unknown) => {
        setError(`Sign-in failed: ${messageOf(e)}`);
        navigate('/console/', { replace: true });
      },
    );
  }, [config, path]);

  const api = useMemo(
    () =>
      config
        ? createApiClient(config.apiBaseUrl, () => currentToken()?.accessToken, () => {
            signOut();
            setSignedIn(false);
            setSession(undefined);
          })
        : undefined,
    [config],
  );

  useEffect(() => {
    if (!api || !signedIn) return;
    let cancelled = false;
    (async () => {
      // The hub resolves the person's grants: they decide which buttons are enabled.
      const me = await api.get<Me>('/api/v1/me');
      const permissions = permissionsFrom(me);
      if (!cancelled) setSession({ api, me, permissions });
    })().catch((e: unknown) => !cancelled && setError(messageOf(e)));
    return () => {
      cancelled = true;
    };
  }, [api, signedIn]);

  if (path === '/console/callback') return <Centered title="Signing in…" />;
  if (!config) return <Centered title="Loading…" />;
  if (!signedIn) {
    return (
      <Centered title="Ferry console">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <p>Sign in with your Ferry account to see and steer deployments.</p>
        <button type="button" className="primary" onClick={() => void beginLogin(config, returnPath()).catch((e: unknown) => setError(messageOf(e)))}>
          Sign in
        </button>
      </Centered>
    );
  }
  if (!session) return <Centered title="Loading…">{error ? <p className="error">{error}</p> : null}</Centered>;

  const route = routeOf(path);
  return (
    <SessionContext.Provider value={session}>
      <Layout
        path={path}
        onSignOut={() => {
          signOut();
          setSignedIn(false);
          setSession(undefined);
        }}
      >
        {route.page === 'deployment' ? (
          <DeploymentPage key={route.id} id={route.id} />
        ) : route.page === 'integrations' ? (
          <IntegrationsPage />
        ) : route.page === 'credentials' ? (
          <CredentialsPage />
        ) : route.page === 'secrets' ? (
          <SecretsPage />
        ) : route.page === 'targets' ? (
          <TargetsPage />
        ) : route.page === 'roles' ? (
          <RolesPage />
        ) : route.page === 'users' ? (
          <UsersPage />
        ) : route.page === 'tenants' ? (
          <TenantsPage />
        ) : route.page === 'agents' ? (
          <AgentsPage />
        ) : (
          <DeploymentsPage />
        )}
      </Layout>
    </SessionContext.Provider>
  );
}

function returnPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}

function Centered({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <main className="center" id="main">
      <h1>{title}</h1>
      {children}
    </main>
  );
}
