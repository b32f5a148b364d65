import { useQuery } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';
import { companySettingsGet } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Shell, type NavItem } from '../../components/layout';
import { NotFound } from '../../components/not-found';
import { DashboardPage } from './dashboard';
import { PaymentsPage } from './payments';
import { PaymentPage } from './payment';
import { LeadsPage } from './leads';
import { LeadPage } from './lead';
import { PartnersPage } from './partners';
import { PartnerPage } from './partner';
import { CommissionsPage } from './commissions';
import { InvoicesPage } from './invoices';
import { InvoicePage } from './invoice';
import { SettingsPage } from './settings';
import { WebhooksPage } from './webhooks';
import { WebhookPage } from './webhook';

// Commission review (SPEC §11, "Approve selected" / "Decline selected") takes its place on Commissions later.
const nav: NavItem[] = [
  { to: '/admin', label: 'Dashboard', end: true },
  { to: '/admin/payments', label: 'Payments' },
  { to: '/admin/leads', label: 'Leads' },
  { to: '/admin/partners', label: 'Partners' },
  { to: '/admin/commissions', label: 'Commissions' },
  { to: '/admin/invoices', label: 'Invoices' },
  { to: '/admin/webhooks', label: 'Webhooks' },
  { to: '/admin/settings', label: 'Settings' },
];

export default function AdminRoutes() {
  const company = useQuery({ queryKey: ['company'], queryFn: () => unwrap(companySettingsGet()) });
  return (
    <Routes>
      <Route element={<Shell nav={nav} area="Admin" who={<span className="who">{company.data?.name ?? ' '}</span>} />}>
        <Route index element={<DashboardPage />} />
        <Route path="payments" element={<PaymentsPage />} />
        <Route path="payments/:id" element={<PaymentPage />} />
        <Route path="leads" element={<LeadsPage />} />
        <Route path="leads/:id" element={<LeadPage />} />
        <Route path="partners" element={<PartnersPage />} />
        <Route path="partners/:id" element={<PartnerPage />} />
        <Route path="commissions" element={<CommissionsPage />} />
        <Route path="invoices" element={<InvoicesPage />} />
        <Route path="invoices/:id" element={<InvoicePage />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="webhooks/:id" element={<WebhookPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
