import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeClosure, workerImports } from './closure';

const require = createRequire(import.meta.url);
/** The validator electron-builder itself runs on a configuration (ajv over scheme.json). */
const { validateSchema } = require('app-builder-lib/out/util/config/schemaValidator') as {
  validateSchema(schema: unknown, config: unknown, options?: { name?: string }): void;
};
const schema: unknown = require('app-builder-lib/scheme.json');
const yaml = require('js-yaml') as { load(text: string): unknown };
const { minimatch } = require('minimatch') as { minimatch(file: string, pattern: string, options?: { dot?: boolean }): boolean };

interface BuilderConfig {
  appId: string;
  productName: string;
  icon: string;
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  [key: string]: unknown;
}

const loadConfig = () => yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
const validate = (config: unknown) => validateSchema(schema, config, { name: 'electron-builder' });

describe('electron-builder.yml', () => {
  it('is valid for electron-builder (its own scheme.json and validator)', () => {
    expect(() => validate(loadConfig())).not.toThrow();
  });

  it('fails the same validation when a key is misspelt', () => {
    expect(() => validate({ ...loadConfig(), asarUnpak: ['x'] })).toThrow(/unknown property 'asarUnpak'/);
    expect(() => validate({ ...loadConfig(), linux: { target: ['AppImage'], catgory: 'Education' } })).toThrow();
  });

  it('names the app as package.json and Electron userData do', () => {
    const config = loadConfig();
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { productName: string };
    expect(config.appId).toBe('dev.lstmstudio.app');
    expect(config.productName).toBe(pkg.productName);
  });

  it('flips the Electron fuses for the packaged app, reopening only --inspect and only in test builds', () => {
    expect(loadConfig().electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: true,
    });
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    const overrides = Object.entries(scripts).filter(([, command]) => command.includes('electronFuses'));
    expect(overrides).toEqual([['dist:test', expect.stringContaining('-c.electronFuses.enableNodeCliInspectArguments=true')]]);
  });

  it('has a 512×512 PNG icon', () => {
    const png = readFileSync(loadConfig().icon);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it('ships the MNIST IDX files as resources/mnist', () => {
    const mnist = loadConfig().extraResources.find((r) => r.to === 'mnist');
    expect(mnist).toBeDefined();
    expect(existsSync(path.join(mnist?.from ?? '', 't10k-images-idx3-ubyte'))).toBe(true);
  });

  it('unpacks the worker, the wasm binaries and every package the worker loads at run time', () => {
    const patterns = loadConfig().asarUnpack;
    const isUnpacked = (file: string) => patterns.some((p) => minimatch(file, p, { dot: true }));
    expect(isUnpacked('out/worker/worker.mjs')).toBe(true);
    expect(isUnpacked('package.json')).toBe(true); // the worker reads its version from it
    expect(isUnpacked('node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')).toBe(true);
    expect(isUnpacked('node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node')).toBe(true);
    const missing = runtimeClosure(workerImports()).filter((dir) => !isUnpacked(`${dir}/package.json`));
    expect(missing).toEqual([]);
  });
});
