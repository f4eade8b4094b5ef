/** Child process for the crash test: rewrites one record forever, alternating two versions, until killed. */
import { directoryStore } from "../../src/storage/fs-dir.js";
import { record } from "./fixtures.js";

const [dir] = process.argv.slice(2);
const store = directoryStore(dir!, "items");
const versions = ["A", "B"].map((v) => new TextEncoder().encode(record({ title: `Version ${v}`, published: "2022-01-01T00:00:00Z" }, v.repeat(900_000))));
let i = 0;
process.stdout.write("ready\n");
for (;;) await store.write("story.md", versions[i++ % 2]!);
