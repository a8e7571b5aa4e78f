// What an editor does: sign in, write an article in Arabic with harakat, preview it,
// publish it, find it on the site, edit it, sign out.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DESKTOP, closeContext, PHONE, bounded, openContext, overflowReport, signIn, step, visit } from './lib.mjs';

const TITLE = 'افتتاح مَدْرَسَةٍ جَدِيدَةٍ فِي حِمْصَ';
const NEW_TITLE = 'افتتاح مَدْرَسَةٍ جَدِيدَةٍ فِي حِمْصَ الْيَوْمَ';
const FIRST_PARAGRAPH = 'مَدْرَسَةٌ جَدِيدَةٌ فِي حِمْصَ تَفْتَحُ أَبْوَابَهَا لِلطُّلَّابِ.';
const SECOND_PARAGRAPH = 'وَقَالَ الْمُدِيرُ إِنَّ الصُّفُوفَ سَتَبْدَأُ صَبَاحَ الْأَحَدِ.';
const SUMMARY = 'مَدْرَسَةٌ جَدِيدَةٌ تَسْتَقْبِلُ طُلَّابَهَا.';

const AUTOSAVE_TITLE = 'خبر كُتب ثم أُغلقت نافذته قبل الحفظ';
const AUTOSAVE_BODY = 'فقرة لم يضغط كاتبها «حفظ» قط.\n\nوفقرة ثانية كذلك.';
const PICTURE_TITLE = 'شروق الشمس فوق التلال بعد أيام من المطر';
const PICTURE_PARAGRAPH = 'صورة التقطها مصور الصحيفة صباح اليوم من أعلى التل.';
const PICTURE_ALT = 'شمس تشرق فوق تلال خضراء تحت سماء صافية';
const PICTURE_CAPTION = 'الشروق كما بدا من أعلى التل';
const PICTURE_CREDIT = 'مصور الصحيفة';


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
    await closeContext(context);
  });

  suite.test('editor uploads a photo with the article form, places it in the body; readers see both at 360 px and 1280 px', async () => {
    const { context, guard } = await openContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();
    step('sign in');
    await signIn(page, username, password);
    await visit(page, '/admin/articles/new');
    // Our own 1600×1000 landscape, drawn by the Rust side of the suite.
    const photo = readFileSync(env.photo);
    step('fill the form');
    await page.locator('#title').fill(PICTURE_TITLE);
    await page.locator('#body').fill(PICTURE_PARAGRAPH);

    // Choosing the file shows it at once, before anything is sent.
    step('choose the file');
    await page.locator('#lead_file').setInputFiles({ name: 'sunrise.jpg', mimeType: 'image/jpeg', buffer: photo });
    const preview = page.locator('#lead-file-preview img');
    await preview.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('#lead-file-preview img').complete);
    assert.equal(await preview.evaluate((img) => img.naturalWidth), 1600, 'the preview shows the chosen photo');
    step('describe the picture');
    await page.locator('#lead_alt').fill(PICTURE_ALT);
    await page.locator('#lead_caption').fill(PICTURE_CAPTION);
    await page.locator('#lead_credit').fill(PICTURE_CREDIT);
    await page.getByRole('radio', { name: 'منشور' }).check();
    step('save with the upload');
    await Promise.all([
      page.waitForURL(/\/admin\/articles\/\d+\/edit\?saved=1$/),
      page.getByRole('button', { name: 'حفظ', exact: true }).click(),
    ]);
    const id = /\/admin\/articles\/(\d+)\/edit/.exec(page.url())[1];
    shared.picturedId = id;
    const current = page.locator('.current-lead img');
    assert.equal(await current.getAttribute('alt'), PICTURE_ALT, 'the form shows the lead picture it saved');
    const pictureId = await page.locator('#lead_picture').inputValue();
    assert.match(pictureId, /^\d+$/);

    // The same picture placed in the body with the library's button, at the cursor.
    step('insert from the library');
    await page.locator('.form-library summary').click();
    await page.locator('#body').evaluate((body) => body.setSelectionRange(body.value.length, body.value.length));
    await page.locator(`[data-insert-picture="${pictureId}"]`).click();
    assert.ok((await page.locator('#body').inputValue()).endsWith(`\n\n[صورة:${pictureId}]`), 'the picture line is inserted');
    step('save again');
    await Promise.all([
      page.waitForURL(/\/edit\?saved=1$/),
      page.getByRole('button', { name: 'حفظ', exact: true }).click(),
    ]);
    guard.check();
    step('close the newsroom');
    await closeContext(context);

    for (const [label, options] of [
      ['1280', DESKTOP],
      ['360', PHONE],
    ]) {
      step(`read at ${label}`);
      const reader = await openContext(browser, baseUrl, options);
      const article = await reader.context.newPage();
      await visit(article, `/a/${id}`);
      const lead = article.locator('figure.lead-picture picture img');
      await lead.waitFor();
      await article.waitForFunction(() => {
        const img = document.querySelector('figure.lead-picture picture img');
        return img && img.complete && img.naturalWidth > 0;
      });
      assert.equal(await lead.getAttribute('alt'), PICTURE_ALT);
      const source = await lead.evaluate((img) => img.currentSrc);
      assert.match(source, /\/media\/[0-9a-f]+\/\d+\.webp$/, `a WebP variant is chosen: ${source}`);
      const shown = await lead.evaluate((img) => img.getBoundingClientRect().width);
      assert.ok(shown > 0 && shown <= options.viewport.width, `fits the screen: ${shown}`);
      const caption = same(await article.locator('figure.lead-picture figcaption').innerText());
      assert.ok(caption.includes(PICTURE_CAPTION) && caption.includes(PICTURE_CREDIT), caption);
      assert.equal(await article.locator('.article-body figure.body-picture img').getAttribute('alt'), PICTURE_ALT);
      if (label === '360') {
        const report = await overflowReport(article);
        assert.ok(report.scrollWidth <= report.width, `fits 360 px: ${JSON.stringify(report)}`);
      }
      step(`screenshot at ${label}`);
      await bounded(article.evaluate(() => document.fonts.ready), 'fonts');
      await article.screenshot({
        path: path.join(env.screenshotDir, `article-uploaded-picture-${label}.png`),
        animations: 'disabled',
      });
      reader.guard.check();
      await closeContext(reader.context);
    }
  });

  suite.test('editor: the toolbar writes Markdown at the cursor; the cheat-sheet explains it', async () => {
    const { context, guard } = await openContext(browser, baseUrl, PHONE);
    const page = await context.newPage();
    await signIn(page, username, password);
    await visit(page, '/admin/articles/new');
    const body = page.locator('#body');
    await body.fill('افتتح الجسر صباح اليوم');
    // Select "الجسر" and make it bold.
    await body.evaluate((el) => {
      const start = el.value.indexOf('الجسر');
      el.setSelectionRange(start, start + 'الجسر'.length);
    });
    const toolbar = page.getByRole('toolbar', { name: 'تنسيق النص' });
    await toolbar.getByRole('button', { name: 'عريض' }).click();
    assert.equal(await body.inputValue(), 'افتتح **الجسر** صباح اليوم');
    await toolbar.getByRole('button', { name: 'عنوان' }).click();
    assert.equal(await body.inputValue(), '## افتتح **الجسر** صباح اليوم', 'the line becomes a heading');
    await body.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
    await body.press('Enter');
    await body.press('Enter');
    await toolbar.getByRole('button', { name: 'رابط' }).click();
    await page.keyboard.type('example.org');
    assert.ok((await body.inputValue()).endsWith('\n\n[نص الرابط](https://example.org)'), JSON.stringify(await body.inputValue()));
    // Each line keeps its own direction in the textarea.
    assert.equal(await body.evaluate((el) => getComputedStyle(el).unicodeBidi), 'plaintext');
    // Without JavaScript the cheat-sheet says the same in words.
    await page.locator('.markdown-help summary').click();
    assert.ok((await page.locator('.markdown-help').innerText()).includes('**كلمة بارزة**'));
    const report = await overflowReport(page);
    assert.ok(report.scrollWidth <= report.width, `fits 360 px: ${JSON.stringify(report)}`);
    await bounded(page.evaluate(() => document.fonts.ready), 'fonts');
    await page.screenshot({ path: path.join(env.screenshotDir, 'admin-toolbar-360.png'), fullPage: true });
    guard.check();
    await closeContext(context);
  });

  suite.test('editor: an article never saved comes back after its tab is closed (autosave)', async () => {
    const { context, guard } = await openContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();
    await signIn(page, username, password);
    await visit(page, '/admin/articles/new');
    await page.locator('#title').fill(AUTOSAVE_TITLE);
    await page.locator('#body').fill(AUTOSAVE_BODY);
    // Closing the tab: the page hands its form to the server on the way out.
    await page.close({ runBeforeUnload: true });

    const again = await context.newPage();
    let offered = false;
    for (let attempt = 0; attempt < 20 && !offered; attempt++) {
      await visit(again, '/admin/articles/new');
      offered = (await again.locator('.autosave-offer').count()) === 1;
      if (!offered) await again.waitForTimeout(250);
    }
    assert.ok(offered, 'reopening the form offers the autosaved copy');
    await Promise.all([
      again.waitForURL('**/admin/articles/new?autosave=1'),
      again.locator('.autosave-offer a').click(),
    ]);
    assert.equal(same(await again.locator('#title').inputValue()), same(AUTOSAVE_TITLE));
    assert.equal(same(await again.locator('#body').inputValue()), same(AUTOSAVE_BODY));
    // Nothing reached readers.
    const home = await (await again.request.get('/')).text();
    assert.ok(!home.includes(AUTOSAVE_TITLE), 'an autosave never publishes');
    guard.check();
    await closeContext(context);
  });

  suite.test('editor shapes the front page at 360 px: pins a lead, features two stories, raises «عاجل»', async () => {
    const { context, guard } = await openContext(browser, baseUrl, PHONE);
    const page = await context.newPage();
    await signIn(page, username, password);
    await visit(page, '/admin/front');
    const [lead, first, second] = [shared.articleIds[5], shared.articleIds[1], shared.articleIds[2]];
    await page.locator('#lead-article').selectOption(String(lead));
    await Promise.all([page.waitForURL(/\/admin\/front\?done=1/), page.getByRole('button', { name: 'ثبّت خبرًا رئيسيًا' }).click()]);
    await page.locator('#featured-0').selectOption(String(first));
    await page.locator('#featured-1').selectOption(String(second));
    await Promise.all([page.waitForURL(/done=1/), page.getByRole('button', { name: 'احفظ المختارات' }).click()]);
    await page.locator('#breaking-text').fill('انقطاع الكهرباء عن أحياء في المدينة لساعات');
    await page.locator('#breaking-link').fill(`/a/${first}`);
    await Promise.all([page.waitForURL(/done=1/), page.getByRole('button', { name: 'اعرض الشريط' }).click()]);
    const report = await overflowReport(page);
    assert.ok(report.scrollWidth <= report.width, `the controls fit 360 px: ${JSON.stringify(report)}`);
    await page.screenshot({ path: path.join(env.screenshotDir, 'admin-front-360.png'), fullPage: true, animations: 'disabled' });
    // A reader sees it at once.
    await visit(page, '/');
    assert.match(await page.locator('#lead-title a').getAttribute('href'), new RegExp(`/a/${lead}$`));
    assert.equal(await page.locator('.featured li').count(), 2);
    const bar = page.getByRole('region', { name: 'خبر عاجل' });
    assert.match(await bar.innerText(), /عاجل\s*انقطاع الكهرباء/);
    await bounded(page.evaluate(() => document.fonts.ready), 'fonts');
    const home = await overflowReport(page);
    assert.ok(home.scrollWidth <= home.width, `the home page fits 360 px: ${JSON.stringify(home)}`);
    await page.screenshot({ path: path.join(env.screenshotDir, 'home-curated-360.png'), animations: 'disabled' });
    // "من نحن", written by the admin, is linked from every footer.
    await visit(page, '/admin/pages');
    await page.locator('#body-about').fill('صحيفة **مستقلة** تكتب عن المدن السورية.\n\nتصلنا الأخبار من مراسلينا.');
    await Promise.all([page.waitForURL(/done=1/), page.locator('form[action="/admin/pages/about"] button').click()]);
    await visit(page, '/');
    await Promise.all([page.waitForURL(/\/about$/), page.locator('.site-footer').getByRole('link', { name: 'من نحن' }).click()]);
    assert.equal(await page.locator('.site-page h1').innerText(), 'من نحن');
    const about = await overflowReport(page);
    assert.ok(about.scrollWidth <= about.width, `"من نحن" fits 360 px: ${JSON.stringify(about)}`);
    guard.check();
    await closeContext(context);
    // The bar and the picks stay up: the validators check the home page with them.
  });

  suite.test('newsroom at 360 px: nothing overflows; screenshots at 1280 px and 360 px', async () => {
    for (const [label, options] of [
      ['1280', DESKTOP],
      ['360', PHONE],
    ]) {
      const { context, guard } = await openContext(browser, baseUrl, options);
      const page = await context.newPage();
      const shoot = async (name) => {
        await bounded(page.evaluate(() => document.fonts.ready), 'fonts');
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
      await visit(page, `/admin/articles/${shared.createdId ?? shared.articleIds[0]}/revisions`);
      await shoot('revisions');
      await visit(page, `/admin/articles/${shared.createdId ?? shared.articleIds[0]}/revisions/compare`);
      await shoot('compare');
      await visit(page, '/admin/sections');
      await shoot('sections');
      await visit(page, '/admin/front');
      await shoot('front');
      await visit(page, '/admin/authors');
      await shoot('authors');
      await visit(page, '/admin/pages');
      await shoot('pages');
      await visit(page, '/admin/account');
      await shoot('account');
      await visit(page, `/admin/articles/${shared.createdId ?? shared.articleIds[0]}/preview`);
      await shoot('preview');
      guard.check();
      await closeContext(context);
    }
  });
}
