import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config/config.ts';

describe('loadConfig', () => {
  it('gives the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.store).toBe('file://./.reverie');
    expect(config.api).toEqual({ token: undefined, open: false, port: 8787 });
    expect(config.engine).toBe('local');
    expect(config.llm).toEqual({});
  });

  it('configures an LLM role from its variables', () => {
    const config = loadConfig({
      REVERIE_TEACHER_BASE_URL: 'http://127.0.0.1:8000/v1',
      REVERIE_TEACHER_MODEL: 'qwen',
      REVERIE_TEACHER_CONCURRENCY: '4',
    });
    expect(config.llm.teacher).toMatchObject({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'qwen', concurrency: 4, apiKey: 'none' });
    expect(config.llm.policy).toBeUndefined();
  });

  it('names every bad variable and what it expects', () => {
    const attempt = () =>
      loadConfig({ REVERIE_PORT: 'eighty', REVERIE_ENGINE: 'cloud', REVERIE_POLICY_BASE_URL: 'ftp://x', REVERIE_API_TOKEN: 'short' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REVERIE_PORT: expected an integer from 1 to 65535, got "eighty"/);
    expect(attempt).toThrow(/REVERIE_ENGINE: expected .*got "cloud"/);
    expect(attempt).toThrow(/REVERIE_POLICY_BASE_URL: expected an http\(s\) URL/);
    expect(attempt).toThrow(/REVERIE_API_TOKEN: expected at least 16 characters/);
  });

  it('picks the vector index, and requires a bucket for S3 Vectors', () => {
    expect(loadConfig({}).vectorIndex).toEqual({ kind: 'exact', bucket: undefined });
    expect(loadConfig({ REVERIE_VECTOR_INDEX: 'usearch' }).vectorIndex.kind).toBe('usearch');
    expect(loadConfig({ REVERIE_VECTOR_INDEX: 's3vectors', REVERIE_VECTOR_BUCKET: 'reverie-vectors' }).vectorIndex).toEqual({ kind: 's3vectors', bucket: 'reverie-vectors' });
    expect(() => loadConfig({ REVERIE_VECTOR_INDEX: 's3vectors' })).toThrow(/REVERIE_VECTOR_BUCKET: expected a vector bucket name because REVERIE_VECTOR_INDEX is s3vectors/);
    expect(() => loadConfig({ REVERIE_VECTOR_INDEX: 'faiss' })).toThrow(/REVERIE_VECTOR_INDEX: expected/);
    expect(() => loadConfig({ REVERIE_VECTOR_INDEX: 's3vectors', REVERIE_VECTOR_BUCKET: 'Bad_Name' })).toThrow(/REVERIE_VECTOR_BUCKET: expected an S3 vector bucket name/);
  });

  it('reads a role\'s sampling (temperature, max_tokens), unset by default, and names a bad value', () => {
    const config = loadConfig({
      REVERIE_EXPERIENCE_BASE_URL: 'http://127.0.0.1:8000/v1', REVERIE_EXPERIENCE_MODEL: 'm',
      REVERIE_EXPERIENCE_TEMPERATURE: '0.3', REVERIE_EXPERIENCE_MAX_TOKENS: '768',
      REVERIE_TEACHER_BASE_URL: 'http://127.0.0.1:8001/v1', REVERIE_TEACHER_MODEL: 't',
    });
    expect(config.llm.experience).toMatchObject({ temperature: 0.3, maxTokens: 768 });
    expect(config.llm.teacher!.temperature).toBeUndefined();
    expect(config.llm.teacher!.maxTokens).toBeUndefined();
    expect(() => loadConfig({ REVERIE_EXPERIENCE_TEMPERATURE: '2.5' })).toThrow(/REVERIE_EXPERIENCE_TEMPERATURE: expected a number from 0 to 2, got "2.5"/);
    expect(() => loadConfig({ REVERIE_POLICY_MAX_TOKENS: 'lots' })).toThrow(/REVERIE_POLICY_MAX_TOKENS: expected an integer/);
  });

  it('rejects bad LLM role values even for a role with no base URL', () => {
    const attempt = () => loadConfig({ REVERIE_EXPERIENCE_TIMEOUT_MS: 'soon', REVERIE_TEACHER_CONCURRENCY: '0' });
    expect(attempt).toThrow(/REVERIE_EXPERIENCE_TIMEOUT_MS: expected an integer/);
    expect(attempt).toThrow(/REVERIE_TEACHER_CONCURRENCY: expected an integer from 1/);
  });

  it('reads the request and image limits', () => {
    expect(loadConfig({}).limits).toEqual({ maxBodyBytes: 6 * 1024 * 1024, maxJsonDepth: 64, maxImagePixels: 40_000_000, maxImageBytes: 50_000_000 });
    expect(() => loadConfig({ REVERIE_API_MAX_BODY_BYTES: 'big' })).toThrow(/REVERIE_API_MAX_BODY_BYTES/);
  });

  it('requires a model when a role has a base URL', () => {
    expect(() => loadConfig({ REVERIE_POLICY_BASE_URL: 'http://localhost:1/v1' })).toThrow(/REVERIE_POLICY_MODEL/);
  });

  it('reads a config file and lets the environment override it', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'reverie.json');
    fs.writeFileSync(file, JSON.stringify({ REVERIE_PORT: 9000, REVERIE_STORE: 'file:///tmp/x' }));
    const config = loadConfig({ REVERIE_CONFIG: file, REVERIE_STORE: 's3://bucket-a/p' });
    expect(config.api.port).toBe(9000);
    expect(config.store).toBe('s3://bucket-a/p');
  });

  it('reports an unreadable or malformed config file by name', () => {
    expect(() => loadConfig({ REVERIE_CONFIG: '/no/such/file.json' })).toThrow(/REVERIE_CONFIG: cannot read JSON from "\/no\/such\/file.json"/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ PORT: 1 }));
    expect(() => loadConfig({ REVERIE_CONFIG: file })).toThrow(/unknown key "PORT"/);
  });
});
