import { Navigate, NavLink, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/ui';
import { LoginPage, SignupPage } from '@/pages/AuthPages';
import { OverviewPage } from '@/pages/OverviewPage';

function ProtectedLayout() {
  const { me, ready, logout } = useAuth();
  const location = useLocation();
  if (!ready) return <p className="p-8 text-sm text-slate-600" role="status">Loading…</p>;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <div className="flex min-h-full flex-col md:flex-row">
      <nav aria-label="Main" className="border-b border-slate-200 bg-white p-4 md:w-56 md:border-b-0 md:border-r">
        <p className="mb-4 font-semibold text-brand-700">Dynamic RAG</p>
        <ul className="flex gap-2 md:flex-col">
          <li><NavLink to="/" end className={({ isActive }) => `block rounded px-3 py-2 text-sm ${isActive ? 'bg-slate-100 font-medium' : ''}`}>Overview</NavLink></li>
        </ul>
        <div className="mt-6 text-xs text-slate-600">
          <p className="truncate" title={me.email}>{me.email}</p>
          <Button variant="secondary" className="mt-2 w-full" onClick={() => logout()}>Log out</Button>
        </div>
      </nav>
      <main className="flex-1 p-4 md:p-8"><Outlet /></main>
    </div>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route element={<ProtectedLayout />}>
        <Route index element={<OverviewPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
