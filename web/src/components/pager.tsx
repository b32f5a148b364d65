import { useCallback, useEffect, useState } from 'react';
import { Button } from './button';

/**
 * Cursor paging as the API does it (`nextCursor` → `?cursor=`): the cursors seen so far, so Previous
 * goes back without the API having to page backwards. A new `resetKey` (a filter) starts at page 1.
 */
export function useCursorPages(resetKey: string) {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => setStack([undefined]), [resetKey]);
  const next = useCallback((cursor: string) => setStack((s) => [...s, cursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  return { cursor: stack[stack.length - 1], page: stack.length, next, previous };
}

export function Pager({ pages, nextCursor, label }: { pages: ReturnType<typeof useCursorPages>; nextCursor: string | null | undefined; label: string }) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <Button variant="secondary" disabled={pages.page === 1} onClick={pages.previous}>
        Previous
      </Button>
      <span className="pager-page">Page {pages.page}</span>
      <Button variant="secondary" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        Next
      </Button>
    </nav>
  );
}
