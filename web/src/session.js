// Who is logged in, shared with every page through a preact context (the root
// provides it): the user as GET /session gives it, and the actions on the
// session. The server enforces every permission; the page only hides what a
// user could not use anyway.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * { user, logout(), setUser(user), endSession() } — user as in the API:
 * {id, username, full_name, role, role_name_vi, role_name_en, unit: {code, name},
 *  perms: [...], must_change_password}.
 */
export const SessionContext = createContext({ user: null, logout() {}, setUser() {}, endSession() {} });

export const useSession = () => useContext(SessionContext);

/** True when `user` holds the permission `perm` (e.g. 'users.manage'). */
export function can(user, perm) {
  return Boolean(user && Array.isArray(user.perms) && user.perms.includes(perm));
}

/** The user's role in the page's language. */
export function roleName(user, lang) {
  if (!user) return '';
  return (lang === 'en' ? user.role_name_en : user.role_name_vi) || user.role_name_vi || user.role || '';
}
