import { useQuery } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';
import { portalMe } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Shell, type NavItem } from '../../components/layout';
import { NotFound } from '../../components/not-found';
import { PortalHomePage } from './portal-home';
import { PortalLeadsPage } from './portal-leads';
import { PortalCommissionsPage } from './portal-commissions';
import { PortalInvoicesPage } from './portal-invoices';
import { StripeReturnPage } from './stripe-return';

const nav: NavItem[] = [
  { to: '/portal', label: 'Overview', end: true },
  { to: '/portal/leads', label: 'Leads' },
  { to: '/portal/commissions', label: 'Commissions' },
  { to: '/portal/invoices', label: 'Invoices' },
];

export const useMe = () => useQuery({ queryKey: ['me'], queryFn: () => unwrap(portalMe()) });

export default function PortalRoutes() {
  const me = useMe();
  return (
    <Routes>
      <Route element={<Shell nav={nav} area="Partner portal" who={<span className="who">{me.data?.name ?? ' '}</span>} />}>
        <Route index element={<PortalHomePage />} />
        <Route path="leads" element={<PortalLeadsPage />} />
        <Route path="commissions" element={<PortalCommissionsPage />} />
        <Route path="invoices" element={<PortalInvoicesPage />} />
        <Route path="stripe/onboarding" element={<StripeReturnPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
