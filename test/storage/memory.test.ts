import { memoryStore } from "../../src/storage/memory.js";
import { writableStoreContract } from "./contract.js";

writableStoreContract("memoryStore", async (records) => memoryStore(records));
