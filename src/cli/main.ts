/** The process entry of the `wirefeed` command: the only CLI file that touches `process`. */
import type { CliIo } from "./io.js";
import { run } from "./run.js";

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

const io: CliIo = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
  now: () => new Date(),
  env: process.env,
  readStdin,
};

// exitCode, not exit(): output still being written to a pipe is flushed first.
process.exitCode = await run(process.argv.slice(2), io);
