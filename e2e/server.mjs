// A minimal static file server (node:http only) for the end-to-end test.
// Serves each built site under one or more mount points (e.g. "/" and
// "/luu-tru/ban-tin/"), like a plain web server would: "dir/" → dir/index.html,
// "dir" → 301 "dir/", unknown paths → 404 with the site's 404.html.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
};

export function contentType(file) {
  if (path.basename(file) === 'feed.xml') return 'application/atom+xml; charset=utf-8';
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * mounts: [{ prefix: '/luu-tru/ban-tin/', root: '/abs/site' }, ...]
 * Resolves to { server, port, origin, log } once listening on 127.0.0.1.
 */
export function startServer(mounts, { port = 0 } = {}) {
  const sorted = mounts.map((m) => ({ prefix: m.prefix, root: path.resolve(m.root) })).sort((a, b) => b.prefix.length - a.prefix.length);
  const log = [];
  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      log.push({ method: req.method, url: req.url, status });
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { Allow: 'GET, HEAD' }, '');
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, { 'Content-Type': 'text/plain' }, 'bad request');
    }
    if (pathname.includes('\0')) return send(400, { 'Content-Type': 'text/plain' }, 'bad request');
    const mount = sorted.find((m) => pathname.startsWith(m.prefix) || pathname + '/' === m.prefix);
    if (!mount) return send(404, { 'Content-Type': 'text/plain' }, 'not found');
    if (pathname + '/' === mount.prefix) {
      return send(301, { Location: mount.prefix }, '');
    }
    const rel = pathname.slice(mount.prefix.length);
    const file = path.resolve(mount.root, '.' + path.posix.normalize('/' + rel));
    if (file !== mount.root && !file.startsWith(mount.root + path.sep)) {
      return send(403, { 'Content-Type': 'text/plain' }, 'forbidden');
    }
    let target = file;
    let stat = fs.statSync(target, { throwIfNoEntry: false });
    if (stat && stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const u = new URL(req.url, 'http://127.0.0.1');
        return send(301, { Location: u.pathname + '/' + u.search }, '');
      }
      target = path.join(target, 'index.html');
      stat = fs.statSync(target, { throwIfNoEntry: false });
    }
    if (!stat || !stat.isFile()) {
      const notFound = path.join(mount.root, '404.html');
      const body = fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found';
      return send(404, { 'Content-Type': 'text/html; charset=utf-8' }, body);
    }
    send(200, {
      'Content-Type': contentType(target),
      'Content-Length': stat.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    }, fs.readFileSync(target));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolve({ server, port: actual, origin: `http://127.0.0.1:${actual}`, log });
    });
  });
}

// Standalone: node server.mjs SITE_DIR [PREFIX] — serve for a manual look.
if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const root = path.resolve(process.argv[2] || 'artefacts/site');
  const prefix = process.argv[3] || '/';
  const { origin } = await startServer([{ prefix, root }], { port: Number(process.env.PORT || 0) });
  console.log(`serving ${root} at ${origin}${prefix}`);
}
