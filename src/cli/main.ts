import { Command, Option } from 'commander';
import { AppError, describeError } from '../errors.js';
import { feedCommand } from './commands/feed.js';
import { parseCommand } from './commands/parse.js';
import { runCommand } from './commands/run.js';
import { CliFailure } from './failure.js';

// argv → command. The only place that calls process.exit; every error becomes one line on stderr.

const program = new Command()
  .name('secwatch')
  .description('Watch security bulletins, verify and rate them, match them to your inventory, and say what to apply by when.')
  .version('0.1.0')
  .showHelpAfterError();

program
  .command('run')
  .description('poll every source, store, match and deliver alerts (the scheduler loop; --once for one cycle)')
  .option('-c, --config <file>', 'config file (default $SECWATCH_CONFIG or config/secwatch.yaml)')
  .option('--once', 'run one cycle, write the feed, print a summary and exit')
  .option('--json', 'print the summary as JSON (with --once)')
  .action(async (opts: { config?: string; once?: boolean; json?: boolean }) => finish(await runCommand(opts)));

program
  .command('serve')
  .description('long-running service: polls every source on its interval and delivers alerts (HTTP API: see README)')
  .option('-c, --config <file>', 'config file (default $SECWATCH_CONFIG or config/secwatch.yaml)')
  .action(async (opts: { config?: string }) => finish(await runCommand({ ...opts, once: false })));

program
  .command('parse')
  .description('parse one document and print one normalised advisory per line (JSON)')
  .argument('<file>', 'the document')
  .addOption(new Option('-f, --format <format>', 'document format').choices(['auto', 'kev', 'rss']).default('auto'))
  .option('--source-id <id>', 'source id used in advisory ids (default: the format)')
  .option('--vendor <name>', 'vendor the feed speaks for (rss)')
  .action(async (file: string, opts: { format: 'auto' | 'kev' | 'rss'; sourceId?: string; vendor?: string }) =>
    finish(await parseCommand(file, opts)),
  );

program
  .command('feed')
  .description('print the JSON Feed 1.1 document, exactly as served over HTTP')
  .option('-c, --config <file>', 'config file')
  .option('--source <id>', 'only items from this source')
  .action(async (opts: { config?: string; source?: string }) => finish(await feedCommand(opts)));

function finish(code: number): void {
  process.exitCode = code;
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliFailure) {
    process.stderr.write(`secwatch: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else if (err instanceof AppError) {
    process.stderr.write(`secwatch: ${err.code}: ${describeError(err)}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`secwatch: unexpected error: ${describeError(err)}\n`);
    process.exitCode = 70;
  }
}
