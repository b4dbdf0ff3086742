import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { createSecretBox, loadOrCreateKeyFile, openWith, sealWith, SECRET_KEY_FILE, SecretError } from "./secrets";

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dspex-secrets-"));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("secrets at rest", () => {
  it("seals with a fresh IV each time and opens only with the same key", () => {
    const key = randomBytes(32);
    const a = sealWith(key, "sk-secret");
    const b = sealWith(key, "sk-secret");
    expect(a).not.toBe(b);
    expect(a).not.toContain("sk-secret");
    expect(openWith(key, a)).toBe("sk-secret");
    expect(() => openWith(randomBytes(32), a)).toThrow(SecretError);
    const [v, iv, tag, body] = a.split(":");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(() => openWith(key, [v, iv, tag, flipped.toString("base64url")].join(":"))).toThrow(/cannot be decrypted/);
  });

  it("creates <dataDir>/secret.key once, mode 0600, and reuses it", async () => {
    const dir = path.join(await tempDir(), "nested");
    const box = createSecretBox({ dataDir: dir });
    const sealed = await box.seal("hello");
    const file = path.join(dir, SECRET_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await createSecretBox({ dataDir: dir }).open(sealed)).toBe("hello");
    expect((await loadOrCreateKeyFile(dir)).toString("base64")).toBe((await readFile(file, "utf8")).trim());
  });

  it("refuses a damaged key file with a message that says what to do", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, SECRET_KEY_FILE), "not a key");
    await expect(createSecretBox({ dataDir: dir }).seal("x")).rejects.toThrow(/does not hold a 32-byte key/);
  });

  it("takes DSPEX_SECRET_KEY as base64 or hex and never echoes a bad one", async () => {
    const key = randomBytes(32);
    expect(loadConfig({ DSPEX_SECRET_KEY: key.toString("base64") }).secretKey).toEqual(key);
    expect(loadConfig({ DSPEX_SECRET_KEY: key.toString("hex") }).secretKey).toEqual(key);
    expect(loadConfig({}).secretKey).toBeUndefined();
    expect(() => loadConfig({ DSPEX_SECRET_KEY: "too-short-secret" })).toThrow(/DSPEX_SECRET_KEY must be 32 bytes/);
    try {
      loadConfig({ DSPEX_SECRET_KEY: "too-short-secret" });
    } catch (err) {
      expect(String(err)).not.toContain("too-short-secret");
    }
    const box = createSecretBox({ key, dataDir: await tempDir() });
    expect(await box.open(await box.seal("k"))).toBe("k");
  });
});
