import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commissionReviewBulk, type CommissionReviewBulkResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Button } from '../../components/button';
import { TextField } from '../../components/fields';
import { Notice } from '../../components/notice';
import { FormError } from '../../components/states';

type Results = CommissionReviewBulkResponse['results'];

/** "Approve selected" / "Decline selected" (SPEC §11): one bulk review of the selected commissions, a result per row. */
export function ReviewActions({ selected, onDone }: { selected: string[]; onDone: () => void }) {
  const queries = useQueryClient();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [results, setResults] = useState<Results | null>(null);
  const review = useMutation({
    mutationFn: (action: 'approve' | 'decline') =>
      unwrap(
        commissionReviewBulk({
          body: { items: selected.map((commissionId) => ({ commissionId, action, ...(action === 'decline' && { reason: reason.trim() }) })) },
        }),
      ),
    onSuccess: (answer) => {
      setResults(answer.results);
      setDeclining(false);
      setReason('');
      onDone();
      void queries.invalidateQueries({ queryKey: ['commissions'] });
    },
  });
  const none = selected.length === 0;
  const failed = results?.filter((r) => !r.ok) ?? [];
  return (
    <section className="review-actions" aria-label="Review">
      <div className="actions">
        <Button busy={review.isPending && !declining} disabled={none || declining} onClick={() => review.mutate('approve')}>
          Approve selected
        </Button>
        <Button variant="danger" disabled={none || declining} onClick={() => setDeclining(true)}>
          Decline selected
        </Button>
        <span className="muted small">{none ? 'Select commissions to review them.' : `${selected.length} selected`}</span>
      </div>
      {declining && (
        <form
          className="form-row"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            review.mutate('decline');
          }}
        >
          <TextField
            label="Decline reason"
            placeholder="why these commissions are not paid"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            autoFocus
          />
          <Button type="submit" variant="danger" busy={review.isPending} disabled={!reason.trim()}>
            Decline {selected.length}
          </Button>
          <Button variant="ghost" onClick={() => setDeclining(false)}>
            Cancel
          </Button>
        </form>
      )}
      <FormError error={review.error} />
      {results && (
        <div role="status">
          <Notice tone={failed.length ? 'warning' : 'success'}>
            {results.length - failed.length} of {results.length} reviewed.
            {failed.length > 0 && (
              <ul>
                {failed.map((r) => (
                  <li key={r.index}>
                    {r.commissionId && r.error?.includes(r.commissionId) ? r.error : `${r.commissionId ?? `row ${r.index + 1}`}: ${r.error}`}
                  </li>
                ))}
              </ul>
            )}
          </Notice>
        </div>
      )}
    </section>
  );
}
