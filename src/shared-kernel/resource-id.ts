/**
 * Ids this API hands out (a refund's reversal commission carries `:`, from `<charge>:refunded:<total>`);
 * anything else (NUL bytes, slashes, megabyte strings) cannot name a resource.
 */
export const isResourceId = (id: string) => /^[A-Za-z0-9_:-]{1,200}$/.test(id);
