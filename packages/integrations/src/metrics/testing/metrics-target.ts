import { startHttpServer, type LocalServer } from './http-server.js';

/**
 * A scrape target with known metrics. `http_requests_total` grows by 2000 requests/s, split
 * 17:1:1:1 over codes 200, 404, 500 and 503, so the 5xx fraction is exactly 0.1 at any
 * moment and over any window; `ferry_test_gauge` is always 42 and `ferry_test_nan` NaN.
 */
export async function startMetricsTarget(): Promise<LocalServer> {
  const started = Date.now();
  return startHttpServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    const k = Math.floor((Date.now() - started) / 10) * 10;
    const lines = [
      '# HELP http_requests_total Requests served.',
      '# TYPE http_requests_total counter',
      `http_requests_total{code="200"} ${17 * k}`,
      `http_requests_total{code="404"} ${k}`,
      `http_requests_total{code="500"} ${k}`,
      `http_requests_total{code="503"} ${k}`,
      '# TYPE ferry_test_gauge gauge',
      'ferry_test_gauge 42',
      '# TYPE ferry_test_nan gauge',
      'ferry_test_nan NaN',
      '',
    ];
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(lines.join('\n'));
  });
}
