import { useState, type ReactNode } from 'react';
import { Link } from './router.js';
import { useSession } from './session.js';
import { applyTheme, nextTheme, storedTheme, type ThemeChoice } from './theme.js';

const DEPLOY_LINKS = [{ to: '/console/deployments', label: 'Deployments' }];
const CONFIGURE_LINKS = [
  { to: '/console/configure/integrations', label: 'Integrations' },
  { to: '/console/configure/credentials', label: 'Credentials' },
  { to: '/console/configure/secrets', label: 'Secrets' },
  { to: '/console/configure/targets', label: 'Targets' },
  { to: '/console/configure/roles', label: 'Roles' },
  { to: '/console/configure/users', label: 'Users' },
  { to: '/console/configure/tenants', label: 'Tenants' },
  { to: '/console/configure/agents', label: 'Agents' },
];

export function Layout({ path, children, onSignOut }: { path: string; children: ReactNode; onSignOut: () => void }) {
  const { me } = useSession();
  const [theme, setTheme] = useState<ThemeChoice>(storedTheme);
  const links = (list: typeof DEPLOY_LINKS) => (
    <ul>
      {list.map((link) => (
        <li key={link.to}>
          <Link to={link.to} current={path === link.to || path.startsWith(`${link.to}/`)}>
            {link.label}
          </Link>
        </li>
      ))}
    </ul>
  );
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Console">
        <p className="brand">Ferry</p>
        <h2>Deploy</h2>
        {links(DEPLOY_LINKS)}
        <h2>Configure</h2>
        {links(CONFIGURE_LINKS)}
      </nav>
      <div style={{ minWidth: 0 }}>
        <header className="topbar">
          <span className="muted">
            {me.name} · tenant {me.tenant}
          </span>
          <button
            type="button"
            aria-label={`Colour theme: ${theme}. Change theme`}
            onClick={() => {
              const next = nextTheme(theme);
              applyTheme(next);
              setTheme(next);
            }}
          >
            Theme: {theme}
          </button>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
