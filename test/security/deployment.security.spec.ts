import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
type Service = { ports?: string[]; environment?: Record<string, string>; networks?: string[] };

/** What ships: no key anyone can read in the repository, no database reachable from outside. */
describe('deployment files', () => {
  it('no development key or password is in the sources, README, Dockerfile or docker-compose', () => {
    const tracked = execFileSync('git', ['ls-files', 'src', 'libs', 'scripts', 'README.md', 'Dockerfile', 'docker-compose.yml', 'docs'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    const found = tracked.filter((f) =>
      /op_dev_partnerflow|partnerflow-development-key|change-me-operator-key|password: 'postgres'|POSTGRES_PASSWORD: partnerflow/.test(read(f)),
    );
    expect(found).toEqual([]);
  });

  it('docker-compose publishes only the proxy in front of the web replicas, keeps PostgreSQL and EventStoreDB on an internal network, takes every secret from the environment', () => {
    type AppService = Service & { deploy?: { replicas?: number }; image?: string };
    // merge keys (`<<: *app-environment`), as Compose reads them
    const compose = load(read('docker-compose.yml'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as {
      services: Record<string, AppService>;
      networks: Record<string, { internal?: boolean }>;
    };
    const { postgres, eventstore, web, worker, proxy } = compose.services;
    expect(postgres!.ports).toBeUndefined();
    expect(eventstore!.ports).toBeUndefined();
    expect(web!.ports).toBeUndefined();
    expect(worker!.ports).toBeUndefined();
    expect(proxy!.ports).toEqual(['3000:3000']);
    expect(postgres!.networks).toEqual(['internal']);
    expect(eventstore!.networks).toEqual(['internal']);
    expect(compose.networks.internal).toEqual({ internal: true });
    expect(postgres!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    // SPEC §13: 2 web + 1 worker
    expect([web!.deploy?.replicas, web!.environment!.ROLE, worker!.deploy?.replicas ?? 1, worker!.environment!.ROLE]).toEqual([2, 'web', 1, 'worker']);
    // replicas are re-resolved while running (a restarted or added replica is not missed)
    expect(read('docker/nginx.conf')).toMatch(/resolver 127\.0\.0\.11 valid=\d+s[\s\S]*zone partnerflow_web[\s\S]*server web:3000 resolve /);
    for (const app of [web!, worker!]) {
      for (const name of ['OPERATOR_API_KEY', 'ENCRYPTION_KEY']) expect(app.environment![name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
      expect(app.environment!.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
      expect(app.environment!.NODE_ENV).toBe('production');
    }
  });

  it('docker-compose keeps events in PostgreSQL by default; EventStoreDB (experimental) only with its profile', () => {
    const compose = load(read('docker-compose.yml'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as {
      services: Record<string, Service & { profiles?: string[]; depends_on?: Record<string, unknown> }>;
    };
    const { eventstore, web, worker } = compose.services;
    for (const app of [web!, worker!]) {
      expect(app.environment!.EVENTSTORE_URL).toBeUndefined();
      expect(Object.keys(app.depends_on ?? {})).toEqual(['postgres']);
    }
    expect(eventstore!.profiles).toEqual(['eventstore']);
    expect(read('README.md')).toContain('**EventStoreDB is experimental.**');
  });

  it('the image holds no key and refuses to start without one (NODE_ENV=production)', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/NODE_ENV=production/);
    expect(dockerfile).not.toMatch(/^(ENV|ARG) .*(OPERATOR_API_KEY|ENCRYPTION_KEY)/m);
  });

  it('README quick start is still two commands', () => {
    expect(read('README.md')).toContain('```sh\nnpm ci && npm start\n```');
  });
});
