/** The Listings contract lives in src/contract/ (public as `wirefeed/contract`); the stores' tests import it from here. */
export * from "../../src/contract/listings-contract.js";
