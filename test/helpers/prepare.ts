/** tap `before` script: builds the demo database template once for the whole run. */
import { prepareTemplates, testEngine } from './databases.js';

const started = Date.now();
await prepareTemplates();
console.log(`# test database template (${testEngine}) ready in ${Date.now() - started} ms`);
