import { defineConfig } from 'vitest/config';
import type { ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { fileURLToPath, URL } from 'node:url';

/**
 * The dev server's proxy to the service. The browser's Origin (the dev server's) is dropped, as the service refuses
 * cross-origin credentials it was not configured for; a page load of a client route that is also an API path
 * (GET /search with Accept text/html) stays with the dev server.
 */
const backend: ProxyOptions = {
  target: 'http://localhost:8080',
  configure: (proxy) => proxy.on('proxyReq', (request) => request.removeHeader('origin')),
  bypass: (request) => (request.method === 'GET' && request.headers.accept?.includes('text/html') ? '/index.html' : undefined),
};

// The build lands in target/classes/static so Maven packs it into the ui jar and the app serves it at /.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` against a running service (scripts/run.sh) on :8080
    proxy: Object.fromEntries(['/api', '/search', '/mcp', '/tools', '/actuator'].map((path) => [path, backend])),
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
