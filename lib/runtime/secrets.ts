// Secrets at rest (provider API keys): AES-256-GCM with a random 96-bit IV per value. The 32-byte
// key comes from DSPEX_SECRET_KEY when set, else from <DSPEX_DATA_DIR>/secret.key, generated once
// (mode 0600) the first time a secret is sealed. Every process that reads the same database needs
// the same key: set DSPEX_SECRET_KEY when running more than one machine.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile } from "node:fs/promises";
import path from "node:path";
import { decodeSecretKey } from "../config/schema";
import { CodedError } from "../errors";

export const SECRET_KEY_FILE = "secret.key";
const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** Binds a sealed value to its purpose: a ciphertext moved to another column does not open. */
const AAD = Buffer.from("dspex:secret:v1");

export interface SecretBox {
  /** `v1:<iv>:<tag>:<ciphertext>` (base64url parts). */
  seal(plain: string): Promise<string>;
  /** The plain text, or SecretError when the value was sealed with another key or altered. */
  open(sealed: string): Promise<string>;
}

export class SecretError extends CodedError<"SECRET_KEY_INVALID" | "SECRET_UNREADABLE"> {}

/** Reads <dataDir>/secret.key, creating it (random, mode 0600) when it does not exist. */
export async function loadOrCreateKeyFile(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    return parseKeyFile(file, await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // "wx": two processes starting at once cannot both write a key; the loser reads the winner's.
    const handle = await open(file, "wx", 0o600);
    try {
      await handle.writeFile(`${key.toString("base64")}\n`, "utf8");
    } finally {
      await handle.close();
    }
    await chmod(file, 0o600);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return parseKeyFile(file, await readFile(file, "utf8"));
  }
}

function parseKeyFile(file: string, text: string): Buffer {
  const key = decodeSecretKey(text);
  if (!key) throw new SecretError("SECRET_KEY_INVALID", `${file} does not hold a 32-byte key (base64 or 64 hex digits); restore it, or set DSPEX_SECRET_KEY`);
  return key;
}

export function sealWith(key: Buffer, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(":");
}

export function openWith(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
    throw new SecretError("SECRET_UNREADABLE", "the stored secret is not in the v1 format");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretError("SECRET_UNREADABLE", "the stored secret cannot be decrypted with this server's secret key (DSPEX_SECRET_KEY or secret.key changed); enter the key again");
  }
}

/**
 * A SecretBox over `key` when given (DSPEX_SECRET_KEY), else over <dataDir>/secret.key, read or
 * created on first use (so a server that never stores a secret never writes the file).
 */
export function createSecretBox(source: { readonly key?: Buffer; readonly dataDir: string }): SecretBox {
  if (source.key !== undefined && source.key.length !== KEY_BYTES) throw new SecretError("SECRET_KEY_INVALID", `the secret key must be ${KEY_BYTES} bytes`);
  let key: Promise<Buffer> | undefined = source.key ? Promise.resolve(source.key) : undefined;
  const current = () => {
    key ??= loadOrCreateKeyFile(source.dataDir).catch((err: unknown) => {
      key = undefined;
      throw err;
    });
    return key;
  };
  return {
    seal: async (plain) => sealWith(await current(), plain),
    open: async (sealed) => openWith(await current(), sealed),
  };
}
