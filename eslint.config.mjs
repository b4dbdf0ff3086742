import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "dist/", "data/", "lib/db/generated/", "test-results/", "playwright-report/", "next-env.d.ts", "docs/api/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.tsx", "components/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // Only the store (lib/runtime/store) queries the database through Prisma (the database setup in
    // lib/db opens it); everything else passes the client to store functions and never builds a
    // query itself. The blocks below tighten this for routes, pages and components.
    files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.ts", "components/**/*.tsx", "server.ts"],
    ignores: ["lib/runtime/store/**", "lib/db/**", "**/*.test.ts", "**/testing/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@prisma/*", "**/db/generated", "**/db/generated/*"], message: "only lib/runtime/store queries the database: add a store function" },
            { group: ["**/db", "@/lib/db"], importNames: ["Prisma"], message: "only lib/runtime/store builds Prisma queries: add a store function" },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[object.name='prisma']", message: "only lib/runtime/store queries the database: add a store function and pass it the client" },
        { selector: "MemberExpression[object.type='MemberExpression'][object.property.name='prisma']", message: "only lib/runtime/store queries the database: add a store function and pass it the client" },
        { selector: "MemberExpression[property.name=/^\\$(transaction|queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/]", message: "only lib/runtime/store queries the database: add a store function and pass it the client" },
      ],
    },
  },
  {
    // Only the store (lib/runtime/store) queries the database. Routes parse, authorise, call the
    // store or a service (lib/runtime/services) and shape the reply; pages read through the same
    // store and services, never through route modules. Tests set up rows directly and are exempt.
    files: ["lib/runtime/serving/**/*.ts", "app/**/*.ts", "app/**/*.tsx"],
    ignores: ["**/*.test.ts", "**/testing/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/db", "**/db/*", "@/lib/db", "@/lib/db/*", "@prisma/*", "pg", "@electric-sql/*"], message: "only lib/runtime/store talks to the database: call the store (runtime.store) or a service" },
            { group: ["@/lib/runtime/serving/*", "**/runtime/serving/*"], message: "pages get their data through lib/runtime/services or the store, never from route modules" },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='prisma']", message: "only lib/runtime/store talks to the database: call the store (runtime.store) or a service" },
      ],
    },
  },
  {
    // The browser calls the API only through the typed client (callApi(routes.x, { params, query,
    // body })), so a renamed route or a changed body fails the type check instead of a page at run
    // time. A link that must be a plain URL (a CSV download) is built with urlOf(routes.x, ...).
    // Repeats the database selector above because the last block that sets a rule wins.
    files: ["components/**/*.ts", "components/**/*.tsx", "app/**/*.ts", "app/**/*.tsx"],
    ignores: ["**/*.test.ts", "**/testing/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "Literal[value=/^\\/api\\/v1(\\/|$)/]", message: "call the API through the typed client: callApi(routes.x, ...) from @/lib/api/client (urlOf(routes.x, ...) for a link)" },
        { selector: "TemplateElement[value.raw=/^\\/api\\/v1(\\/|$)/]", message: "call the API through the typed client: callApi(routes.x, ...) from @/lib/api/client (urlOf(routes.x, ...) for a link)" },
        { selector: "MemberExpression[property.name='prisma']", message: "only lib/runtime/store talks to the database: call the store (runtime.store) or a service" },
      ],
    },
  },
  {
    // lib/dspex is the framework: usable from a plain Node script, so no app, database or socket imports.
    files: ["lib/dspex/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["next", "react", "react-dom", "socket.io", "socket.io-client", "pg", "pino"],
          patterns: ["next/*", "@prisma/*", "@electric-sql/*", "**/db", "**/db/*", "**/runtime", "**/runtime/*", "**/realtime", "**/realtime/*", "@/*"],
        },
      ],
    },
  },
);
