/**
 * Replay speed and memory, measured against the usual shell one-liner on the same archive.
 *
 * Generates a 100-file x 2,000-record CloudTrail archive (200,000 records, a root call every
 * 997) under bench/out/, then times, alternating in one run:
 *   replay: node bin/root-monitor.js replay --format json DIR > /dev/null
 *           (what the `root-monitor` command runs once installed; `npx` adds npm's own start-up,
 *           reported separately)
 *   jq:     find DIR -name '*.json.gz' | sort | xargs zcat
 *             | jq -c '.Records[] | select(.userIdentity.type=="Root")' > /dev/null
 * and prints the medians and their ratio; the target is replay <= 1/4 of jq. Then it checks that
 * memory stays flat: replay's peak RSS over 100 files and over 300 files.
 *
 * usage: node --import tsx bench/replay.ts [REPETITIONS]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateArchive } from './generate-archive.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'bin', 'root-monitor.js');
const RECORDS_PER_FILE = 2000;
const TARGET_RATIO = 0.25;
const repetitions = Number(process.argv[2] ?? 5);

const shellQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/** Runs a shell command line; its wall time in ms, failing loudly if the command fails. */
const timed = (command: string): number => {
  const start = performance.now();
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`failed (${result.status}): ${command}\n${result.stderr.toString()}`);
  }
  return elapsed;
};

const output = (command: string): string => {
  const result = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`failed (${result.status}): ${command}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** The archive for FILES files, generated once and kept (bench/out/ is not committed). */
const archive = (files: number): string => {
  const directory = join(OUT, `archive-${files}x${RECORDS_PER_FILE}`);
  const complete = join(directory, '.complete');
  if (!existsSync(complete)) {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    process.stdout.write(
      `generating ${files} files x ${RECORDS_PER_FILE} records in ${directory}\n`,
    );
    generateArchive(directory, files, RECORDS_PER_FILE);
    writeFileSync(complete, '');
  }
  return directory;
};

const requireTools = (): void => {
  const missing = ['jq', 'zcat', 'find', 'sort', 'xargs'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (missing.length > 0) {
    process.stderr.write(`bench:replay needs ${missing.join(', ')} on PATH\n`);
    process.exit(2);
  }
};

const replayCommand = (directory: string, launcher = `node ${shellQuote(BIN)}`): string =>
  `${launcher} replay --format json ${shellQuote(directory)} > /dev/null`;

const jqCommand = (directory: string): string =>
  `find ${shellQuote(directory)} -name '*.json.gz' | sort | xargs zcat | jq -c '.Records[] | select(.userIdentity.type=="Root")' > /dev/null`;

/** Peak resident memory of one replay, in MiB, from GNU time when present, else from Node. */
const peakRssMiB = (directory: string): { mib: number; how: string } => {
  if (existsSync('/usr/bin/time')) {
    const text = output(`/usr/bin/time -f 'maxrss %M' ${replayCommand(directory)}`);
    const kib = Number(/maxrss (\d+)/.exec(text)?.[1]);
    if (Number.isFinite(kib)) return { mib: kib / 1024, how: '/usr/bin/time' };
  }
  // Without GNU time: the same command in a child Node process reporting its own peak.
  const script = `import('${BIN}').then(() => process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n')))`;
  const text = output(
    `node --input-type=module -e ${shellQuote(script)} root-monitor replay --format json ${shellQuote(directory)} > /dev/null`,
  );
  return { mib: Number(/maxrss (\d+)/.exec(text)?.[1]) / 1024, how: 'process.resourceUsage' };
};

requireTools();
const small = archive(100);
const large = archive(300);

// What both sides find must agree before their times mean anything.
const jqRoots = output(
  `find ${shellQuote(small)} -name '*.json.gz' | sort | xargs zcat | jq -c '.Records[] | select(.userIdentity.type=="Root")' | wc -l`,
).trim();
const summary = output(replayCommand(small)).trim();
process.stdout.write(`jq finds ${jqRoots} root records; replay says: ${summary}\n`);
if (!summary.includes(` ${jqRoots} root events`)) {
  process.stderr.write('replay and jq disagree on the number of root records\n');
  process.exit(1);
}

// One untimed run each warms the page cache and tsx's transform cache.
timed(replayCommand(small));
timed(jqCommand(small));

const replayTimes: number[] = [];
const jqTimes: number[] = [];
for (let i = 0; i < repetitions; i++) {
  replayTimes.push(timed(replayCommand(small)));
  jqTimes.push(timed(jqCommand(small)));
  process.stdout.write(
    `  run ${i + 1}/${repetitions}: replay ${seconds(replayTimes[i] as number)}, jq ${seconds(jqTimes[i] as number)}\n`,
  );
}
const npxTime = timed(replayCommand(small, 'npx --no-install root-monitor'));

const replayMedian = median(replayTimes);
const jqMedian = median(jqTimes);
const ratio = replayMedian / jqMedian;
process.stdout.write(
  [
    '',
    `archive: ${small} (100 files, 200,000 records)`,
    `replay (node bin/root-monitor.js, full catalog, default config): median ${seconds(replayMedian)}`,
    `zcat | jq:                                                        median ${seconds(jqMedian)}`,
    `ratio replay/jq: ${ratio.toFixed(3)} (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
    `(npx root-monitor, one run, including npm's start-up: ${seconds(npxTime)}, ratio ${(npxTime / jqMedian).toFixed(3)})`,
    '',
  ].join('\n'),
);

const rssSmall = peakRssMiB(small);
const rssLarge = peakRssMiB(large);
const growth = rssLarge.mib / rssSmall.mib;
process.stdout.write(
  [
    `peak RSS (${rssSmall.how}): 100 files ${rssSmall.mib.toFixed(0)} MiB, 300 files ${rssLarge.mib.toFixed(0)} MiB (x${growth.toFixed(2)} for 3x the data): ${growth <= 1.25 ? 'flat' : 'GROWS'}`,
    '',
  ].join('\n'),
);
