/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  // Element Plus inlined, so that its form validation gets async-validator's ES module as in the browser build.
  test: { environment: 'happy-dom', server: { deps: { inline: ['element-plus'] } } },
})
