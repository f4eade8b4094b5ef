/** The bundle store inside workerd, where the Worker uses it (its Node run is in test/storage/bundle.test.ts). */
import { bundleStore } from "../../src/storage/bundle.js";
import { recordStoreContract } from "../storage/contract.js";

recordStoreContract("bundleStore (workerd)", async (records) => bundleStore(records));
