import { main } from '../../src/cli/main';
import { serialToJsDate } from '../../src/engine/parse';

/** What a CLI run printed, line by line, and its exit code. */
export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** Runs `segmentkit` in-process with these arguments, capturing stdout and stderr by line. */
export async function runCli(args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

/** An Excel serial day as ISO text, 2024-09-01: how a test writes dates into a CSV log. */
export function isoDay(serial: number): string {
  return serialToJsDate(serial).toISOString().slice(0, 10);
}
