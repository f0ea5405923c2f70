/**
 * prometheus.yml for a dev cluster: one job scraping every pod the simulated node runs, found
 * through the file_sd targets file the node rewrites whenever pods start or stop.
 */
export function prometheusConfig(options: { clusterName: string; targetsFile: string; scrapeIntervalSeconds: number }): string {
  const interval = `${options.scrapeIntervalSeconds}s`;
  return [
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    `  evaluation_interval: ${interval}`,
    '  external_labels:',
    `    cluster: ${JSON.stringify(options.clusterName)}`,
    'scrape_configs:',
    '  - job_name: pods',
    '    metrics_path: /metrics',
    '    file_sd_configs:',
    `      - files: [${JSON.stringify(options.targetsFile)}]`,
    '        refresh_interval: 5s',
    '',
  ].join('\n');
}
