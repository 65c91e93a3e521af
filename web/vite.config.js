// SPDX-License-Identifier: Apache-2.0
// The lxkns web UI: Preact + Vite. `npm run dev` serves it with the API
// proxied to a running service (LXKNS_URL, default http://127.0.0.1:5010).
// The production build (run by the meson build, service/gen-assets.py) is
// embedded into the service binary.
import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'

const service = process.env.LXKNS_URL || 'http://127.0.0.1:5010'

export default defineConfig({
  plugins: [preact()],
  // Relative asset URLs: they resolve against <base href>, which the
  // service rewrites when it sits behind a path-rewriting proxy.
  base: './',
  define: {
    __LXKNS_VERSION__: JSON.stringify(process.env.LXKNS_VERSION || 'dev'),
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: {
      '/api': service,
      '/metrics': service,
      '/healthz': service,
    },
  },
})
