// Lint rules: typescript-eslint's recommended set plus the few rules that catch real bugs in async,
// security-sensitive code (floating promises would let a verdict be reported before it is known).
import js from '@eslint/js';
import { dirname, resolve } from 'node:path';
import tseslint from 'typescript-eslint';
import { LAYERS, rankOf, unitOf } from './scripts/layers.mjs';

/**
 * `layers/downward-only`: a module of src/ imports its own unit or a unit of a lower layer, never one
 * of its own layer or above (the table is scripts/layers.mjs, which also prints the whole graph).
 */
const layers = {
  rules: {
    'downward-only': {
      meta: { type: 'problem', schema: [], messages: { upward: '{{from}} (layer {{rf}}: {{rfName}}) must not import {{to}} (layer {{rt}}: {{rtName}}); move the shared piece down or invert the dependency (scripts/layers.mjs)', unlayered: '{{unit}} is in no layer of scripts/layers.mjs; add it there' } },
      create(context) {
        const file = context.filename;
        const from = unitOf(file);
        if (from === undefined) return {};
        const check = (node, spec) => {
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const to = unitOf(resolve(dirname(file), spec));
          if (to === undefined || to === from) return;
          const rf = rankOf(from);
          const rt = rankOf(to);
          if (rf === undefined) return context.report({ node, messageId: 'unlayered', data: { unit: from } });
          if (rt === undefined) return context.report({ node, messageId: 'unlayered', data: { unit: to } });
          if (rt >= rf) context.report({ node, messageId: 'upward', data: { from, to, rf, rt, rfName: LAYERS[rf].name, rtName: LAYERS[rt].name } });
        };
        return {
          ImportDeclaration: (n) => check(n, n.source.value),
          ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
          ExportAllDeclaration: (n) => check(n, n.source.value),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/downward-only': 'error' },
  },
);
