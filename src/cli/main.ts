import { Command, Option } from 'commander';
import { AppError, describeError } from '../errors.js';
import { INVENTORY_FORMATS } from '../inventory/formats.js';
import type { DeliveriesCommandOptions } from './commands/deliveries.js';
import { DELIVERY_STATUSES } from './commands/delivery-statuses.js';
import { addInventoryCommands } from './commands/inventory-commands.js';
import type { MatchCommandOptions } from './commands/match.js';
import type { QuarantineCommandOptions } from './commands/quarantine.js';
import type { StatusCommandOptions } from './commands/status.js';
import type { WorkerCommandOptions } from './commands/worker.js';
import type { VerifyCommandOptions } from './commands/verify.js';
import { CliFailure } from './failure.js';

// argv → command. The only place that calls process.exit; every error becomes one line on stderr.
// Each command's module is imported when that command runs, not before: together they load the
// store drivers, BullMQ, fastify, openpgp… and `secwatch --help` took ~12× `node -e 0` when all
// were imported up front (bench/cold-start.ts, bench/RESULTS.md).

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
  .action(async (opts: { config?: string; once?: boolean; json?: boolean }) => finish(await (await import('./commands/run.js')).runCommand(opts)));

program
  .command('serve')
  .description('long-running service: the scheduler loop plus the HTTP API, feeds and metrics (http.host/http.port)')
  .option('-c, --config <file>', 'config file (default $SECWATCH_CONFIG or config/secwatch.yaml)')
  .action(async (opts: { config?: string }) => finish(await (await import('./commands/serve.js')).serveCommand(opts)));

program
  .command('parse')
  .description('parse one document and print one normalised advisory per line (JSON)')
  .argument('<file>', 'the document')
  .addOption(new Option('-f, --format <format>', 'document format').choices(['auto', 'kev', 'rss', 'cvrf', 'osv', 'csaf', 'html', 'advance', 'mbox']).default('auto'))
  .option('-c, --config <file>', 'html: take the selectors of the html source --source-id (or the only one) from this config')
  .option('--source-id <id>', 'source id used in advisory ids (default: the format)')
  .option('--vendor <name>', 'vendor the feed speaks for (rss)')
  .option('--keys <paths...>', 'check the signature (FILE.asc, FILE.sha256/.sha512) with these key files or folders')
  .action(async (file: string, opts: { format: 'auto' | 'kev' | 'rss' | 'cvrf' | 'osv' | 'csaf' | 'html' | 'advance' | 'mbox'; sourceId?: string; vendor?: string; keys?: string[]; config?: string }) =>
    finish(await (await import('./commands/parse.js')).parseCommand(file, opts)),
  );

program
  .command('feed')
  .description('print the JSON Feed 1.1 document, exactly as served over HTTP')
  .option('-c, --config <file>', 'config file')
  .option('--source <id>', 'only items from this source')
  .option('--subscription <id>', "one subscription's items (as its personal feed /feeds/{token}.json)")
  .action(async (opts: { config?: string; source?: string; subscription?: string }) => finish(await (await import('./commands/feed.js')).feedCommand(opts)));

program
  .command('worker')
  .description('consume the BullMQ queues on Redis (REDIS_URL): poll, ingest, match, deliver and remind as jobs; run as many as you like')
  .option('-c, --config <file>', 'config file (default $SECWATCH_CONFIG or config/secwatch.yaml)')
  .option('--queues <list>', 'comma-separated queues to consume: poll, ingest, match, deliver, remind (default: all)')
  .option('--concurrency <n>', 'jobs at once per queue (default: runner.concurrency)')
  .option('--no-schedule', 'do not (re)declare the sources\' job schedulers on start')
  .option('--poll-now', 'queue one poll of every source at start')
  .option('--lock-duration <duration>', 'how long a job stays locked to this worker without renewal (default 30s)')
  .action(async (opts: WorkerCommandOptions) => finish(await (await import('./commands/worker.js')).workerCommand(opts)));

program
  .command('status')
  .description('BullMQ runner status: queue depths, workers, oldest waiting job, failed jobs')
  .option('-c, --config <file>', 'config file')
  .option('--json', 'print the status as JSON')
  .option('--retry-failed', 'move every failed job back to waiting first')
  .action(async (opts: StatusCommandOptions) => finish(await (await import('./commands/status.js')).statusCommand(opts)));

program
  .command('deliveries')
  .description('list recorded deliveries as JSON lines, oldest first; --retry KEY puts a failed one back to pending')
  .option('-c, --config <file>', 'config file')
  .addOption(new Option('--status <status>', 'only deliveries in this state').choices(DELIVERY_STATUSES))
  .option('--limit <n>', 'at most this many')
  .option('--retry <key>', 'retry this failed delivery (attempts and last error are kept) and print it')
  .action(async (opts: DeliveriesCommandOptions) => finish(await (await import('./commands/deliveries.js')).deliveriesCommand(opts)));

program
  .command('verify')
  .description('check a document\'s signature and hash files; one JSON line, exit 0 verified, 3 bad, 4 unknown-key, 5 unsigned, 6 expired-key')
  .argument('<file>', 'the document')
  .option('--signature <file>', 'detached signature (default FILE.asc when it exists)')
  .option('--keys <paths...>', 'public key files or folders of *.asc to trust')
  .option('--hashes', 'also check FILE.sha256 and FILE.sha512')
  .action(async (file: string, opts: VerifyCommandOptions) => finish(await (await import('./commands/verify.js')).verifyCommand(file, opts)));

program
  .command('quarantine')
  .description('list the documents that failed their source\'s verify policy (kept, never alerted)')
  .option('-c, --config <file>', 'config file')
  .option('--source <id>', 'only this source')
  .option('--json', 'print the entries as JSON')
  .action(async (opts: QuarantineCommandOptions) => finish(await (await import('./commands/quarantine.js')).quarantineCommand(opts)));

program
  .command('match')
  .description('match advisories (the JSON lines `secwatch parse` prints) against an inventory; one JSON line per match')
  .requiredOption('--inventory <file>', 'inventory file: .yaml/.yml, .csv or CycloneDX .json')
  .addOption(new Option('-f, --format <format>', 'inventory file format (default: from the extension, else the content)').choices([...INVENTORY_FORMATS]))
  .option('-c, --config <file>', 'take aliases, matching.keywords and the apply-by policy from this config')
  .argument('[advisories]', 'JSON lines file, or - for stdin (default)')
  .action(async (file: string | undefined, opts: MatchCommandOptions) => finish(await (await import('./commands/match.js')).matchCommand(file, opts)));

addInventoryCommands(program, finish);

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
