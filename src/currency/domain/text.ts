const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** False for text holding a lone UTF-16 surrogate, which JSON accepts but Postgres jsonb refuses (String#isWellFormed, ES2024). */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);
