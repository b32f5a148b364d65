import { useEffect, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSignOut } from '../session/session';
import { Button } from './button';

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

/** The console's frame: skip link, top bar with who is signed in and Sign out, navigation, the page. */
export function Shell({ nav, who, area }: { nav: NavItem[]; who: ReactNode; area: string }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          <span className="brand-name">Partnerflow</span>
          <span className="brand-area">{area}</span>
        </div>
        <button type="button" className="btn btn-ghost menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <div className="topbar-who">{who}</div>
        <Button
          variant="ghost"
          className="sign-out"
          busy={signOut.isPending}
          onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/', { replace: true }) })}
        >
          Sign out
        </Button>
      </header>
      <nav id="main-nav" className={`sidebar ${menuOpen ? 'sidebar-open' : ''}`} aria-label="Main">
        <ul>
          {nav.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: { to: string; label: string };
}) {
  useEffect(() => {
    document.title = `${typeof title === 'string' ? title : 'Partnerflow'} · Partnerflow`;
  }, [title]);
  return (
    <div className="page-header">
      <div>
        {back && (
          <NavLink className="back-link" to={back.to}>
            ← {back.label}
          </NavLink>
        )}
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function Card({
  title,
  actions,
  children,
  className,
  id,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={title && id ? `${id}-title` : undefined} id={id}>
      {(title || actions) && (
        <div className="card-header">
          {title && <h2 id={id ? `${id}-title` : undefined}>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function DetailList({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="detail-list">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
