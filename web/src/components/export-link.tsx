import { client, type ExportsData } from '@partnerflow/client';

type File = ExportsData['path']['file'];
type Filters = NonNullable<ExportsData['query']>;

/**
 * Downloads the list as CSV with the page's filters (`GET /v1/exports/{file}`): a plain link, so the browser streams
 * the file to disk with the session cookie instead of holding it in the page.
 */
export function ExportLink({ file, filters = {}, label }: { file: File; filters?: Filters; label: string }) {
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as Filters;
  const href = client.buildUrl<ExportsData>({ url: '/v1/exports/{file}', path: { file }, query });
  return (
    <a className="btn btn-secondary export-link" href={href} download>
      Export CSV<span className="sr-only"> of {label}</span>
    </a>
  );
}
