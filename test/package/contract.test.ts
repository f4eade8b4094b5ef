/**
 * The contract suite as a package user runs it (`wirefeed/contract`): here on
 * the in-memory store, through the public entry, with the site the suite
 * names for parsing its records.
 */
import { expect, test } from "vitest";
import { CONTRACT_SITE_CONFIG, listingsContract } from "../../src/package/contract.js";
import { parseSiteConfig } from "../../src/package/index.js";
import { TEST_SITE_CONFIG } from "../support/fixtures.js";
import { buildMemoryListings, CONTRACT_SITE } from "../storage/listings-builders.js";

test("the contract's site config is the one its builders parse records with", () => {
  expect(CONTRACT_SITE_CONFIG).toEqual(TEST_SITE_CONFIG);
  expect(parseSiteConfig(CONTRACT_SITE_CONFIG)).toEqual(CONTRACT_SITE);
});

listingsContract("memory, through wirefeed/contract", buildMemoryListings);
