// What an editor does: sign in, write an article in Arabic with harakat, preview it,
// publish it, find it on the site, edit it, sign out.

import assert from 'node:assert/strict';
import path from 'node:path';

import { DESKTOP, PHONE, openContext, overflowReport, signIn, visit } from './lib.mjs';

const TITLE = 'افتتاح مَدْرَسَةٍ جَدِيدَةٍ فِي حِمْصَ';
const NEW_TITLE = 'افتتاح مَدْرَسَةٍ جَدِيدَةٍ فِي حِمْصَ الْيَوْمَ';
const FIRST_PARAGRAPH = 'مَدْرَسَةٌ جَدِيدَةٌ فِي حِمْصَ تَفْتَحُ أَبْوَابَهَا لِلطُّلَّابِ.';
const SECOND_PARAGRAPH = 'وَقَالَ الْمُدِيرُ إِنَّ الصُّفُوفَ سَتَبْدَأُ صَبَاحَ الْأَحَدِ.';
const SUMMARY = 'مَدْرَسَةٌ جَدِيدَةٌ تَسْتَقْبِلُ طُلَّابَهَا.';

const same = (a) => a.normalize('NFC').replace(/\r\n/g, '\n').trim();

export function editorTests(suite, env) {
  const { browser, baseUrl, shared, username, password } = env;

  suite.test('editor: sign in, write with harakat, preview, publish, find, edit, sign out', async () => {
    const { context, guard } = await openContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();

    // Sign in through the form.
    await signIn(page, username, password);
    assert.equal(await page.locator('h1').innerText(), 'الأخبار');

    // Write the article by typing, key by key.
    await Promise.all([
      page.waitForURL('**/admin/articles/new'),
      page.getByRole('link', { name: 'خبر جديد' }).click(),
    ]);
    await page.locator('#title').pressSequentially(TITLE);
    await page.locator('#summary').pressSequentially(SUMMARY);
    await page.locator('#body').pressSequentially(`${FIRST_PARAGRAPH}\n\n${SECOND_PARAGRAPH}`);
    assert.equal(same(await page.locator('#title').inputValue()), same(TITLE));

    // Preview: the article as readers will see it, nothing saved yet.
    const [previewResponse] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/preview')),
      page.getByRole('button', { name: 'معاينة' }).click(),
    ]);
    assert.equal(previewResponse.status(), 200);
    await page.waitForLoadState('load');
    shared.previewHtml = await previewResponse.text();
    await page.locator('.preview-bar').waitFor();
    assert.equal(same(await page.locator('h1').innerText()), same(TITLE));
    const previewBody = same(await page.locator('.article-body').innerText());
    assert.ok(previewBody.includes(same(FIRST_PARAGRAPH)), `preview shows the body: ${previewBody}`);
    assert.ok(previewBody.includes(same(SECOND_PARAGRAPH)));

    // Back to the form, with everything still typed in it.
    await Promise.all([
      page.waitForURL('**/admin/articles/resume'),
      page.getByRole('button', { name: 'العودة إلى التحرير' }).click(),
    ]);
    assert.equal(same(await page.locator('#title').inputValue()), same(TITLE));
    assert.equal(
      same(await page.locator('#body').inputValue()),
      same(`${FIRST_PARAGRAPH}\n\n${SECOND_PARAGRAPH}`),
    );

    // Publish.
    await page.getByRole('radio', { name: 'منشور' }).check();
    await Promise.all([
      page.waitForURL(/\/admin\/articles\/\d+\/edit\?saved=1$/),
      page.getByRole('button', { name: 'حفظ', exact: true }).click(),
    ]);
    const id = /\/admin\/articles\/(\d+)\/edit/.exec(page.url())[1];
    shared.createdId = id;
    await page.locator('.notice').waitFor();

    // On the home page.
    await visit(page, '/');
    const onHome = page.locator(`main a[href="/a/${id}"]`).first();
    assert.equal(same(await onHome.innerText()), same(TITLE), 'the new article is on the home page');

    // Through the search box in the header, typed without harakat.
    await page.locator('#search-q').fill('مدرسة');
    await Promise.all([page.waitForURL(/\/search\?q=/), page.locator('#search-q').press('Enter')]);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'مدرسة');
    const found = page.locator(`.search-results a[href="/a/${id}"]`);
    assert.equal(await found.count(), 1, 'search without harakat finds the article');
    assert.ok(same(await found.innerText()).replace(/\s+/g, ' ').includes('حِمْصَ'));

    // Edit: a new title, seen by readers.
    await visit(page, '/admin');
    await Promise.all([
      page.waitForURL(`**/admin/articles/${id}/edit`),
      page.locator(`a[href="/admin/articles/${id}/edit"]`).first().click(),
    ]);
    await page.locator('#title').fill(NEW_TITLE);
    await Promise.all([
      page.waitForURL(/\/edit\?saved=1$/),
      page.getByRole('button', { name: 'حفظ', exact: true }).click(),
    ]);
    await page.locator('.notice').waitFor();
    await visit(page, `/a/${id}`);
    assert.equal(same(await page.locator('h1').innerText()), same(NEW_TITLE), 'readers see the edit');

    // Sign out: the admin is closed again.
    await visit(page, '/admin');
    await Promise.all([
      page.waitForURL('**/admin/login'),
      page.getByRole('button', { name: 'تسجيل الخروج' }).click(),
    ]);
    await page.goto('/admin');
    assert.equal(new URL(page.url()).pathname, '/admin/login', 'signed out: /admin asks to sign in');
    guard.check();
    await context.close();
  });

  suite.test('newsroom at 360 px: nothing overflows; screenshots at 1280 px and 360 px', async () => {
    for (const [label, options] of [
      ['1280', DESKTOP],
      ['360', PHONE],
    ]) {
      const { context, guard } = await openContext(browser, baseUrl, options);
      const page = await context.newPage();
      const shoot = async (name) => {
        await page.evaluate(() => document.fonts.ready);
        if (label === '360') {
          const report = await overflowReport(page);
          assert.ok(report.scrollWidth <= report.width, `${name} fits 360 px: ${JSON.stringify(report)}`);
        }
        const file = path.join(env.screenshotDir, `admin-${name}-${label}.png`);
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      };
      await visit(page, '/admin/login');
      await shoot('login');
      await signIn(page, username, password);
      await shoot('list');
      await visit(page, '/admin/articles/new');
      await shoot('new');
      await visit(page, `/admin/articles/${shared.createdId ?? shared.articleIds[0]}/edit`);
      await shoot('edit');
      await visit(page, '/admin/sections');
      await shoot('sections');
      guard.check();
      await context.close();
    }
  });
}
