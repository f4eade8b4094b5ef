/**
 * `wirefeed/contract`: the contract suite every Listings implementation
 * passes (the memory, SQLite and D1 stores here), to run on your own store
 * under vitest: `listingsContract("my store", build)`, where `build` loads
 * the given records, withdrawals and change stamps into your store (parse
 * them with `parseSiteConfig(CONTRACT_SITE_CONFIG)`) and returns its Listings.
 */
export {
  CONTRACT_SITE_CONFIG,
  contractRecords,
  contractTombstones,
  listingsContract,
  listingsQuestions,
  type BuildListings,
  type ContractInput,
  type ContractRecord,
} from "../contract/listings-contract.js";
export type { RecordStamp, StampState } from "../core/change-stamps.js";
