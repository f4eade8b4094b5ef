import { afterAll, expect, test } from "vitest";
import { buildMemoryListings, buildSqlListings, closeDatabases } from "./listings-builders.js";
import { contractRecords, contractTombstones, listingsContract, listingsQuestions } from "./listings-contract.js";

afterAll(closeDatabases);

listingsContract("memory", buildMemoryListings);
listingsContract("SQL (libsql)", buildSqlListings);

test("SQL answers every contract question exactly as the in-memory listings do, for the same records", async () => {
  const input = { records: contractRecords(), tombstones: contractTombstones() };
  const memory = await listingsQuestions(await buildMemoryListings(input));
  const sql = await listingsQuestions(await buildSqlListings(input));
  expect(Object.keys(sql)).toEqual(Object.keys(memory));
  for (const key of Object.keys(memory)) expect(sql[key], key).toEqual(memory[key]);
  expect(Object.keys(memory).length).toBeGreaterThan(100);
});
