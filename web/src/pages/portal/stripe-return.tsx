import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { portalMe } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { Notice } from '../../components/notice';
import { QueryView } from '../../components/states';

/** Where Stripe's onboarding sends the partner back (`return_url` / `refresh_url` of the Account Link). */
export function StripeReturnPage() {
  const [params] = useSearchParams();
  const refresh = params.get('result') === 'refresh';
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => unwrap(portalMe()),
    // Stripe's account.updated webhook enables payouts a moment after the partner comes back
    refetchInterval: (q) => (!refresh && !q.state.data?.stripeAccount?.payoutsEnabled ? 1000 : false),
  });
  return (
    <div className="page">
      <PageHeader title="Stripe onboarding" back={{ to: '/portal', label: 'Overview' }} />
      <Card>
        {refresh ? (
          <Notice tone="warning">The onboarding link expired. Go back to the overview and choose Connect Stripe again.</Notice>
        ) : (
          <QueryView query={me}>
            {(p) =>
              p.stripeAccount?.payoutsEnabled ? (
                <Notice>Your Stripe account is connected and payouts are enabled.</Notice>
              ) : (
                <Notice tone="info">Thanks. Stripe is confirming your account; this page updates when payouts are enabled.</Notice>
              )
            }
          </QueryView>
        )}
        <p>
          <Link to="/portal">Back to the overview</Link>
        </p>
      </Card>
    </div>
  );
}
