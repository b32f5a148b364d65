import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { partnersList, type PartnerResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';

/** The company's partners (first 200), for names in tables and partner pickers. */
export function usePartners() {
  return useQuery({ queryKey: ['partners', 'all'], queryFn: () => unwrap(partnersList({ query: { limit: 200 } })), staleTime: 60_000 });
}

export function PartnerLink({ id, partners }: { id: string | null | undefined; partners?: PartnerResponse[] }) {
  if (!id) return <span className="muted">—</span>;
  const name = partners?.find((p) => p.id === id)?.name;
  return <Link to={`/admin/partners/${id}`}>{name ?? id}</Link>;
}
