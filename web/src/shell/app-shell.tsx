import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { LanguagePicker } from './language-picker';
import { NotFound } from './not-found';
import { PAGES, pageFor } from './pages';
import { Link, navigate, useLocation } from './router';

/** Header with the organisation and key, the nav, and the page the URL names. */
export function AppShell() {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const { path, search } = useLocation();
  const found = pageFor(path);
  // The bare address opens the first page; any other path no page has is said to be unknown.
  useEffect(() => {
    if (path === '/') navigate(PAGES[0]!.path, { replace: true });
  }, [path]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <span className="org" data-testid="organisation-name">
          {me.organisation.name}
        </span>
        <span className={`badge role-${me.key.role}`} title={me.key.name}>
          {t(`role.${me.key.role}`)}
        </span>
        <span className="spacer" />
        <LanguagePicker />
        <button type="button" className="ghost" onClick={signOut}>
          {t('shell.signOut')}
        </button>
      </header>
      <nav className="sidenav" aria-label={t('shell.nav')}>
        <ul>
          {PAGES.map((page) => (
            <li key={page.path}>
              <Link to={page.path} aria-current={found?.page === page ? 'page' : undefined}>
                {t(page.label)}
                {page.badge && <page.badge />}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {found ? <found.page.component rest={found.rest} search={search} /> : path !== '/' && <NotFound path={path} />}
      </main>
    </div>
  );
}
