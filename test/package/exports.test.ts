/**
 * The package's public API: every name each entry point exports (values and
 * types), as an explicit list. A change to it is a change of the package's
 * contract with its users and shows up here. The repository's own entry
 * points (server, Workers) are held to that API too.
 */
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };

/** Each `exports` subpath, its source module, and its public names (sorted; types and values alike). */
const PUBLIC_API: Record<string, { source: string; names: string[] }> = {
  ".": {
    source: "src/package/index.ts",
    names: [
      "Article",
      "ArticleImage",
      "ArticleMeta",
      "Catalog",
      "ClientKey",
      "Compressor",
      "ConfigError",
      "Enclosure",
      "FeedOrder",
      "Listings",
      "Logger",
      "NamedScopeKind",
      "Person",
      "Politeness",
      "Publisher",
      "RawRecord",
      "RecordError",
      "SITE_SCOPE",
      "Scope",
      "ScopeKind",
      "ScopeStats",
      "SiteConfig",
      "SiteStats",
      "SiteStore",
      "Tombstone",
      "WirefeedApp",
      "WirefeedOptions",
      "buildCatalog",
      "compareLatestChangeFirst",
      "compareNewestFirst",
      "listPaths",
      "listWithdrawnPaths",
      "parseSiteConfig",
      "wirefeed",
    ],
  },
  "./node": {
    source: "src/package/node.ts",
    names: [
      "AccessEntry",
      "Bound",
      "ItemsStore",
      "ItemsStoreOptions",
      "NodeSiteOptions",
      "OpenServer",
      "ShutdownOptions",
      "accessLogEnabled",
      "batchedLines",
      "createNodeSite",
      "createNodeSqlSite",
      "followSocket",
      "formatAccess",
      "gracefulShutdown",
      "itemsStore",
      "listen",
      "loadSiteConfig",
      "nodeClientKey",
      "nodeCompressor",
      "openServer",
      "socketMismatch",
      "sqliteStore",
    ],
  },
  "./worker": {
    source: "src/package/worker.ts",
    names: ["WaitUntil", "WorkerData", "WorkerEnv", "WorkerStores", "bundleApp", "workerEntry", "workerSite"],
  },
  "./d1": {
    source: "src/package/d1.ts",
    names: ["D1DatabaseLike", "D1Store", "D1StoreOptions", "VersionedListings", "d1Store", "readDocument"],
  },
  "./contract": {
    source: "src/package/contract.ts",
    names: [
      "BuildListings",
      "CONTRACT_SITE_CONFIG",
      "ContractInput",
      "ContractRecord",
      "RecordStamp",
      "StampState",
      "contractRecords",
      "contractTombstones",
      "listingsContract",
      "listingsQuestions",
    ],
  },
};

/** The names a module exports, as the TypeScript checker sees them (types included). */
function exportedNames(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const file of files) {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    out.set(file, checker.getExportsOfModule(symbol).map((s) => s.name).sort());
  }
  return out;
}

describe("the package's export surface", () => {
  it("package.json exports exactly these entry points, each compiled to dist/ with its .d.ts", () => {
    expect(Object.keys(pkg.exports).filter((k) => k !== "./package.json")).toEqual(Object.keys(PUBLIC_API));
    for (const [subpath, { source }] of Object.entries(PUBLIC_API)) {
      const built = source.replace(/^src\//, "./dist/").replace(/\.ts$/, "");
      expect((pkg.exports as Record<string, unknown>)[subpath]).toEqual({ types: `${built}.d.ts`, default: `${built}.js` });
    }
    // Hono is the host's; vitest only for the contract suite.
    expect(pkg.peerDependencies).toEqual({ hono: "^4.13.0", vitest: "^4.0.0" });
    expect(pkg.peerDependenciesMeta).toEqual({ vitest: { optional: true } });
    expect(Object.keys(pkg.dependencies)).not.toContain("hono");
  });

  it("each entry point exports the listed names, no more, no fewer", () => {
    const sources = Object.values(PUBLIC_API).map((e) => e.source);
    const found = exportedNames(sources);
    for (const { source, names } of Object.values(PUBLIC_API)) expect({ source, names: found.get(source) }).toEqual({ source, names });
  });

  it("the runtime values of each entry point are the listed names that are not only types", async () => {
    for (const { source, names } of Object.values(PUBLIC_API)) {
      const module = (await import(`../../${source}`)) as Record<string, unknown>;
      const values = Object.keys(module).sort();
      expect(values.every((v) => names.includes(v))).toBe(true);
      expect(values).toContain(names.find((n) => /^[a-z]/.test(n)));
    }
  });

  it("`wirefeed` itself needs no Node: bundled for a neutral platform, nothing imports node:*", async () => {
    const bundle = await build({ entryPoints: ["src/package/index.ts"], bundle: true, platform: "neutral", format: "esm", mainFields: ["module", "main"], external: ["hono", "hono/*"], write: false, logLevel: "silent" });
    const text = bundle.outputFiles[0]!.text;
    expect(text).toContain("function wirefeed(");
    expect(text.match(/["']node:[a-z_/]+["']/g) ?? []).toEqual([]);
  });

  it("the repository's server and Workers import only the package's entry points", () => {
    for (const file of ["src/runtime/node.ts", "src/runtime/worker.ts", "src/runtime/worker-d1.ts"]) {
      const specifiers = [...readFileSync(file, "utf8").matchAll(/^import [^;]*? from "([^"]+)";/gms)].map((m) => m[1]!);
      expect(specifiers.length).toBeGreaterThan(0);
      // The package's entry modules, Node built-ins, and the build's generated data.
      const other = specifiers.filter((s) => !/^\.\.\/package\/[a-z0-9]+\.js$/.test(s) && !s.startsWith("node:") && !s.startsWith("../../.generated/"));
      expect({ file, other }).toEqual({ file, other: [] });
    }
  });
});
