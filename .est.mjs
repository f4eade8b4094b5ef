import { build } from "esbuild";
import { gzipSync } from "node:zlib";
const r = await build({ entryPoints: ["src/runtime/worker-d1.ts"], bundle: true, write: false, format: "esm", platform: "neutral", mainFields: ["browser","module","main"], conditions: ["workerd","worker","browser"], minify: true, metafile: true, alias: { sax: "./src/runtime/no-xml-parser.ts" }, external: ["cloudflare:*", "node:*"], logLevel: "silent" });
const out = r.outputFiles[0].contents;
console.log("total", out.length, gzipSync(out).length);
const ins = r.metafile.outputs[Object.keys(r.metafile.outputs)[0]].inputs;
const pick = process.argv[2] ? new RegExp(process.argv[2]) : /./;
let sum = 0;
for (const [k,v] of Object.entries(ins).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput)) if (pick.test(k)) { sum += v.bytesInOutput; if (v.bytesInOutput > 300) console.log(v.bytesInOutput, k); }
console.log("sum", sum);
