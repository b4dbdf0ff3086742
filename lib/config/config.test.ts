import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, "/srv/app");
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("starts with no settings at all: port 3000, embedded database under ./data, demo model", () => {
    const c = loadConfig({}, "/srv/app");
    expect(c.port).toBe(3000);
    expect(c.host).toBe("127.0.0.1");
    expect(c.database).toEqual({ url: undefined, dataDir: path.resolve("/srv/app", "data") });
    expect(c.lm.baseUrl).toBeUndefined();
    expect(c.logLevel).toBe("info");
    expect(c.env).toBe("production");
  });

  it("reads every documented variable", () => {
    const c = loadConfig(
      {
        PORT: "8080",
        HOST: "0.0.0.0",
        DSPEX_DATA_DIR: "/var/lib/dspex",
        DATABASE_URL: "postgresql://u:secret@db:5432/dspex",
        REDIS_URL: "redis://cache:6379",
        DSPEX_LM_BASE_URL: "http://127.0.0.1:11434/v1",
        DSPEX_LM_API_KEY: "sk-test",
        DSPEX_LM_MODEL: "llama3",
        LOG_LEVEL: "debug",
      },
      "/srv/app",
    );
    expect(c).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      database: { url: "postgresql://u:secret@db:5432/dspex", dataDir: "/var/lib/dspex" },
      redisUrl: "redis://cache:6379",
      lm: { baseUrl: "http://127.0.0.1:11434/v1", apiKey: "sk-test", model: "llama3" },
      logLevel: "debug",
    });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: " " }, "/srv/app")).toMatchObject({ port: 3000, database: { url: undefined } });
  });

  it.each([
    ["abc", "PORT must be a number"],
    ["3.5", "PORT must be a whole number"],
    ["0", "PORT must be between 1 and 65535"],
    ["70000", "PORT must be between 1 and 65535"],
  ])("rejects PORT=%s with a one-line message naming PORT", (value, message) => {
    const err = errorOf({ PORT: value });
    expect(err.message).toContain(message);
    expect(err.message).toContain(`(got "${value}")`);
    expect(err.message).not.toContain("\n");
    expect(err.variables).toEqual(["PORT"]);
  });

  it("rejects a DATABASE_URL that is not a URL or not PostgreSQL", () => {
    expect(errorOf({ DATABASE_URL: "not a url" }).message).toMatch(/^Invalid configuration: DATABASE_URL must be a URL such as postgres:\/\//);
    expect(errorOf({ DATABASE_URL: "mysql://root@localhost/db" }).message).toContain("DATABASE_URL must start with postgres:// or postgresql://");
  });

  it("names every bad variable at once", () => {
    const err = errorOf({ PORT: "x", LOG_LEVEL: "loud", REDIS_URL: "http://x" });
    expect(err.variables.sort()).toEqual(["LOG_LEVEL", "PORT", "REDIS_URL"]);
    expect(err.message).toContain("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent");
    expect(err.message.split("\n")).toHaveLength(1);
  });
});
