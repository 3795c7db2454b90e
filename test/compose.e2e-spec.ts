/**
 * Checks docker-compose.yml without a Docker engine: the file is parsed as YAML and
 * held to the rules below. Each rule is also run against a broken copy of the file,
 * so a rule that stopped detecting its problem would fail here too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');

/** Environment variables the apps read; an app service setting any other is a typo. */
const KNOWN_APP_ENV = new Set([
  'NATS_URL',
  'DATABASE_URL',
  'PORT',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'SHARDLINE_ROLE',
  'SHARDLINE_REGION',
  'SHARDLINE_ACCOUNT_ID',
  'SHARDLINE_ITERATOR_SECRET',
  'SHARDLINE_MAX_SHARDS',
  'SHARDLINE_STREAM_CREATE_DELAY_MS',
  'SHARDLINE_STREAM_DELETE_DELAY_MS',
  'SHARDLINE_S3_ENDPOINT',
  'SHARDLINE_S3_ACCESS_KEY_ID',
  'SHARDLINE_S3_SECRET_ACCESS_KEY',
  'SHARDLINE_S3_REGION',
  'SHARDLINE_DATA_DIR',
  'SHARDLINE_METRICS_PORT',
  'SHARDLINE_REPLICAS',
  'SHARDLINE_CONSOLE_DIR',
]);

/**
 * Apps that run in compose; `standalone` bundles them all for `npm start` and has none, `cli` is
 * a command line client, `console` is the web console's static files (the gateway serves them).
 */
function composedApps(): string[] {
  const appsDir = join(ROOT, 'apps');
  const found = existsSync(appsDir)
    ? readdirSync(appsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
    : [];
  return [...new Set(['gateway', 'shards', ...found])].filter((app) => !['standalone', 'cli', 'console'].includes(app)).sort();
}

type Doc = Record<string, unknown>;
type Service = Record<string, unknown>;
type Check = (doc: Doc) => string[];

const DEPENDENCY_CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function servicesOf(doc: Doc): Record<string, Service> {
  const services = isRecord(doc.services) ? doc.services : {};
  return Object.fromEntries(Object.entries(services).map(([name, s]) => [name, isRecord(s) ? s : {}]));
}

/** Services that run an app: `shards`, or `shards-1`, `shards-2`... */
function appServices(doc: Doc, app: string): [string, Service][] {
  return Object.entries(servicesOf(doc)).filter(([name]) => name === app || new RegExp(`^${app}-\\d+$`).test(name));
}

function allAppServices(doc: Doc): [string, Service][] {
  return composedApps().flatMap((app) => appServices(doc, app));
}

function hasHealthcheck(service: Service): boolean {
  const hc = service.healthcheck;
  if (!isRecord(hc) || hc.disable === true) return false;
  const test = hc.test;
  if (typeof test === 'string') return test.trim().length > 0;
  return Array.isArray(test) && test.length >= 2 && test.every((t) => typeof t === 'string') && test[0] !== 'NONE';
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => String(entry).split(/=(.*)/s).slice(0, 2) as [string, string]));
  }
  return isRecord(env) ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) : {};
}

function dependenciesOf(service: Service): [string, string][] {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return deps.map((name) => [String(name), 'service_started']);
  if (!isRecord(deps)) return [];
  return Object.entries(deps).map(([name, spec]) => [name, isRecord(spec) ? String(spec.condition) : 'undefined']);
}

/** Host and container port of each published port, short or long syntax. */
function publishedPorts(service: Service): { host: string; container: string }[] {
  const ports = Array.isArray(service.ports) ? service.ports : [];
  return ports.map((port) => {
    if (isRecord(port)) return { host: String(port.published), container: String(port.target) };
    const parts = String(port).split('/')[0]!.split(':');
    return { host: parts.length > 1 ? parts[parts.length - 2]! : '', container: parts[parts.length - 1]! };
  });
}

const checks: Record<string, Check> = {
  'every service has an image or a build': (doc) =>
    Object.entries(servicesOf(doc))
      .filter(([, s]) => typeof s.image !== 'string' && s.build === undefined)
      .map(([name]) => `${name} has neither image nor build`),

  'every app in apps/ (but standalone) has a service built from this repo': (doc) =>
    composedApps().flatMap((app) => {
      const services = appServices(doc, app);
      if (services.length === 0) return [`app ${app} has no service`];
      return services.filter(([, s]) => s.build === undefined).map(([name]) => `${name} is not built from the repo`);
    }),

  'shards runs as two or more processes': (doc) => {
    const services = appServices(doc, 'shards');
    const replicas = services.reduce((sum, [, s]) => {
      const deploy = isRecord(s.deploy) ? s.deploy : {};
      return sum + (typeof deploy.replicas === 'number' ? deploy.replicas : 1);
    }, 0);
    return replicas >= 2 ? [] : [`shards runs ${replicas} process(es)`];
  },

  'nats, postgres and gateway have healthchecks': (doc) =>
    ['nats', 'postgres', 'gateway'].filter((name) => {
      const service = servicesOf(doc)[name];
      return service === undefined || !hasHealthcheck(service);
    }).map((name) => `${name} has no healthcheck`),

  'depends_on names existing services, with a valid condition': (doc) => {
    const services = servicesOf(doc);
    return Object.entries(services).flatMap(([name, service]) =>
      dependenciesOf(service).flatMap(([dep, condition]) => {
        const target = services[dep];
        if (target === undefined) return [`${name} depends on missing service ${dep}`];
        if (!DEPENDENCY_CONDITIONS.has(condition)) return [`${name} -> ${dep}: unknown condition ${condition}`];
        if (condition === 'service_healthy' && !hasHealthcheck(target)) {
          return [`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`];
        }
        return [];
      }),
    );
  },

  'app services wait for healthy nats and postgres': (doc) =>
    allAppServices(doc).flatMap(([name, service]) => {
      const deps = new Map(dependenciesOf(service));
      return ['nats', 'postgres']
        .filter((dep) => deps.get(dep) !== 'service_healthy')
        .map((dep) => `${name} does not wait for ${dep} to be healthy`);
    }),

  'the gateway publishes port 4567': (doc) => {
    const gateway = servicesOf(doc).gateway;
    const ports = gateway === undefined ? [] : publishedPorts(gateway);
    return ports.some((p) => p.host === '4567' && p.container === '4567') ? [] : ['gateway does not publish 4567:4567'];
  },

  'app services set only the environment variables the apps read': (doc) =>
    allAppServices(doc).flatMap(([name, service]) =>
      Object.keys(environmentOf(service))
        .filter((key) => !KNOWN_APP_ENV.has(key))
        .map((key) => `${name} sets unknown variable ${key}`),
    ),

  'app services reach NATS, Postgres and the trace collector by service name': (doc) => {
    const services = servicesOf(doc);
    return allAppServices(doc).flatMap(([name, service]) => {
      const env = environmentOf(service);
      return ['NATS_URL', 'DATABASE_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT'].flatMap((key) => {
        const url = env[key];
        if (url === undefined) return [`${name} does not set ${key}`];
        const host = new URL(url).hostname;
        return services[host] === undefined ? [`${name}: ${key} points at ${host}, not a service`] : [];
      });
    });
  },

  'prometheus scrapes every app service': (doc) => {
    if (servicesOf(doc).prometheus === undefined) return ['no prometheus service'];
    const scraped = scrapedHosts(readFileSync(join(ROOT, 'deploy/prometheus.yml'), 'utf8'));
    return allAppServices(doc)
      .map(([name]) => name)
      .filter((name) => !scraped.has(name))
      .map((name) => `prometheus does not scrape ${name}`);
  },
};

/** Hosts that a Prometheus config scrapes: static targets and DNS discovery names. */
function scrapedHosts(configText: string): Set<string> {
  const config: unknown = parse(configText);
  const jobs = isRecord(config) && Array.isArray(config.scrape_configs) ? config.scrape_configs : [];
  const hosts = jobs.filter(isRecord).flatMap((job) => [
    ...(Array.isArray(job.static_configs) ? job.static_configs : [])
      .filter(isRecord)
      .flatMap((c) => (Array.isArray(c.targets) ? c.targets : []))
      .map((target) => String(target).split(':')[0]),
    ...(Array.isArray(job.dns_sd_configs) ? job.dns_sd_configs : [])
      .filter(isRecord)
      .flatMap((c) => (Array.isArray(c.names) ? c.names.map(String) : [])),
  ]);
  return new Set(hosts);
}

function loadCompose(): Doc {
  const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  // merge: compose resolves `<<: *anchor`; YAML 1.2's core schema does not by default.
  const doc: unknown = parse(text, { merge: true });
  if (!isRecord(doc)) throw new Error('docker-compose.yml is not a mapping');
  return withDefaults(doc) as Doc;
}

/** Compose's interpolation with nothing set: every `${NAME:-default}` becomes its default. */
function withDefaults(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
  if (Array.isArray(value)) return value.map(withDefaults);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDefaults(v)]));
  return value;
}

function mutated(doc: Doc, change: (services: Record<string, Service>) => void): Doc {
  const copy = structuredClone(doc);
  change(copy.services as Record<string, Service>);
  return copy;
}

describe('docker-compose.yml', () => {
  const doc = loadCompose();

  it('parses as YAML into a non-empty services mapping', () => {
    expect(Object.keys(servicesOf(doc)).length).toBeGreaterThan(0);
    expect(Object.keys(servicesOf(doc))).toEqual(
      expect.arrayContaining(['nats', 'postgres', 'minio', 'jaeger', 'prometheus', 'gateway', 'shards']),
    );
  });

  it.each(Object.entries(checks))('%s', (_rule, check) => {
    expect(check(doc)).toEqual([]);
  });

  describe('each rule catches its problem', () => {
    const cases: [rule: string, change: (services: Record<string, Service>) => void, problem: string][] = [
      ['every app in apps/ (but standalone) has a service built from this repo', (s) => delete s.shards, 'app shards has no service'],
      ['every app in apps/ (but standalone) has a service built from this repo', (s) => delete s.gateway, 'app gateway has no service'],
      ['shards runs as two or more processes', (s) => delete s.shards!.deploy, 'shards runs 1 process(es)'],
      ['every service has an image or a build', (s) => delete s.postgres!.image, 'postgres has neither image nor build'],
      ['nats, postgres and gateway have healthchecks', (s) => delete s.nats!.healthcheck, 'nats has no healthcheck'],
      ['nats, postgres and gateway have healthchecks', (s) => delete s.postgres, 'postgres has no healthcheck'],
      ['depends_on names existing services, with a valid condition', (s) => delete s.jaeger, 'gateway depends on missing service jaeger'],
      ['depends_on names existing services, with a valid condition', (s) => delete s.gateway!.healthcheck, 'shards waits for gateway to be healthy, but gateway has no healthcheck'],
      ['app services wait for healthy nats and postgres', (s) => (s.gateway!.depends_on = ['nats', 'postgres']), 'gateway does not wait for nats to be healthy'],
      ['the gateway publishes port 4567', (s) => (s.gateway!.ports = ['8080:4567']), 'gateway does not publish 4567:4567'],
      ['app services set only the environment variables the apps read', (s) => ((s.shards!.environment as Record<string, string>).NATS_URI = 'x'), 'shards sets unknown variable NATS_URI'],
      ['app services reach NATS, Postgres and the trace collector by service name', (s) => ((s.gateway!.environment as Record<string, string>).NATS_URL = 'nats://broker:4222'), 'gateway: NATS_URL points at broker, not a service'],
      ['prometheus scrapes every app service', (s) => (s['shards-1'] = s.shards!), 'prometheus does not scrape shards-1'],
    ];

    it.each(cases.map(([rule, change, problem]) => ({ rule, change, problem })))('$rule: $problem', ({ rule, change, problem }) => {
      expect(checks[rule]!(mutated(doc, change))).toContain(problem);
    });
  });
});
