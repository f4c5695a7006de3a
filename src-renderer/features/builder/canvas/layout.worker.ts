// Loaded in a worker, ELK's own script installs its message dispatcher on `self`; elk-api on the page
// (layout-engine.ts) speaks that protocol, so this import is the whole worker.
import 'elkjs/lib/elk-worker.min.js';
