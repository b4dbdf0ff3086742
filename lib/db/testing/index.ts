export { BACKENDS, TEST_POSTGRES_URL, freshPgliteDatabase, freshPostgresDatabase, type TestDatabase } from "./test-databases";
