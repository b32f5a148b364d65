/** RFC 9457 problem details as the API sends them; validation failures name their fields in `errors`. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [key: string]: unknown;
}

export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(
    readonly status: number,
    body: unknown,
    cause?: unknown,
  ) {
    const problem: Problem =
      typeof body === 'object' && body !== null ? (body as Problem) : { title: `Error ${status}`, detail: typeof body === 'string' && body ? body : undefined };
    super(problem.detail ?? problem.title ?? `Request failed (${status})`, { cause });
    this.problem = problem;
  }

  /** The message for one field (`field` or a nested path under it), if the API named it. */
  fieldError(field: string): string | undefined {
    const hit = this.problem.errors?.filter((e) => e.field === field || e.field.startsWith(`${field}.`));
    return hit?.length ? hit.map((e) => e.message).join('; ') : undefined;
  }

  /** What to show beside the form when no field was named (or some named field is not on the form). */
  generalMessage(fields: readonly string[]): string | undefined {
    const unplaced = this.problem.errors?.filter((e) => !fields.some((f) => e.field === f || e.field.startsWith(`${f}.`)));
    if (this.problem.errors?.length && !unplaced?.length) return undefined;
    return this.message;
  }
}

export const asProblem = (e: unknown): ProblemError | undefined => (e instanceof ProblemError ? e : undefined);
