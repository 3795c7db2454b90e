import type { PoolConfig } from 'pg';
import { DeliveryError } from '../../model';

/**
 * A ClusterJDBCURL as a pg connection: `jdbc:redshift://host[:port]/database[?params]`
 * (Redshift's default port 5439) or `jdbc:postgresql://host[:port]/database[?params]`
 * (5432). Parameters read: `user`, `password` (when Username/Password are absent),
 * `ssl=true` and `sslmode` (require, verify-ca, verify-full).
 */
export function connectionFromJdbcUrl(jdbcUrl: string, username?: string, password?: string): PoolConfig {
  const match = /^jdbc:(redshift|postgresql):\/\//.exec(jdbcUrl);
  if (!match) {
    throw new DeliveryError(
      `ClusterJDBCURL must start with jdbc:redshift:// or jdbc:postgresql://, got ${jdbcUrl}`,
      'Redshift.ConnectionFailed',
      false,
    );
  }
  // WHATWG URL parses host, port and path for any scheme written with '//'.
  const url = new URL(jdbcUrl.slice('jdbc:'.length));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database) {
    throw new DeliveryError(`ClusterJDBCURL needs a host and a database: ${jdbcUrl}`, 'Redshift.ConnectionFailed', false);
  }
  const params = url.searchParams;
  const sslmode = params.get('sslmode') ?? (params.get('ssl') === 'true' ? 'require' : undefined);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : match[1] === 'redshift' ? 5439 : 5432,
    database,
    user: username ?? params.get('user') ?? undefined,
    password: password ?? params.get('password') ?? undefined,
    ssl:
      sslmode && sslmode !== 'disable' && sslmode !== 'allow' && sslmode !== 'prefer'
        ? { rejectUnauthorized: sslmode.startsWith('verify') }
        : undefined,
  };
}
