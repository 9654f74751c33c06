// Bundles the client into dist/, which the server serves as static files: one script per page, the
// AudioWorklet processor as its own module (worklets load by URL), and the HTML and CSS copied as they are.
import { cpSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const dist = here("./dist");

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: {
    setup: here("./src/setup.ts"),
    interview: here("./src/interview.ts"),
    report: here("./src/report.ts"),
    history: here("./src/history.ts"),
    observer: here("./src/observer.ts"),
    signin: here("./src/signin.ts"),
    "capture-processor": here("./src/worklets/capture-processor.ts"),
  },
  outdir: dist,
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: true,
  sourcemap: true,
  logLevel: "warning",
});
cpSync(here("./public"), dist, { recursive: true });
