/**
 * Checks docker-compose.yml without a Docker engine. `docker-compose config` (Debian's
 * docker-compose, installed by .ci/run) validates it against the compose schema, resolves
 * anchors and `${VAR:-default}`, and prints the file as the engine would run it; a broken
 * copy must be rejected. The rules below then hold that output (or, where docker-compose is
 * missing outside CI, the file parsed as YAML) to the code: every app of apps/ has a service
 * built by the Dockerfile, every environment variable the code reads without a default is
 * set (found in the code's syntax tree, test/support/env-reads.ts), every port an app serves
 * is the one its healthcheck, Prometheus and the published ports use. Each rule is also run
 * against a broken input, so a rule that stopped detecting its problem fails here too.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { scanEnvReads, scanSource, type EnvRead } from './support/env-reads';

const ROOT = join(__dirname, '..');
const CI = process.env.CI === 'true';

/**
 * Variables the code reads with no default that compose may leave unset, because unset is a
 * documented choice (README's configuration table). A new variable read without a default
 * fails the rules until compose sets it, the code gives it a default, or it is listed here.
 */
const UNSET_IS_A_CHOICE: Record<string, string> = {
  SHARDLINE_CREDENTIALS: 'SigV4 signatures are not verified',
  SHARDLINE_KMS_KEYS: 'only the built-in development key (alias/aws/kinesis)',
  SHARDLINE_S3_ENDPOINT: 'delivery buckets are directories under SHARDLINE_DATA_DIR (compose sets it on firehose: MinIO)',
};

/** The port a URL scheme implies when the URL names none. */
const DEFAULT_PORTS: Record<string, number> = { 'nats:': 4222, 'postgres:': 5432, 'postgresql:': 5432, 'http:': 80, 'https:': 443 };

/** Apps that run in compose; `standalone` bundles them all for `npm start`, `cli` is a command line client. */
function composedApps(): string[] {
  return readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'apps', d.name, 'src', 'main.ts')))
    .map((d) => d.name)
    .filter((app) => app !== 'standalone' && app !== 'cli')
    .sort();
}

type Doc = Record<string, unknown>;
type Service = Record<string, unknown>;

/** What the rules look at: the compose model, the code's environment reads, the Prometheus config and the Dockerfile. */
interface Subject {
  doc: Doc;
  reads: EnvRead[];
  prometheus: Doc;
  dockerfile: string;
  natsConf: string;
}
type Check = (subject: Subject) => string[];

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
  return composedApps().flatMap((app) => appServices(doc, app).map(([name, s]) => [name, { ...s, app }] as [string, Service]));
}

function hasHealthcheck(service: Service): boolean {
  const hc = service.healthcheck;
  if (!isRecord(hc) || hc.disable === true) return false;
  const test = hc.test;
  if (typeof test === 'string') return test.trim().length > 0;
  return Array.isArray(test) && test.length >= 2 && test.every((t) => typeof t === 'string') && test[0] !== 'NONE';
}

function healthcheckText(service: Service): string {
  const hc = isRecord(service.healthcheck) ? service.healthcheck : {};
  return Array.isArray(hc.test) ? hc.test.join(' ') : String(hc.test ?? '');
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

/** Container ports a service offers to the others: its published ports' targets and its `expose`. */
function containerPorts(service: Service): Set<string> {
  const exposed = Array.isArray(service.expose) ? service.expose.map((p) => String(p).split('/')[0]!) : [];
  return new Set([...publishedPorts(service).map((p) => p.container), ...exposed]);
}

/** The port the app serves on in the service: the gateway its PORT; the others their ops server, SHARDLINE_METRICS_PORT else PORT (opsPort()). */
function servedPort(app: string, env: Record<string, string>): string | undefined {
  return app === 'gateway' ? env.PORT : env.SHARDLINE_METRICS_PORT || env.PORT;
}

/** The ports Prometheus scrapes each host on: static targets and DNS discovery names. */
function scrapedPorts(prometheus: Doc): Map<string, string[]> {
  const jobs = Array.isArray(prometheus.scrape_configs) ? prometheus.scrape_configs.filter(isRecord) : [];
  const found = new Map<string, string[]>();
  const add = (host: string, port: string) => found.set(host, [...(found.get(host) ?? []), port]);
  for (const job of jobs) {
    for (const c of (Array.isArray(job.static_configs) ? job.static_configs : []).filter(isRecord)) {
      for (const target of Array.isArray(c.targets) ? c.targets : []) {
        const [host, port] = String(target).split(':');
        add(host!, port ?? '80');
      }
    }
    for (const c of (Array.isArray(job.dns_sd_configs) ? job.dns_sd_configs : []).filter(isRecord)) {
      for (const name of Array.isArray(c.names) ? c.names : []) add(String(name), String(c.port));
    }
  }
  return found;
}

function confValue(conf: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key}\\s*[:=]\\s*(\\S+)`, 'm').exec(conf)?.[1];
}

const checks: Record<string, Check> = {
  'every service has an image or a build': ({ doc }) =>
    Object.entries(servicesOf(doc))
      .filter(([, s]) => typeof s.image !== 'string' && s.build === undefined)
      .map(([name]) => `${name} has neither image nor build`),

  'every app in apps/ (but standalone and cli) has a service built from this repo': ({ doc }) =>
    composedApps().flatMap((app) => {
      const services = appServices(doc, app);
      if (services.length === 0) return [`app ${app} has no service`];
      return services.filter(([, s]) => s.build === undefined).map(([name]) => `${name} is not built from the repo`);
    }),

  'the Dockerfile builds and starts the app each service names': ({ doc, dockerfile }) => {
    const problems: string[] = [];
    if (!/^ARG APP\b/m.test(dockerfile)) problems.push('the Dockerfile has no ARG APP');
    if (!/^ENV[^]*SHARDLINE_APP=\$\{APP\}/m.test(dockerfile)) problems.push('the Dockerfile does not pass APP on as SHARDLINE_APP');
    if (!dockerfile.includes('apps/${SHARDLINE_APP}/src/main.ts')) problems.push('the Dockerfile does not start apps/${SHARDLINE_APP}/src/main.ts');
    for (const dir of ['apps', 'libs']) if (!new RegExp(`^COPY ${dir} `, 'm').test(dockerfile)) problems.push(`the Dockerfile does not copy ${dir}/`);
    for (const [name, service] of allAppServices(doc)) {
      const build = isRecord(service.build) ? service.build : {};
      const args = isRecord(build.args) ? build.args : {};
      if (args.APP !== service.app) problems.push(`${name} builds APP=${String(args.APP)}, not ${String(service.app)}`);
      const file = typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile';
      if (file !== 'Dockerfile') problems.push(`${name} builds ${file}, not the Dockerfile`);
    }
    return problems;
  },

  'shards runs as two or more processes': ({ doc }) => {
    const services = appServices(doc, 'shards');
    const replicas = services.reduce((sum, [, s]) => {
      const deploy = isRecord(s.deploy) ? s.deploy : {};
      return sum + (typeof deploy.replicas === 'number' ? deploy.replicas : 1);
    }, 0);
    return replicas >= 2 ? [] : [`shards runs ${replicas} process(es)`];
  },

  'nats, postgres and every app have healthchecks': ({ doc }) =>
    ['nats', 'postgres', ...allAppServices(doc).map(([name]) => name)]
      .filter((name) => {
        const service = servicesOf(doc)[name];
        return service === undefined || !hasHealthcheck(service);
      })
      .map((name) => `${name} has no healthcheck`),

  'depends_on names existing services, with a valid condition': ({ doc }) => {
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

  'app services wait for healthy nats and postgres': ({ doc }) =>
    allAppServices(doc).flatMap(([name, service]) => {
      const deps = new Map(dependenciesOf(service));
      return ['nats', 'postgres']
        .filter((dep) => deps.get(dep) !== 'service_healthy')
        .map((dep) => `${name} does not wait for ${dep} to be healthy`);
    }),

  'app services set only the environment variables the code reads': ({ doc, reads }) => {
    const read = new Set(reads.map((r) => r.name));
    return allAppServices(doc).flatMap(([name, service]) =>
      Object.keys(environmentOf(service))
        .filter((key) => !read.has(key))
        .map((key) => `${name} sets ${key}, which no app reads`),
    );
  },

  'every variable the code reads without a default is set by every app service': ({ doc, reads }) => {
    const plain = [...new Map(reads.filter((r) => !r.defaulted).map((r) => [r.name, r])).values()];
    return allAppServices(doc).flatMap(([name, service]) => {
      const env = environmentOf(service);
      return plain
        .filter((r) => env[r.name] === undefined && UNSET_IS_A_CHOICE[r.name] === undefined)
        .map((r) => `${name} does not set ${r.name}, read without a default at ${r.at}`);
    });
  },

  'app services reach NATS, Postgres and the trace collector by service name, on a port the service offers': ({ doc }) => {
    const services = servicesOf(doc);
    return allAppServices(doc).flatMap(([name, service]) => {
      const env = environmentOf(service);
      const required = ['NATS_URL', 'DATABASE_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((key) => env[key] === undefined).map((key) => `${name} does not set ${key}`);
      const urls = Object.entries(env).flatMap(([key, value]) => {
        if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [];
        const url = new URL(value);
        const target = services[url.hostname];
        if (target === undefined) return [`${name}: ${key} points at ${url.hostname}, not a service`];
        const port = url.port || String(DEFAULT_PORTS[url.protocol]);
        return containerPorts(target).has(port) ? [] : [`${name}: ${key} uses port ${port}, which ${url.hostname} does not offer`];
      });
      return [...required, ...urls];
    });
  },

  'nats listens where compose says (deploy/nats.conf)': ({ doc, natsConf }) => {
    const nats = servicesOf(doc).nats ?? {};
    const ports = containerPorts(nats);
    const problems = ['port', 'http_port'].filter((key) => !ports.has(confValue(natsConf, key) ?? '')).map((key) => `nats.conf ${key} ${confValue(natsConf, key)} is not a port of the nats service`);
    const monitor = /127\.0\.0\.1:(\d+)/.exec(healthcheckText(nats))?.[1];
    if (monitor !== confValue(natsConf, 'http_port')) problems.push(`the nats healthcheck asks port ${monitor}, not http_port`);
    return problems;
  },

  'each app serves on the port its healthcheck, Prometheus and its published ports use': ({ doc, prometheus, dockerfile }) => {
    const scraped = scrapedPorts(prometheus);
    return allAppServices(doc).flatMap(([name, service]) => {
      const env = environmentOf(service);
      const port = servedPort(String(service.app), env);
      if (port === undefined) return [`${name} sets neither PORT nor SHARDLINE_METRICS_PORT: it serves no /health or /metrics`];
      const problems: string[] = [];
      const hc = healthcheckText(service);
      const literal = /127\.0\.0\.1:(\d+)/.exec(hc)?.[1];
      if (literal !== undefined ? literal !== port : !(hc.includes('process.env.PORT') && env.PORT === port)) {
        problems.push(`${name}'s healthcheck does not ask port ${port}`);
      }
      const ports = scraped.get(name);
      if (ports === undefined) problems.push(`prometheus does not scrape ${name}`);
      else if (!ports.every((p) => p === port)) problems.push(`prometheus scrapes ${name} on ${ports.join(', ')}, not ${port}`);
      for (const published of publishedPorts(service)) {
        if (published.container !== port) problems.push(`${name} publishes container port ${published.container}, but serves on ${port}`);
      }
      if (service.app === 'gateway' && !new RegExp(`^EXPOSE .*\\b${port}\\b`, 'm').test(dockerfile)) problems.push(`the Dockerfile does not EXPOSE ${port}`);
      return problems;
    });
  },

  'the gateway publishes port 4567': ({ doc }) => {
    const gateway = servicesOf(doc).gateway;
    const ports = gateway === undefined ? [] : publishedPorts(gateway);
    return ports.some((p) => p.host === '4567' && p.container === '4567') ? [] : ['gateway does not publish 4567:4567'];
  },

  'prometheus runs with deploy/prometheus.yml': ({ doc }) => {
    const prometheus = servicesOf(doc).prometheus;
    if (prometheus === undefined) return ['no prometheus service'];
    const volumes = Array.isArray(prometheus.volumes) ? prometheus.volumes.map(String) : [];
    return volumes.some((v) => /deploy\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml/.test(v)) ? [] : ['prometheus does not mount deploy/prometheus.yml'];
  },
};

/** docker-compose on the PATH, if any. */
function findDockerCompose(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'docker-compose');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * `docker-compose -f <file> config` with only PATH and HOME set, so `${VAR:-default}` takes the
 * file's defaults (or an env file's values, given `--env-file <file>` in `options`).
 */
function composeConfig(binary: string, dir: string, options: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(binary, [...options, '-f', 'docker-compose.yml', 'config'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function parseYaml(text: string): Doc {
  // merge: compose resolves `<<: *anchor`; YAML 1.2's core schema does not by default.
  const doc: unknown = parse(text, { merge: true });
  if (!isRecord(doc)) throw new Error('not a YAML mapping');
  return doc;
}

const COMPOSE_TEXT = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const DOCKER_COMPOSE = findDockerCompose();
const APP_SOURCES = [...composedApps().map((app) => `apps/${app}/src`), 'libs'];

function mutated(subject: Subject, change: (services: Record<string, Service>, subject: Subject) => void): Subject {
  const copy = structuredClone(subject);
  change(copy.doc.services as Record<string, Service>, copy);
  return copy;
}

describe('docker-compose.yml', () => {
  const validated = DOCKER_COMPOSE ? composeConfig(DOCKER_COMPOSE, ROOT) : undefined;
  const scan = scanEnvReads(ROOT, APP_SOURCES);
  const subject: Subject = {
    // The file as docker-compose resolves it when it is there, else as YAML.
    doc: validated?.status === 0 ? parseYaml(validated.stdout) : parseYaml(COMPOSE_TEXT),
    reads: scan.reads,
    prometheus: parseYaml(readFileSync(join(ROOT, 'deploy/prometheus.yml'), 'utf8')),
    dockerfile: readFileSync(join(ROOT, 'Dockerfile'), 'utf8'),
    natsConf: readFileSync(join(ROOT, 'deploy/nats.conf'), 'utf8'),
  };

  describe('docker-compose config', () => {
    it(`is installed${CI ? ' (CI=true requires it)' : ''}`, () => {
      if (!DOCKER_COMPOSE && !CI) {
        console.warn('docker-compose is not installed: its validation is skipped (.ci/run installs it; apt-get install docker-compose)');
        return;
      }
      expect(DOCKER_COMPOSE).toBeDefined();
    });

    const withCompose = DOCKER_COMPOSE ? it : it.skip;

    withCompose('accepts the file (schema, anchors, interpolation) without a Docker engine', () => {
      expect({ status: validated!.status, stderr: validated!.stderr }).toEqual({ status: 0, stderr: '' });
      expect(Object.keys(servicesOf(subject.doc))).toEqual(
        expect.arrayContaining(['nats', 'postgres', 'minio', 'jaeger', 'prometheus', ...composedApps()]),
      );
    });

    const broken: [what: string, from: string | RegExp, to: string, complaint: string][] = [
      ['an unknown option', /^ {2}gateway:\n/m, '  gateway:\n    restrat: always\n', "Unsupported config option for services.gateway: 'restrat'"],
      ['an unknown depends_on condition', 'condition: service_completed_successfully', 'condition: completed', 'services.firehose.depends_on.createbuckets.condition contains "completed"'],
      ['a dependency on a missing service', /^ {6}createbuckets:$/m, '      createbucket:', "depends on service 'createbucket' which is undefined"],
      ['a malformed port', "- '4567:4567'", "- '4567:45x67'", 'services.gateway.ports contains an invalid type'],
      ['a replica count that is not a number', 'replicas: 2', 'replicas: two', '"two" is not a valid integer'],
    ];
    withCompose.each(broken.map(([what, from, to, complaint]) => ({ what, from, to, complaint })))('rejects a copy with $what', ({ from, to, complaint }) => {
      const text = COMPOSE_TEXT.replace(from, to);
      expect(text).not.toEqual(COMPOSE_TEXT);
      const dir = mkdtempSync(join(tmpdir(), 'shardline-compose-'));
      try {
        writeFileSync(join(dir, 'docker-compose.yml'), text);
        const result = composeConfig(DOCKER_COMPOSE!, dir);
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain(complaint);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the 3-node NATS cluster profile (deploy/cluster.env)', () => {
    const withCompose = DOCKER_COMPOSE ? it : it.skip;

    withCompose('runs three clustered nodes and points every app at all of them with 3 replicas', () => {
      const result = composeConfig(DOCKER_COMPOSE!, ROOT, ['--env-file', 'deploy/cluster.env']);
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const services = servicesOf(parseYaml(result.stdout));
      const nodes = ['nats', 'nats-2', 'nats-3'];
      for (const node of nodes) expect(JSON.stringify(services[node]?.command)).toContain('nats-cluster.conf');
      expect(new Set(nodes.map((node) => environmentOf(services[node]!).NATS_SERVER_NAME)).size).toBe(3);
      const conf = readFileSync(join(ROOT, 'deploy/nats-cluster.conf'), 'utf8');
      for (const node of nodes) expect(conf).toContain(`nats-route://${node}:6222`);
      const apps = Object.entries(services).filter(([name]) => composedApps().some((app) => name === app));
      expect(apps.length).toBe(composedApps().length);
      for (const [, service] of apps) {
        const env = environmentOf(service);
        expect(env.NATS_URL!.split(',').map((url) => new URL(url).hostname)).toEqual(nodes);
        expect(env.SHARDLINE_REPLICAS).toBe('3');
      }
    });

    withCompose('is off by default: the other nodes only under the profile, one node and one replica for the apps', () => {
      const services = servicesOf(subject.doc);
      for (const node of ['nats-2', 'nats-3']) expect(services[node]?.profiles).toEqual(['cluster']);
      expect(services.nats?.profiles).toBeUndefined();
      expect(environmentOf(services.gateway!)).toMatchObject({ NATS_URL: 'nats://nats:4222', SHARDLINE_REPLICAS: '1' });
    });
  });

  describe('the environment the code reads', () => {
    it('is found in the sources, with nothing the scan cannot place', () => {
      const names = new Set(subject.reads.map((r) => r.name));
      expect([...names]).toEqual(expect.arrayContaining(['NATS_URL', 'DATABASE_URL', 'PORT', 'SHARDLINE_MAX_SHARDS', 'SHARDLINE_METRICS_PORT', 'SHARDLINE_DATA_DIR']));
      expect(scan.unrecognized).toEqual([]);
    });

    it('lists as a choice only variables still read without a default', () => {
      const plain = new Set(subject.reads.filter((r) => !r.defaulted).map((r) => r.name));
      expect(Object.keys(UNSET_IS_A_CHOICE).filter((name) => !plain.has(name))).toEqual([]);
    });

    it('tells defaulted reads from plain ones', () => {
      const source = [
        "const a = process.env.A ?? 'x';",
        "const b = env['B'] || 'y';",
        'const c = process.env.C!;',
        'const d = env.D;',
        "const e = process.env.E === '1';",
        'const f = env.F ? Number(env.F) : 5;',
        'const g = base.g ?? env.G ?? 1;',
        'const h = env.H || env.I;',
        'function table(env: NodeJS.ProcessEnv) {',
        '  const int = (name: string, fallback?: number) => Number(env[name] ?? fallback);',
        "  return [int('SHARDLINE_J', 1), int('SHARDLINE_K')];",
        '}',
        "const l = lookup('SHARDLINE_L');",
      ].join('\n');
      const found = scanSource(source, 'x.ts');
      expect(Object.fromEntries(found.reads.map((r) => [r.name, r.defaulted]))).toEqual({
        A: true,
        B: true,
        C: false,
        D: false,
        E: true,
        F: true,
        G: true,
        H: true,
        I: false,
        SHARDLINE_J: true,
        SHARDLINE_K: false,
      });
      expect(found.unrecognized).toEqual([{ name: 'SHARDLINE_L', at: 'x.ts:13' }]);
    });
  });

  it.each(Object.entries(checks))('%s', (_rule, check) => {
    expect(check(subject)).toEqual([]);
  });

  describe('each rule catches its problem', () => {
    const env = (s: Service) => s.environment as Record<string, string>;
    const cases: [rule: string, change: (services: Record<string, Service>, subject: Subject) => void, problem: string][] = [
      ['every app in apps/ (but standalone and cli) has a service built from this repo', (s) => delete s.shards, 'app shards has no service'],
      ['every app in apps/ (but standalone and cli) has a service built from this repo', (s) => delete s.gateway!.build, 'gateway is not built from the repo'],
      ['the Dockerfile builds and starts the app each service names', (s) => ((s.firehose!.build as Service).args = { APP: 'gateway' }), 'firehose builds APP=gateway, not firehose'],
      ['the Dockerfile builds and starts the app each service names', (_s, x) => (x.dockerfile = x.dockerfile.replace('COPY apps ', 'COPY apps/gateway ')), 'the Dockerfile does not copy apps/'],
      ['shards runs as two or more processes', (s) => delete s.shards!.deploy, 'shards runs 1 process(es)'],
      ['every service has an image or a build', (s) => delete s.postgres!.image, 'postgres has neither image nor build'],
      ['nats, postgres and every app have healthchecks', (s) => delete s.nats!.healthcheck, 'nats has no healthcheck'],
      ['nats, postgres and every app have healthchecks', (s) => delete s.analytics!.healthcheck, 'analytics has no healthcheck'],
      ['depends_on names existing services, with a valid condition', (s) => delete s.jaeger, 'gateway depends on missing service jaeger'],
      ['depends_on names existing services, with a valid condition', (s) => delete s.gateway!.healthcheck, 'shards waits for gateway to be healthy, but gateway has no healthcheck'],
      ['app services wait for healthy nats and postgres', (s) => (s.gateway!.depends_on = ['nats', 'postgres']), 'gateway does not wait for nats to be healthy'],
      ['the gateway publishes port 4567', (s) => (s.gateway!.ports = ['8080:4567']), 'gateway does not publish 4567:4567'],
      ['app services set only the environment variables the code reads', (s) => (env(s.shards!).NATS_URI = 'x'), 'shards sets NATS_URI, which no app reads'],
      [
        'every variable the code reads without a default is set by every app service',
        (_s, x) => x.reads.push({ name: 'SHARDLINE_NEW_SETTING', at: 'libs/x.ts:1', defaulted: false }),
        'gateway does not set SHARDLINE_NEW_SETTING, read without a default at libs/x.ts:1',
      ],
      ['every variable the code reads without a default is set by every app service', (s) => delete env(s.shards!).PORT, 'shards does not set PORT, read without a default at libs/telemetry/src/metrics/ops-server.ts:72'],
      ['app services reach NATS, Postgres and the trace collector by service name, on a port the service offers', (s) => (env(s.gateway!).NATS_URL = 'nats://broker:4222'), 'gateway: NATS_URL points at broker, not a service'],
      ['app services reach NATS, Postgres and the trace collector by service name, on a port the service offers', (s) => (env(s.gateway!).OTEL_EXPORTER_OTLP_ENDPOINT = 'http://jaeger:4317'), 'gateway: OTEL_EXPORTER_OTLP_ENDPOINT uses port 4317, which jaeger does not offer'],
      ['app services reach NATS, Postgres and the trace collector by service name, on a port the service offers', (s) => (env(s.firehose!).SHARDLINE_S3_ENDPOINT = 'http://minio'), 'firehose: SHARDLINE_S3_ENDPOINT uses port 80, which minio does not offer'],
      ['nats listens where compose says (deploy/nats.conf)', (_s, x) => (x.natsConf = x.natsConf.replace('http_port: 8222', 'http_port: 8223')), 'nats.conf http_port 8223 is not a port of the nats service'],
      ['each app serves on the port its healthcheck, Prometheus and its published ports use', (s) => (env(s.shards!).SHARDLINE_METRICS_PORT = '9464'), "shards's healthcheck does not ask port 9464"],
      ['each app serves on the port its healthcheck, Prometheus and its published ports use', (s) => (env(s.gateway!).PORT = '8080'), 'gateway publishes container port 4567, but serves on 8080'],
      ['each app serves on the port its healthcheck, Prometheus and its published ports use', (s) => (s['shards-1'] = s.shards!), 'prometheus does not scrape shards-1'],
      [
        'each app serves on the port its healthcheck, Prometheus and its published ports use',
        (_s, x) => (x.prometheus = parseYaml(JSON.stringify(x.prometheus).replace('"firehose:4567"', '"firehose:9464"'))),
        'prometheus scrapes firehose on 9464, not 4567',
      ],
      ['prometheus runs with deploy/prometheus.yml', (s) => (s.prometheus!.volumes = []), 'prometheus does not mount deploy/prometheus.yml'],
    ];

    it.each(cases.map(([rule, change, problem]) => ({ rule, change, problem })))('$rule: $problem', ({ rule, change, problem }) => {
      expect(checks[rule]!(mutated(subject, change))).toContain(problem);
    });
  });
});
