/** Ids this module hands out (`we_…`, `wd_…`): anything else from a URL is not one of ours and never reaches a stream name. */
export const isStreamKeySafe = (id: string): boolean => /^[a-z]{2}_[0-9a-f]{24}$/.test(id);
