// What a reader does: open articles, change the text size, reload, read on a phone.

import assert from 'node:assert/strict';
import path from 'node:path';

import {
  DESKTOP,
  closeContext,
  PHONE,
  articleIds,
  bounded,
  openContext,
  overflowReport,
  visit,
} from './lib.mjs';

const bodyFontSize = (page) =>
  page.locator('.article-body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
const htmlClass = (page) => page.evaluate(() => document.documentElement.className);
const shownViews = async (page) =>
  Number(await page.locator('[data-views]').getAttribute('data-views'));
const enlarge = (page) =>
  page.getByRole('group', { name: 'حجم الخط' }).locator('[data-font-step="up"]');
const reduce = (page) =>
  page.getByRole('group', { name: 'حجم الخط' }).locator('[data-font-step="down"]');

export function readerTests(suite, env) {
  const { browser, baseUrl, shared } = env;

  suite.test('reader: home lists the demo articles, an article page is right-to-left', async () => {
    const { context, guard } = await openContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();
    await visit(page, '/');
    const ids = await articleIds(page);
    assert.ok(ids.length >= 12, `home links the 12 demo articles (found ${ids.length})`);
    shared.articleIds = ids;

    await visit(page, `/a/${ids[0]}`);
    const directions = await page.evaluate(() => ({
      html: document.documentElement.dir,
      lang: document.documentElement.lang,
      body: getComputedStyle(document.body).direction,
      article: getComputedStyle(document.querySelector('.article-body')).direction,
    }));
    assert.deepEqual(directions, { html: 'rtl', lang: 'ar', body: 'rtl', article: 'rtl' });
    assert.ok((await page.locator('h1').innerText()).length > 0, 'the article has a headline');
    guard.check();
    await closeContext(context);
  });

  suite.test('reader: the view count shown rises by one per reload', async () => {
    const { context, guard } = await openContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();
    await visit(page, `/a/${shared.articleIds[1]}`);
    let views = await shownViews(page);
    assert.ok(views >= 1, 'the first visit is counted');
    for (let reload = 0; reload < 3; reload += 1) {
      await page.reload({ waitUntil: 'load' });
      const now = await shownViews(page);
      assert.equal(now, views + 1, `reload ${reload + 1} counts one view`);
      views = now;
    }
    // The words agree with the number (4 or more: "N مشاهدات" up to 10, "N مشاهدة" after).
    const words = views <= 10 ? 'مشاهدات' : 'مشاهدة';
    assert.equal(await page.locator('.views').innerText(), `${views} ${words}`);
    guard.check();
    await closeContext(context);
  });

  suite.test('reader: "enlarge" grows the text at once, survives a reload, applies elsewhere', async () => {
    const { context, guard } = await openContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();
    const [first, second] = [shared.articleIds[2], shared.articleIds[3]];
    await visit(page, `/a/${first}`);
    const before = await bodyFontSize(page);
    assert.match(await htmlClass(page), /\bfs-2\b/, 'default size');

    await enlarge(page).click();
    const after = await bodyFontSize(page);
    assert.ok(after > before, `body text grew at once (${before}px -> ${after}px)`);
    assert.match(await htmlClass(page), /\bfs-3\b/);
    assert.equal(new URL(page.url()).pathname, `/a/${first}`, 'no page load was needed');
    const cookie = (await context.cookies()).find((c) => c.name === 'font_size');
    assert.equal(cookie?.value, '3', 'the choice is kept in the cookie the server reads');

    await page.reload({ waitUntil: 'load' });
    assert.match(await htmlClass(page), /\bfs-3\b/, 'the server renders the chosen size');
    assert.equal(await bodyFontSize(page), after, 'same size after a reload');

    await visit(page, `/a/${second}`);
    assert.match(await htmlClass(page), /\bfs-3\b/, 'another article starts at the chosen size');
    assert.equal(await bodyFontSize(page), after);

    await reduce(page).click();
    assert.equal(await bodyFontSize(page), before, '"reduce" goes back to the default');
    guard.check();
    await closeContext(context);
  });

  suite.test('reader: without JavaScript the font-size links work through the server', async () => {
    const { context, guard } = await openContext(browser, baseUrl, {
      ...DESKTOP,
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await visit(page, `/a/${shared.articleIds[4]}`);
    const before = await bodyFontSize(page);
    await Promise.all([page.waitForURL(/\/a\/\d+$/), enlarge(page).click()]);
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).pathname, `/a/${shared.articleIds[4]}`, 'back on the article');
    assert.match(await htmlClass(page), /\bfs-3\b/);
    assert.ok((await bodyFontSize(page)) > before);
    guard.check();
    await closeContext(context);
  });

  suite.test('reader: at 360 px nothing overflows sideways (home, article, section, tag, search)', async () => {
    const { context, guard } = await openContext(browser, baseUrl, PHONE);
    const page = await context.newPage();
    const pages = [
      '/',
      `/a/${shared.articleIds[0]}`,
      '/section/politics',
      `/tag/${encodeURIComponent('حلب')}`,
      `/author/${encodeURIComponent('رامي-الحلبي')}`,
      `/search?q=${encodeURIComponent('حمص')}`,
      `/search?q=${encodeURIComponent('كلمة لا توجد في أي خبر')}`,
    ];
    const overflowing = [];
    for (const path of pages) {
      await visit(page, path);
      await bounded(page.evaluate(() => document.fonts.ready), 'fonts');
      const report = await overflowReport(page);
      if (report.scrollWidth > report.width) overflowing.push({ path, ...report });
    }
    assert.deepEqual(overflowing, [], 'every page fits a 360 px screen');
    guard.check();
    await closeContext(context);
  });

  suite.test('reader: the dark theme follows the device, the footer choice overrides it, no reload needed', async () => {
    const { context, guard } = await openContext(browser, baseUrl, { ...PHONE, colorScheme: 'dark' });
    const page = await context.newPage();
    const background = () =>
      page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await visit(page, `/a/${shared.articleIds[1]}`);
    assert.equal(await background(), 'rgb(18, 18, 18)', 'dark on a dark device');
    await bounded(page.evaluate(() => document.fonts.ready), 'fonts');
    await page.screenshot({ path: path.join(env.screenshotDir, 'article-360-dark.png'), animations: 'disabled' });
    const theme = page.getByRole('group', { name: 'المظهر' });
    await theme.getByRole('link', { name: 'فاتح' }).click();
    assert.equal(await background(), 'rgb(255, 255, 255)', 'light at once');
    assert.match(await htmlClass(page), /\btheme-light\b/);
    // Rendered light by the server from the first byte on the next page: no dark flash.
    const response = await visit(page, '/');
    assert.match(await response.text(), /<html[^>]+class="fs-\d theme-light"/);
    await theme.getByRole('link', { name: 'حسب الجهاز' }).click();
    assert.equal(await background(), 'rgb(18, 18, 18)', 'back to the device\'s');
    guard.check();
    await closeContext(context);
  });

  suite.test('reader: without JavaScript the theme links work through the server and count no view', async () => {
    const { context, guard } = await openContext(browser, baseUrl, { ...DESKTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    const article = `/a/${shared.articleIds[2]}`;
    await visit(page, article);
    const views = await shownViews(page);
    await Promise.all([
      page.waitForURL((url) => url.pathname === article),
      page.getByRole('group', { name: 'المظهر' }).getByRole('link', { name: 'داكن' }).click(),
    ]);
    await page.waitForLoadState('load');
    assert.match(await htmlClass(page), /\btheme-dark\b/);
    assert.equal(await shownViews(page), views, 'the reload after choosing is not a visit');
    assert.equal(await page.locator('.copy-link').isVisible(), false, 'no copy button without JavaScript');
    await bounded(page.evaluate(() => document.fonts.ready), 'fonts');
    await page.screenshot({ path: path.join(env.screenshotDir, 'article-1280-dark.png'), animations: 'disabled' });
    guard.check();
    await closeContext(context);
  });

  suite.test('reader: share links, "copy the link", and a printout with the story alone', async () => {
    const { context, guard } = await openContext(browser, baseUrl, PHONE);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    const id = shared.articleIds[3];
    await visit(page, `/a/${id}`);
    const share = page.getByRole('group', { name: 'مشاركة الخبر' });
    const hrefs = await share.locator('a').evaluateAll((links) => links.map((a) => a.href));
    const permalink = await page.locator('.permalink-url').innerText();
    assert.deepEqual(
      hrefs.map((href) => new URL(href).protocol + (new URL(href).host || '')),
      ['https:wa.me', 'https:t.me', 'https:www.facebook.com', 'https:x.com', 'mailto:'],
    );
    for (const href of hrefs) assert.ok(decodeURIComponent(href).includes(permalink), href);
    // The permalink stays on one line at 360 px.
    const lines = await page.locator('.permalink-url').evaluate((el) => el.getClientRects().length);
    assert.equal(lines, 1, 'the short link never breaks');
    await share.getByRole('button', { name: 'نسخ الرابط' }).click();
    await share.getByText('نُسخ الرابط').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), permalink);
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.site-header', '.site-footer', '.share', '.font-size', '.most-read', '.more']) {
      const shown = await page.locator(hidden).first().isVisible();
      assert.equal(shown, false, `${hidden} is not printed`);
    }
    assert.ok(await page.locator('h1').isVisible());
    assert.ok(await page.locator('.permalink').isVisible(), 'the permalink is printed');
    await page.screenshot({ path: path.join(env.screenshotDir, 'article-print.png'), fullPage: true, animations: 'disabled' });
    guard.check();
    await closeContext(context);
  });

  suite.test('screenshots: home and article at 1280 px and 360 px', async () => {
    for (const [label, options] of [
      ['1280', DESKTOP],
      ['360', PHONE],
    ]) {
      const { context, guard } = await openContext(browser, baseUrl, options);
      const page = await context.newPage();
      for (const [name, target] of [
        ['home', '/'],
        ['article', `/a/${shared.articleIds[0]}`],
      ]) {
        await visit(page, target);
        await bounded(page.evaluate(() => document.fonts.ready), 'fonts');
        const file = (suffix) => path.join(env.screenshotDir, `${name}-${label}${suffix}.png`);
        await page.screenshot({ path: file(''), animations: 'disabled' });
        await page.screenshot({ path: file('-full'), fullPage: true, animations: 'disabled' });
      }
      guard.check();
      await closeContext(context);
    }
    console.log(`     screenshots in ${env.screenshotDir}`);
  });
}
