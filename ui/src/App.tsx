import { lazy, Suspense, type ComponentType } from 'react';
import { Navigate, NavLink, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from '@/components/AuthProvider';
import { Button, EmptyState, Loading } from '@/components/ui';
import { LoginPage, SignupPage } from '@/pages/AuthPages';
import { OverviewPage } from '@/pages/OverviewPage';

/** Pages other than the first screen load on demand: the overview stays small (see scripts/bench-ui.sh). */
function page(load: () => Promise<Record<string, ComponentType>>, name: string) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const DocumentsPage = page(() => import('@/pages/DocumentsPage'), 'DocumentsPage');
const DocumentPage = page(() => import('@/pages/DocumentPage'), 'DocumentPage');
const SearchPage = page(() => import('@/pages/SearchPage'), 'SearchPage');
const WebhooksPage = page(() => import('@/pages/WebhooksPage'), 'WebhooksPage');
const SettingsPage = page(() => import('@/pages/SettingsPage'), 'SettingsPage');
const MetricsPage = page(() => import('@/pages/MetricsPage'), 'MetricsPage');
const TokensPage = page(() => import('@/pages/TokensPage'), 'TokensPage');
const CostsPage = page(() => import('@/pages/CostsPage'), 'CostsPage');
const AuditPage = page(() => import('@/pages/AuditPage'), 'AuditPage');
const McpPage = page(() => import('@/pages/McpPage'), 'McpPage');
const AdminPage = page(() => import('@/pages/AdminPage'), 'AdminPage');
const AdminCustomerPage = page(() => import('@/pages/AdminCustomerPage'), 'AdminCustomerPage');

interface NavItem { to: string; label: string; end?: boolean }

const TENANT_NAV: NavItem[] = [
  { to: '/', label: 'Overview', end: true },
  { to: '/documents', label: 'Documents' },
  { to: '/search', label: 'Search' },
  { to: '/webhooks', label: 'Webhooks' },
  { to: '/metrics', label: 'Metrics', end: true },
  { to: '/metrics/tokens', label: 'Tokens' },
  { to: '/metrics/costs', label: 'Costs' },
  { to: '/audit', label: 'Audit' },
  { to: '/integrations/mcp', label: 'MCP' },
  { to: '/settings', label: 'Settings' },
];

const ADMIN_NAV: NavItem[] = [{ to: '/admin', label: 'Admin' }];

function navClass({ isActive }: { isActive: boolean }) {
  return `block whitespace-nowrap rounded px-3 py-2 text-sm ${isActive ? 'bg-slate-100 font-medium text-slate-900' : 'text-slate-700 hover:bg-slate-50'}`;
}

function ProtectedLayout() {
  const { me, ready, logout } = useAuth();
  const location = useLocation();
  if (!ready) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const items = me.role === 'admin' ? [...TENANT_NAV, ...ADMIN_NAV] : TENANT_NAV;
  return (
    <div className="flex min-h-full flex-col md:flex-row">
      <header className="border-b border-slate-200 bg-white p-4 md:w-56 md:shrink-0 md:border-b-0 md:border-r">
        <p className="mb-4 font-semibold text-brand-700">Dynamic RAG</p>
        <nav aria-label="Main">
          <ul className="flex flex-wrap gap-1 md:flex-col">
            {items.map((item) => (
              <li key={item.to}><NavLink to={item.to} end={item.end} className={navClass}>{item.label}</NavLink></li>
            ))}
          </ul>
        </nav>
        <div className="mt-6 flex items-center gap-3 text-xs text-slate-600 md:block">
          <p className="truncate" title={me.email}>{me.email}</p>
          <Button variant="secondary" size="sm" className="md:mt-2 md:w-full" onClick={() => logout()}>Log out</Button>
        </div>
      </header>
      <main className="min-w-0 flex-1 p-4 md:p-8">
        <Suspense fallback={<Loading />}><Outlet /></Suspense>
      </main>
    </div>
  );
}

/** Operators only: a tenant who types an admin address sees why it is closed (the API refuses it with 403 too). */
function AdminOnly() {
  const { me } = useAuth();
  if (me?.role !== 'admin') {
    return (
      <EmptyState title="This page is for operators">
        Your account is a customer account: admin pages and their data are not available to it.
      </EmptyState>
    );
  }
  return <Outlet />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route element={<ProtectedLayout />}>
        <Route index element={<OverviewPage />} />
        <Route path="documents" element={<DocumentsPage />} />
        <Route path="documents/:id" element={<DocumentPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="metrics" element={<MetricsPage />} />
        <Route path="metrics/tokens" element={<TokensPage />} />
        <Route path="metrics/costs" element={<CostsPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="integrations/mcp" element={<McpPage />} />
        <Route element={<AdminOnly />}>
          <Route path="admin" element={<AdminPage />} />
          <Route path="admin/customers/:id" element={<AdminCustomerPage />} />
        </Route>
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
