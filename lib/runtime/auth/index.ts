// Signing in to the dashboard, at the HTTP edge: the session and CSRF cookies, the CSRF check, and
// the gate in front of every page. Accounts and sessions themselves live in the store.
export { csrfMatches } from "./csrf";
export { clearedCookies, isHttps, originAllowed, readCookies, sessionCookies, sessionTokenOf } from "./cookies";
export { createPageGate, type PageGate } from "./page-gate";
export { admitPageRequest } from "./edge";
export { pagePolicy, setApiSecurityHeaders, setPageSecurityHeaders } from "./security-headers";
