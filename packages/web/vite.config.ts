import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vendor chunks: stable, cacheable, and the map library only loads with the map. A group also takes its
 * dependencies, so the groups the first page needs have the higher priorities (leaflet must not capture react).
 */
const VENDORS: { name: string; test: RegExp; priority: number }[] = [
  { name: 'vendor-leaflet', test: /[\\/]node_modules[\\/](leaflet|react-leaflet|@react-leaflet)[\\/]/, priority: 10 },
  { name: 'vendor-react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 50 },
  { name: 'vendor-antd', test: /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|stylis|clsx|classnames|dayjs|compute-scroll-into-view|scroll-into-view-if-needed|throttle-debounce|json2mq|string-convert|toggle-selection|copy-to-clipboard|@babel[\\/]runtime)[\\/]/, priority: 40 },
  { name: 'vendor-i18n', test: /[\\/]node_modules[\\/](i18next|react-i18next|html-parse-stringify|void-elements)[\\/]/, priority: 40 },
  { name: 'vendor-shared', test: /[\\/](@sinclair[\\/]typebox|packages[\\/]shared)[\\/]/, priority: 30 },
];

export default defineConfig({
  root,
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: { port: 4173, proxy: { '/api': { target: 'http://localhost:3000' } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // The rolldown form of `manualChunks` (which Vite 8 deprecates in its favour).
        codeSplitting: {
          groups: VENDORS.map((v) => ({ name: v.name, test: v.test, priority: v.priority })),
        },
      },
    },
  },
});
