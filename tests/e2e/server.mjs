// Tiny static file server for the end-to-end tests (Node's `http`, no dependencies).
//
// Serves a directory (normally the release build in dist/) UNDER A SUB-PATH, e.g.
// http://127.0.0.1:<ephemeral>/stsplay/some/sub/path/, so the tests prove the build is a
// relocatable static site. Requests outside the sub-path get 404 and are recorded in
// `outside`, so a test can assert the app never asked for an absolute URL. Every
// response carries the site's Content-Security-Policy header (CSP below).

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/**
 * The Content-Security-Policy the site is meant to be served with. web/index.html
 * carries the same policy in a <meta> minus `frame-ancestors` (which browsers ignore
 * in a <meta>); a test checks that the two agree.
 */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  'frame-ancestors *',
];
export const CSP = CSP_DIRECTIVES.join('; ');

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Start serving `root` at `http://127.0.0.1:<ephemeral port><basePath>`.
 * `csp: false` leaves out the Content-Security-Policy header (only to compare
 * with builds from before the site was CSP-clean).
 * @param {{root: string, basePath?: string, csp?: boolean}} options
 * @returns {Promise<{url: string, port: number, basePath: string,
 *   requests: {method: string, url: string, status: number}[],
 *   outside: string[], close: () => Promise<void>}>}
 */
export async function startServer({ root, basePath = '/stsplay/some/sub/path/', csp = true }) {
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) {
    throw new Error(`basePath must start and end with "/": ${basePath}`);
  }
  const rootDir = path.resolve(root);
  const requests = [];
  const outside = [];

  const server = http.createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      requests.push({ method: req.method, url: req.url, status });
      res.writeHead(status, {
        'Cache-Control': 'no-store',
        ...(csp ? { 'Content-Security-Policy': CSP } : {}),
        'X-Content-Type-Options': 'nosniff',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(405, 'method not allowed\n', { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      }
      const { pathname } = new URL(req.url, 'http://localhost');
      if (pathname === basePath.slice(0, -1)) {
        // "/sub/path" -> "/sub/path/" so relative URLs resolve inside the sub-path.
        return send(301, '', { Location: basePath });
      }
      if (!pathname.startsWith(basePath)) {
        // Browsers ask for /favicon.ico on their own; anything else is the app's doing.
        if (pathname !== '/favicon.ico') outside.push(req.url);
        return send(404, 'not found (outside the base path)\n', { 'Content-Type': 'text/plain' });
      }
      let rel;
      try {
        rel = decodeURIComponent(pathname.slice(basePath.length));
      } catch {
        return send(400, 'bad request\n', { 'Content-Type': 'text/plain' });
      }
      if (rel.includes('\0')) return send(400, 'bad request\n', { 'Content-Type': 'text/plain' });
      let file = path.resolve(rootDir, '.' + path.posix.sep + rel);
      if (file !== rootDir && !file.startsWith(rootDir + path.sep)) {
        return send(403, 'forbidden\n', { 'Content-Type': 'text/plain' });
      }
      let stat = await fs.stat(file).catch(() => null);
      if (stat?.isDirectory()) {
        if (!pathname.endsWith('/')) return send(301, '', { Location: pathname + '/' });
        file = path.join(file, 'index.html');
        stat = await fs.stat(file).catch(() => null);
      }
      if (!stat?.isFile()) {
        return send(404, 'not found\n', { 'Content-Type': 'text/plain' });
      }
      const body = await fs.readFile(file);
      return send(200, body, { 'Content-Type': contentType(file), 'Content-Length': body.length });
    } catch (err) {
      return send(500, `internal error: ${err}\n`, { 'Content-Type': 'text/plain' });
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    port,
    basePath,
    requests,
    outside,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
