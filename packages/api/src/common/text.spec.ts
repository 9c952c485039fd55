import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { nameProblem } from './text.js';

describe('nameProblem', () => {
  it('accepts names people write, with their own joiners and marks', () => {
    for (const name of ['王明', '张三丰', 'Tangshan Iron & Steel Co., Ltd.', 'Анна-Мария', 'अनु\u200Dराधा', 'محمد\u200F', '3M', "O'Brien"]) {
      expect(nameProblem(name), name).toBeNull();
    }
  });

  it('refuses names without a visible letter', () => {
    for (const name of ['\u200B', '\u200B\u200C\u200D', '\u2060\u00AD\uFEFF', '\u3000\u200B', '123', '---', '\u200E\u200F\u061C']) {
      expect(nameProblem(name), JSON.stringify(name)).toMatch(/visible letter/);
    }
  });

  it('refuses bidi overrides, embeddings and isolates outright, and control characters', () => {
    for (const name of ['\u202E', '王\u202E明', 'Acme\u202D Ltd', '\u2066Acme\u2069', 'a\u202Ab\u202C']) {
      expect(nameProblem(name), JSON.stringify(name)).toMatch(/bidirectional/);
    }
    for (const name of ['王\u0000明', 'a\tb', 'a\nb', 'a\u2028b', 'a\u0085b', 'a\uD800b']) {
      expect(nameProblem(name), JSON.stringify(name)).toMatch(/control characters/);
    }
  });
});
