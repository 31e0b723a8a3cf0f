import { nedisVitestConfig } from "../../vitest.shared.js";

export default nedisVitestConfig();
