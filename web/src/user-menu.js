// The user's menu in the top bar: who is logged in (full name, role, unit) and
// where they can go — their account, the administration (users.manage), the
// audit log (audit.read) — and "Đăng xuất". Links a user may not use are not
// shown; the server refuses them anyway.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { ACCOUNT_PATH, ADMIN_PATH, AUDIT_PATH, SETTINGS_PATH } from './route.js';
import { can, roleName, useSession } from './session.js';

/** The first letter of the given name (the last word of a Vietnamese full name). */
function initial(fullName, username) {
  const words = (fullName || username || '?').trim().split(/\s+/);
  return (words[words.length - 1] || '?').charAt(0).toUpperCase();
}

export function UserMenu({ t, lang, page }) {
  const { user, logout } = useSession();
  const [open, setOpen] = useState(false);
  const box = useRef(null);

  // An open menu closes on a click elsewhere, on Escape and when the page changes.
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event) => {
      if (box.current && !box.current.contains(event.target)) setOpen(false);
    };
    const onKey = (event) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      const button = box.current && box.current.querySelector('.user-button');
      if (button) button.focus();
    };
    const onHash = () => setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, [open]);

  if (!user) return null;
  const role = roleName(user, lang);
  const unitName = user.unit ? user.unit.name || user.unit.code : '';
  const items = [
    { page: 'account', href: `#${ACCOUNT_PATH}`, label: t.menuAccount, testId: 'menu-account', show: true },
    { page: 'admin', href: `#${ADMIN_PATH}`, label: t.menuAdmin, testId: 'menu-admin', show: can(user, 'users.manage') },
    { page: 'audit', href: `#${AUDIT_PATH}`, label: t.menuAudit, testId: 'menu-audit', show: can(user, 'audit.read') },
    {
      page: 'settings',
      href: `#${SETTINGS_PATH}`,
      label: t.menuSettings,
      testId: 'menu-settings',
      show: can(user, 'criteria.manage'),
    },
  ].filter((item) => item.show);

  return html`
    <div class="user-menu no-print" ref=${box} data-testid="user-menu">
      <button
        type="button"
        class="user-button"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="user-menu-panel"
        aria-label=${`${t.userMenuLabel}: ${user.full_name || user.username}`}
        data-testid="user-menu-button"
        onClick=${() => setOpen(!open)}
      >
        <span class="user-avatar" aria-hidden="true">${initial(user.full_name, user.username)}</span>
        <span class="user-text">
          <span class="user-name" data-testid="user-name">${user.full_name || user.username}</span>
          <span class="user-role" data-testid="user-role">${role}${unitName ? ` · ${unitName}` : ''}</span>
        </span>
        <span class="user-caret" aria-hidden="true">▾</span>
      </button>
      ${open
        ? html`<div class="user-menu-panel" id="user-menu-panel" data-testid="user-menu-panel">
            <div class="user-menu-head">
              <strong>${user.full_name || user.username}</strong>
              <span class="muted">${user.username}</span>
              <span>${t.roleLabel}: ${role}</span>
              <span data-testid="user-unit">${t.unitLabel}: ${unitName}${user.unit ? ` (${user.unit.code})` : ''}</span>
            </div>
            <ul class="user-menu-list">
              ${items.map(
                (item) => html`<li>
                  <a href=${item.href} data-testid=${item.testId} aria-current=${item.page === page ? 'page' : null}>
                    ${item.label}
                  </a>
                </li>`,
              )}
              <li>
                <button type="button" class="menu-logout" data-testid="menu-logout" onClick=${() => logout()}>
                  ${t.menuLogout}
                </button>
              </li>
            </ul>
          </div>`
        : null}
    </div>
  `;
}
