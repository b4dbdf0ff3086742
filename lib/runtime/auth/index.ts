export { hashPassword, verifyPassword } from "./passwords";
export { checkCredentials, createFirstAdmin, createUser, listUsers, needsSetup, setUserDisabled } from "./users";
export { createSession, csrfMatches, endSession, findSession, SESSION_TTL_MS, type ActiveSession } from "./sessions";
export { clearedCookies, originAllowed, readCookies, sessionCookies, sessionTokenOf } from "./cookies";
export { createPageGate, type PageGate } from "./page-gate";
