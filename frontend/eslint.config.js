// ESLint for the frontend: the recommended rules of ESLint, typescript-eslint
// and eslint-plugin-vue, nothing more. Layout is left to the code's own
// style (the plugin's formatting rules are off), and no-undef to vue-tsc,
// which knows the browser's and Vue's globals better (as typescript-eslint
// advises for TypeScript).
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'wailsjs/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['**/*.ts', '**/*.vue'],
    rules: {
      'no-undef': 'off',
      // A parameter a signature needs but the body does not use says so with a leading _.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.vue'],
    rules: {
      // Form parts fill in the fields of the reactive form object their page owns and passes down;
      // replacing the prop itself is still refused.
      'vue/no-mutating-props': ['error', { shallowOnly: true }],
      // Formatting: the templates keep their own layout (wrapped attributes, one-line elements).
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/first-attribute-linebreak': 'off',
    },
  },
)
