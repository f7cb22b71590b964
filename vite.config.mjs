// Vite build of the browser front end (web/ -> build/web).
// The C server embeds every file of build/web and serves index.html at `/` and
// the bundle at `/assets/...`, under a strict Content-Security-Policy
// (default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:),
// so the output must have no inline script, no eval and nothing from other hosts.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  // Everything the page needs is imported from web/src, so it lands in assets/;
  // no public/ folder whose files would sit beside index.html.
  publicDir: false,
  build: {
    outDir: '../build/web',
    emptyOutDir: true,
    sourcemap: false,
    assetsDir: 'assets',
    // One small bundle; modern browsers only (officers use current Chrome/Edge/Firefox).
    target: 'es2020',
    cssCodeSplit: false,
    // A single entry chunk: no preload links, so no polyfill for them.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
