// The browser suite: node run.mjs <base_url> <screenshot_dir>
//
// Runs against a sahifa server that has the demo articles and an admin whose name and
// password are in SAHIFA_TEST_USER and SAHIFA_TEST_PASSWORD. `cargo test` (tests/browser.rs)
// starts such a server and runs this; to run it by hand against your own server:
//
//   echo 'a long password' | cargo run -- create-admin rana && cargo run &
//   SAHIFA_TEST_USER=rana SAHIFA_TEST_PASSWORD='a long password' \
//     node tests/browser/run.mjs http://127.0.0.1:8080 /tmp/shots
//
// Exit status 0 when every test passed.

import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { editorTests } from './editor.mjs';
import { Suite, bounded, launchChromium } from './lib.mjs';
import { readerTests } from './reader.mjs';
import { validatorTests } from './validators.mjs';

const [baseUrl, screenshotDir] = process.argv.slice(2);
const username = process.env.SAHIFA_TEST_USER;
const password = process.env.SAHIFA_TEST_PASSWORD;
// A JPEG for the editor to upload (tests/browser.rs draws one).
const photo = process.env.SAHIFA_TEST_PHOTO;
if (!baseUrl || !screenshotDir || !username || !password || !photo) {
  console.error(
    'usage: SAHIFA_TEST_USER=... SAHIFA_TEST_PASSWORD=... SAHIFA_TEST_PHOTO=<jpeg> node run.mjs <base_url> <screenshot_dir>',
  );
  process.exit(2);
}
mkdirSync(screenshotDir, { recursive: true });
// Every step has its own time limit (15 s); this one catches anything else that hangs.
setTimeout(() => {
  console.error('browser suite: still running after 10 minutes, giving up');
  process.exit(1);
}, 10 * 60_000).unref();

const browser = await launchChromium();
console.log(`Chromium ${browser.version()} against ${baseUrl}`);
const env = {
  browser,
  baseUrl: baseUrl.replace(/\/$/, ''),
  screenshotDir: path.resolve(screenshotDir),
  username,
  password,
  photo,
  // What one test learns for the next ones (article ids, the editor's new article).
  shared: {},
};

const suite = new Suite();
readerTests(suite, env);
editorTests(suite, env);
validatorTests(suite, env);

let ok = false;
try {
  ok = await suite.run();
} finally {
  // Bounded like every close (see closeContext): the verdict is in already.
  await bounded(browser.close(), 'closing Chromium').catch((error) => console.log(`note: ${error.message}`));
}
process.exit(ok ? 0 : 1);
