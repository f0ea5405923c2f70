/** The deployments list's query string from the filters (empty ones left out). */
export function deploymentListQuery(filters: { application?: string; status?: string; target?: string; limit?: number }): string {
  const params = new URLSearchParams();
  if (filters.application?.trim()) params.set('application', filters.application.trim());
  if (filters.status?.trim()) params.set('status', filters.status.trim());
  if (filters.target?.trim()) params.set('target', filters.target.trim());
  params.set('limit', String(filters.limit ?? 100));
  return `?${params.toString()}`;
}
