/** The console's pages by path (below /console/). Unknown paths show the deployments list. */
export type Route =
  | { page: 'deployments' }
  | { page: 'deployment'; id: string }
  | { page: 'integrations' | 'credentials' | 'secrets' | 'targets' | 'roles' | 'users' | 'tenants' | 'agents' };

const CONFIGURE_PAGES = new Set(['integrations', 'credentials', 'secrets', 'targets', 'roles', 'users', 'tenants', 'agents']);

export function routeOf(path: string): Route {
  const parts = path.replace(/^\/console\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'deployments' && parts[1]) return { page: 'deployment', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'configure' && parts[1] && CONFIGURE_PAGES.has(parts[1])) return { page: parts[1] as Extract<Route, { page: 'agents' }>['page'] };
  return { page: 'deployments' };
}
