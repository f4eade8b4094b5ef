/**
 * The publisher's real entry point (src/runtime/node.ts: same environment,
 * same start-up, same server), started under this file's name. Sessions
 * sharing a machine stop their own servers by name (`pkill -f
 * src/runtime/node.ts`); twice that stopped the benchmark's publishers in
 * the middle of a run.
 */
import "../../src/runtime/node.js";
