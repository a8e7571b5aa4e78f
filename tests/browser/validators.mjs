// Standards on every page type: the Nu Html Checker on the HTML the server sent, axe-core
// (WCAG 2.1 A and AA) on the page as Chromium shows it, and feeds and sitemaps checked as
// XML and by a real feed parser.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DESKTOP, closeContext, indent, openContext, signIn, visit } from './lib.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const AXE = require.resolve('axe-core');
const VNU = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Every page type, loaded in `page`; returns the response whose HTML is checked. */
function pageTypes(shared) {
  const article = shared.createdId ?? shared.articleIds[0];
  // The editor's article with a lead picture and one in its body, when that test ran.
  const pictured = shared.picturedId;
  const withPictures = (label, path) => (pictured ? [[label, get(path)]] : []);
  const get = (path, status = 200) => async (page, guard) => {
    if (status >= 400) guard.allowErrorStatus(path);
    return visit(page, path, status);
  };
  return {
    anonymous: [
      ['home', get('/')],
      ['article', get(`/a/${article}`)],
      ['section', get('/section/politics')],
      ...withPictures('article with pictures', `/a/${pictured}`),
      ['tag page', get(`/tag/${encodeURIComponent('حلب')}`)],
      ['author page', get(`/author/${encodeURIComponent('رامي-الحلبي')}`)],
      ['about page', get('/about')],
      ['search results', get(`/search?q=${encodeURIComponent('مدرسة')}`)],
      ['search without results', get(`/search?q=${encodeURIComponent('لاشيءيطابقهذا')}`)],
      ['search without a query', get('/search')],
      ['404 page', get('/no-such-page', 404)],
      ['admin login', get('/admin/login')],
      [
        'admin login, wrong password',
        async (page, guard) => {
          await visit(page, '/admin/login');
          guard.allowErrorStatus('/admin/login');
          await page.locator('#username').fill('nobody');
          await page.locator('#password').fill('not the password');
          const [response] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.getByRole('button', { name: 'دخول' }).click(),
          ]);
          await page.waitForLoadState('load');
          await page.locator('.form-error').waitFor();
          return response;
        },
      ],
    ],
    signedIn: [
      ['admin list', get('/admin')],
      ['article form (new)', get('/admin/articles/new')],
      ['article form (edit)', get(`/admin/articles/${article}/edit`)],
      [
        'article form with errors',
        async (page, guard) => {
          await visit(page, '/admin/articles/new');
          guard.allowErrorStatus('/admin/articles');
          // The browser would refuse an empty title itself: let the server say it.
          await page.locator('#title').evaluate((el) => el.removeAttribute('required'));
          await page.locator('#body').fill('نص قصير.');
          const [response] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.getByRole('button', { name: 'حفظ', exact: true }).click(),
          ]);
          assert.equal(response.status(), 422);
          await page.waitForLoadState('load');
          await page.locator('.field-error').first().waitFor();
          return response;
        },
      ],
      [
        'article preview',
        async (page) => {
          await visit(page, `/admin/articles/${article}/edit`);
          const [response] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/admin/preview')),
            page.getByRole('button', { name: 'معاينة' }).click(),
          ]);
          assert.equal(response.status(), 200);
          await page.waitForLoadState('load');
          await page.locator('.preview-bar').waitFor();
          return response;
        },
      ],
      ...withPictures('article form with a lead picture', `/admin/articles/${pictured}/edit`),
      ['media library', get('/admin/media')],
      ['revisions', get(`/admin/articles/${article}/revisions`)],
      ['two revisions compared', get(`/admin/articles/${article}/revisions/compare`)],
      ['delete confirmation', get(`/admin/articles/${article}/delete`)],
      ['saved article preview', get(`/admin/articles/${article}/preview`)],
      ['sections admin', get('/admin/sections')],
      ['front page controls', get('/admin/front')],
      ['authors admin', get('/admin/authors')],
      ['site pages admin', get('/admin/pages')],
      ['audit log', get('/admin/audit')],
      ['users admin', get('/admin/users')],
      ['account (two-factor set-up)', get('/admin/account')],
    ],
  };
}

async function runAxe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  }, WCAG_TAGS);
}

function slug(name) {
  return name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

/** Runs the Nu Html Checker once over all files; returns { file: [messages] }. */
function nuHtmlChecker(files) {
  const run = spawnSync('java', ['-jar', VNU, '--format', 'json', '--stdout', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`vnu.jar printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  const byFile = Object.fromEntries(files.map((f) => [f, []]));
  for (const message of report.messages) {
    const file = message.url ? fileURLToPath(message.url) : '(none)';
    (byFile[file] ??= []).push(message);
  }
  return byFile;
}

const describeMessage = (m) =>
  `${m.type}${m.subType ? '/' + m.subType : ''} line ${m.lastLine ?? '?'}: ${m.message}` +
  (m.extract ? `\n  «${m.extract.replace(/\n/g, ' ').trim()}»` : '');

export function validatorTests(suite, env) {
  const { browser, baseUrl, shared, username, password } = env;
  // The pages and feeds as checked, kept beside the screenshots for a look after a failure.
  const workDir = path.join(env.screenshotDir, 'checked');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const checked = []; // { name, file }

  suite.test('axe-core: no WCAG 2.1 A/AA violations on any page type', async () => {
    const failures = [];
    // The reader's pages again in the dark theme (the device's choice): contrast holds there too.
    for (const [signedIn, colorScheme] of [[false, 'light'], [true, 'light'], [false, 'dark']]) {
      // axe is injected as a script: the site's CSP (rightly) forbids that, so bypass it here.
      const { context, guard } = await openContext(browser, baseUrl, {
        ...DESKTOP,
        colorScheme,
        bypassCSP: true,
      });
      const page = await context.newPage();
      if (signedIn) await signIn(page, username, password);
      const types = pageTypes(shared)[signedIn ? 'signedIn' : 'anonymous'].filter(
        ([name]) => colorScheme === 'light' || !name.startsWith('admin'),
      );
      for (const [typeName, load] of types) {
        const name = colorScheme === 'dark' ? `${typeName} (dark)` : typeName;
        const response = await load(page, guard);
        const file = path.join(workDir, `${String(checked.length + 1).padStart(2, '0')}-${slug(name)}.html`);
        writeFileSync(file, await response.text());
        checked.push({ name, file, url: page.url() });
        const violations = await runAxe(page);
        if (violations.length > 0) {
          failures.push(
            `${name} (${page.url()}):\n` +
              violations
                .map((v) => `  ${v.id} [${v.impact}] ${v.help}\n${indent(v.nodes.join('\n'), '    ')}`)
                .join('\n'),
          );
        }
      }
      guard.check();
      await closeContext(context);
    }
    console.log(`     axe-core checked ${checked.length} pages (${WCAG_TAGS.join(', ')})`);
    assert.equal(failures.length, 0, `axe-core violations:\n${failures.join('\n')}`);
  });

  suite.test('Nu Html Checker: no errors on any page type', async () => {
    assert.ok(checked.length >= 10, 'the axe run saved every page');
    const byFile = nuHtmlChecker(checked.map((c) => c.file));
    const errors = [];
    const warnings = [];
    for (const { name, file } of checked) {
      for (const message of byFile[file] ?? []) {
        const line = `${name}: ${describeMessage(message)}`;
        if (message.type === 'info') warnings.push(line);
        else errors.push(line);
      }
    }
    const strays = Object.keys(byFile).filter((f) => !checked.some((c) => c.file === f));
    for (const file of strays) errors.push(...byFile[file].map((m) => `${file}: ${describeMessage(m)}`));
    console.log(`     vnu checked ${checked.length} pages: ${errors.length} errors, ${warnings.length} warnings`);
    if (warnings.length) console.log(indent(warnings.join('\n')));
    assert.equal(errors.length, 0, `Nu Html Checker errors:\n${errors.join('\n')}`);
  });

  suite.test('feeds and sitemaps: well-formed XML; the RSS feeds pass feedparser', async () => {
    const { context, guard } = await openContext(browser, baseUrl, DESKTOP);
    const fetched = [];
    const fetchXml = async (kind, urlPath) => {
      const response = await context.request.get(urlPath);
      if (response.status() === 404) return null;
      assert.equal(response.status(), 200, `status of ${urlPath}`);
      const file = path.join(workDir, `${kind}-${slug(urlPath)}.xml`);
      const body = await response.body();
      writeFileSync(file, body);
      fetched.push({ kind, urlPath, file, type: response.headers()['content-type'] });
      return body.toString('utf8');
    };
    await fetchXml('rss', '/feed.xml');
    await fetchXml('rss', '/section/politics/feed.xml');
    const sitemap = await fetchXml('sitemap', '/sitemap.xml');
    await fetchXml('sitemap', '/news-sitemap.xml');
    // A sitemap index names the numbered sitemaps: check those too.
    if (sitemap?.includes('<sitemapindex')) {
      for (const [, loc] of sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)) {
        const url = new URL(loc);
        assert.equal(url.origin, new URL(baseUrl).origin, `sitemap entries stay on the site: ${loc}`);
        await fetchXml('sitemap', url.pathname);
      }
    }
    if (fetched.length === 0) {
      console.log('     no feeds or sitemaps on this server yet: skipped');
      return;
    }
    for (const { urlPath, type } of fetched) {
      assert.match(type ?? '', /xml/, `${urlPath} is served as XML (${type})`);
    }
    const args = [path.join(here, 'check_feeds.py'), '--base', baseUrl];
    for (const { kind, file } of fetched) args.push(`--${kind}`, file);
    const run = spawnSync('python3', args, { encoding: 'utf8' });
    if (run.error) throw run.error;
    console.log(indent(run.stdout.trim()));
    assert.equal(run.status, 0, `feed check failed:\n${run.stdout}\n${run.stderr}`);
    guard.check();
    await closeContext(context);
  });
}
