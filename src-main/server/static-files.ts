// The built renderer (out/renderer) served at `/`: files under the root only, whatever the URL says.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function serveStatic(root: string | null, pathname: string, response: ServerResponse): void {
  if (root === null) {
    sendText(
      response,
      503,
      'The Nocturnal Agent window is not built: run `npm run build`, then start `nocturnal serve` again. The API at /api/ works meanwhile.',
    );
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    sendText(response, 400, 'malformed URL');
    return;
  }
  const file = path.resolve(root, `.${decoded === '/' ? '/index.html' : decoded}`);
  if (file !== root && !file.startsWith(root + path.sep)) {
    sendText(response, 403, 'outside the renderer folder');
    return;
  }
  fs.readFile(file, (error, body) => {
    if (error) {
      sendText(response, 404, `not found: ${decoded}`);
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    response.end(body);
  });
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  response.end(text);
}
