/**
 * The vllm-guard command line: the only place argv is parsed. Exit 0 ok, 1 denied, 2 usage or input error.
 * Output goes through CliIo so tests run commands in-process and read what a terminal would show.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { Engine } from '../engine/api.js';
import type { Mode } from '../engine/api.js';
import { AppError, describeError } from '../errors.js';
import type { AuditOptions } from './audit.js';
import { addLimitOptions, parseLimitOptions, type LimitFlags } from './serve-flags.js';
import { CHECK_OUTPUTS, runCheckCommand, type CheckCommandOptions } from './check-command.js';
import { FAIL_ON_CHOICES } from './gate.js';
import { REPORT_FORMATS } from '../audit/report-format.js';
import { limitHeapGrowth, SERVE_HEAP_GROWING_PERCENT } from './heap-growth.js';
import { loadCliEngine } from './catalogue.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface EngineOptions {
  config?: string;
  policies?: string;
  mode?: Mode;
}

/** check, audit, policies and explain: the built-ins plus each --policies DIR (catalogue.ts). */
interface CatalogueCliOptions {
  config?: string;
  policies?: string[];
  builtinPolicies?: boolean;
  mode?: Mode;
}

function loadEngine(options: CatalogueCliOptions, stderr: (text: string) => void): Engine {
  const sources = { configFile: options.config ?? null, dirs: options.policies ?? [], builtin: options.builtinPolicies !== false };
  return loadCliEngine({ ...sources, ...(options.mode ? { mode: options.mode } : {}) }, stderr).engine;
}

const modeOption = () => new Option('--mode <mode>', 'global mode: enforce, warn (deny becomes warn) or audit').choices(['enforce', 'warn', 'audit']);
const engineOptions = (cmd: Command): Command =>
  cmd
    .option('--config <file>', 'config file (YAML or JSON): overrides, namespaces, waivers')
    .option('--policies <dir>', 'policy directory (default: the bundled policies)')
    .addOption(modeOption());
const collect = (value: string, previous: string[]): string[] => [...previous, value];
const catalogueOptions = (cmd: Command): Command =>
  cmd
    .option('--config <file>', 'config file (YAML or JSON): overrides, namespaces, waivers')
    .option('--policies <dir>', 'add the policies in DIR to the built-in ones (repeatable; a policy with a built-in id replaces it)', collect, [])
    .option('--no-builtin-policies', 'use only the --policies directories, not the built-in policies')
    .addOption(modeOption());

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads stdin; may stop after maxBytes + 1 bytes (check refuses more than maxBytes). */
  readStdin: (maxBytes: number) => string | Promise<string>;
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  /** NO_COLOR and friends, decided by the caller. */
  colorAllowed: boolean;
  /** Terminal width of stdout, when it is a terminal (table lines wrap to it). */
  columns?: number;
  /** The environment (PATH finds kubectl); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Resolves once stdout has taken what was written (a pipe to a slow reader queues it in memory):
   * the audit's large JSON report waits on it between chunks. Absent: never waited on.
   */
  stdoutDrained?: () => Promise<void>;
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const write = io.stdout;
  const program = new Command('vllm-guard')
    .description('Readiness policies for vLLM on Kubernetes: admission webhook, CI check and cluster audit')
    .version(VERSION)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run vllm-guard --help for usage)')
    .exitOverride();

  catalogueOptions(
    program
      .command('check')
      .description('check manifests (files, directories, kustomizations, or - for stdin) before they reach a cluster')
      .argument('<paths...>', 'YAML or JSON files, directories (recursive; kustomizations rendered with kubectl kustomize), or - for stdin')
      .addOption(new Option('-o, --output <format>', 'output format').choices(CHECK_OUTPUTS).default('table'))
      .addOption(new Option('--fail-on <action>', 'exit 1 when a finding at this action or stricter remains').choices(FAIL_ON_CHOICES).default('deny'))
      .option('-q, --quiet', 'table: show only the findings that fail the build, then the summary')
      .option('--html <file>', 'also write the readiness scorecard page (the same page as audit --html)')
      .option('--baseline <file>', 'compare the page with a previous run (its -o json output)')
      .option('--team-label <label>', 'label naming the owner team on the page (falls back to the namespace)', 'team'),
  ).action(async (paths: string[], options: CatalogueCliOptions & CheckCommandOptions) => {
    const engine = loadEngine(options, io.stderr);
    const { exitCode } = await runCheckCommand(paths, engine, options, {
      stdout: write,
      stderr: io.stderr,
      readStdin: io.readStdin,
      color: io.stdoutIsTty && io.colorAllowed,
      ...(io.stdoutIsTty && io.columns ? { columns: io.columns } : {}),
      pathVariable: (io.env ?? process.env).PATH,
      version: VERSION,
    });
    setExitCode(exitCode);
  });

  catalogueOptions(
    program
      .command('audit')
      .description('audit the vLLM workloads already running in a cluster: report, HTML scorecard, PolicyReports')
      .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account)')
      .option('--context <name>', 'kubeconfig context to use')
      .option('-n, --namespace <namespace>', 'audit one namespace (default: all namespaces)')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'sarif', 'junit']).default('table'))
      .option('--html <file>', 'write the readiness scorecard as one self-contained HTML page')
      .option('--write-reports', 'create or update one report per namespace (see --report-format)')
      .addOption(
        new Option('--report-format <format>', 'policyreport: wgpolicyk8s.io/v1alpha2 PolicyReport; openreports: openreports.io/v1alpha1 Report')
          .choices(REPORT_FORMATS)
          .default('policyreport'),
      )
      .option('--team-label <label>', 'label naming the owner team (falls back to the namespace)', 'team'),
  ).action(async (options: AuditOptions) => {
    // A batch run with a small live heap: V8 collects before the old generation grows far past it.
    // Set before the audit's modules load, so that the limits computed from the first full GCs use it.
    limitHeapGrowth();
    // Loaded on use: the Kubernetes client takes a second to import, which check and serve need not pay.
    const { runAudit } = await import('./audit.js');
    setExitCode(
      await runAudit(options, {
        stdout: write,
        ...(io.stdoutDrained ? { stdoutDrained: io.stdoutDrained } : {}),
        stderr: io.stderr,
        stderrIsTty: io.stderrIsTty,
        color: io.stdoutIsTty && io.colorAllowed,
        version: VERSION,
      }),
    );
  });

  catalogueOptions(
    program
      .command('fix')
      .description('apply the fixes vllm-guard knows to YAML files in place (comments and formatting kept), then check again')
      .argument('<paths...>', 'YAML files or directories (recursive); Kustomize and Helm sources are left untouched')
      .option('--dry-run', 'print a unified diff and write nothing')
      .option('--policy <id>', "only this policy's fixes (repeatable)", (id: string, ids: string[] = []) => [...ids, id])
      .option('--accept', 'also apply fixes that need a human choice (a Secret name), with their placeholder'),
  ).action(async (paths: string[], options: CatalogueCliOptions & { dryRun?: boolean; policy?: string[]; accept?: boolean }) => {
    const engine = loadEngine(options, io.stderr);
    const { runFix } = await import('./fix.js');
    setExitCode(await runFix(engine, paths, { dryRun: options.dryRun === true, policies: options.policy ?? [], accept: options.accept === true }, io));
  });

  catalogueOptions(
    program
      .command('policies')
      .description('list the policies: the actions of their rules, waivable or not, severity, owner, checklist item')
      .argument('[filter]', 'show only the policies whose id contains this'),
  ).action(async (filter: string | undefined, options: CatalogueCliOptions) => {
    const engine = loadEngine(options, io.stderr);
    // Loaded on use, as the renderers of check are (check-command.ts).
    const { filterPolicies, renderPolicyList } = await import('./policies.js');
    write(renderPolicyList(engine.policies, engine.config, filterPolicies(engine.policies, filter)));
  });

  catalogueOptions(program.command('explain').description("print a policy's purpose, rules, fix and example").argument('<id>', 'policy id')).action(
    async (id: string, options: CatalogueCliOptions) => {
      const engine = loadEngine(options, io.stderr);
      const { renderExplain } = await import('./policies.js');
      write(renderExplain(engine.policies, engine.config, id));
    },
  );

  engineOptions(
    addLimitOptions(program
      .command('serve')
      .description('serve the validating admission webhook over HTTPS')
      .option('--port <port>', 'HTTPS port', '8443')
      .option('--metrics-port <port>', 'plain-HTTP metrics port', '9090')
      .option('--host <host>', 'address to bind')
      .option('--tls-cert <file>', 'serving certificate (PEM); without it a development certificate is made in certs/dev/')
      .option('--tls-key <file>', 'private key (PEM)')
      .option('--client-ca <file>', 'require client certificates signed by this CA (the API server)')
      .option('--audit-interval <seconds>', 'audit the running workloads every N seconds (one replica at a time, via a Lease); 0 = off')
      .option('--lookups', 'resolve Services, autoscalers, PDBs, … at admission from a watch-backed cache (needs the lookups RBAC)')),
  ).action(async (options: EngineOptions & LimitFlags & { port: string; metricsPort: string; host?: string; tlsCert?: string; tlsKey?: string; clientCa?: string; auditInterval?: string; lookups?: boolean }) => {
    const { auditInterval, ...rest } = options;
    // A long-running server with a small live heap: bound the garbage V8 keeps in the old generation.
    limitHeapGrowth(SERVE_HEAP_GROWING_PERCENT);
    // Loaded on use: check, policies and explain import none of fastify, pino, the Kubernetes client or x509.
    const { runServe } = await import('./serve.js');
    await runServe({
      ...rest,
      limits: parseLimitOptions(options),
      port: parsePort(options.port, '--port'),
      metricsPort: parsePort(options.metricsPort, '--metrics-port'),
      ...(auditInterval !== undefined ? { auditInterval: parseSeconds(auditInterval, '--audit-interval') } : {}),
    });
  });
  return program;
}

function parseSeconds(value: string, flag: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) throw new AppError('ERR_USAGE', `${flag} must be a whole number of seconds, got ${value}`);
  return seconds;
}

function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('ERR_USAGE', `${flag} must be a port number, got ${value}`);
  return port;
}

/** Runs one command line (argv as process.argv: node, script, args…) and returns its exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  try {
    await buildProgram(io, (code) => (exitCode = code)).parseAsync(argv);
    return exitCode;
  } catch (err: unknown) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    // Expected failures (bad config, bad policy, bad input) print one line; anything else is a bug, still one line.
    const prefix = err instanceof AppError ? 'error' : 'internal error';
    io.stderr(`vllm-guard: ${prefix}: ${describeError(err)}\n`);
    return 2;
  }
}
