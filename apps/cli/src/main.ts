import { Command, Option } from 'commander';
import { ShardlineApiError } from '@shardline/client';
import { analyticsCommand } from './analytics';
import { groupsCommand } from './groups';
import { pluginsCommand } from './plugins';
import { putCommand } from './put';
import { streamsCommand } from './streams';
import { tailCommand } from './tail';
import { transformCommand } from './transform';

/** Options every command reads from the root program. */
export interface GlobalOptions {
  endpoint: string;
  nats: string;
  prefix: string;
}

function program(): Command {
  const root = new Command('shardline')
    .description('Streams, records, tails and consumer groups of a Shardline (REST and NATS APIs)')
    .addOption(new Option('--endpoint <url>', 'the gateway (REST API)').env('SHARDLINE_ENDPOINT').default('http://127.0.0.1:4567'))
    .addOption(new Option('--nats <url>', 'the NATS server (producer)').env('NATS_URL').default('nats://127.0.0.1:4222'))
    .addOption(new Option('--prefix <token>', 'first token of the NATS API subjects').env('SHARDLINE_NATS_API_PREFIX').default('shardline'))
    .showHelpAfterError();
  const globals = () => root.opts<GlobalOptions>();
  root.addCommand(streamsCommand(globals));
  root.addCommand(putCommand(globals));
  root.addCommand(tailCommand(globals));
  root.addCommand(groupsCommand(globals));
  root.addCommand(pluginsCommand(globals));
  root.addCommand(analyticsCommand(globals));
  root.addCommand(transformCommand());
  return root;
}

/** Problems print as `error: <title>: <detail>` (and their field errors); the exit code is 1. */
function report(err: unknown): void {
  if (err instanceof ShardlineApiError) {
    process.stderr.write(`error: ${err.message}\n`);
    for (const e of err.problem.errors ?? []) process.stderr.write(`  ${e.path}: ${e.message}\n`);
  } else {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 1;
}

program().parseAsync(process.argv).catch(report);
