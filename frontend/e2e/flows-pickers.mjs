// The pickers whose options come from the server, checked with their list OPEN: while the
// answer is on its way (the request is held), once the options are in, and when nothing
// matches. Ant Design's empty list was invalid ARIA (an empty listbox, the input's active
// descendant naming an element that does not exist, 1.8:1 grey text); the flows used to close
// the list before axe looked. components/SelectNote.tsx is the fix.
import { assert, test } from './harness.mjs';
import { TIMEOUT, holdRequests, signIn, waitOverviewDrawn } from './helpers.mjs';

/** The open list's text (its note or its options) once `text` shows in it. */
async function listShows(page, text) {
  const list = page.locator('.ant-select-dropdown:visible');
  await list.getByText(text).first().waitFor({ timeout: TIMEOUT });
  return list;
}

/** The input's aria-activedescendant names an element of the page (or nothing). */
async function activeDescendantExists(input) {
  return input.evaluate((el) => {
    const id = el.getAttribute('aria-activedescendant');
    return !id || document.getElementById(id) !== null;
  });
}

/** Checks the screen with the list open in the state `what`: the reference first, then axe. */
async function checkOpen(ctx, input, what) {
  assert(await activeDescendantExists(input), `${what}: the active descendant exists`);
  await ctx.a11y?.check(ctx.page, what);
}

/**
 * `open()` opens `input`'s list while the requests matching `pattern` are held: checked while
 * it says "loading", then once the options are in.
 */
async function checkLoadingThenOptions(ctx, input, pattern, what, open) {
  const { page } = ctx;
  const release = await holdRequests(page, pattern);
  await open();
  const loading = (await listShows(page, 'Đang tải…')).getByRole('option', { name: 'Đang tải…' });
  assert((await loading.getAttribute('aria-busy')) === 'true', `${what}: the loading note is busy`);
  await checkOpen(ctx, input, `${what} open, loading`);
  await release();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor({ timeout: TIMEOUT });
  await checkOpen(ctx, input, `${what} open, options`);
}

test('pickers that search the server are accessible while open: loading, options, nothing found', async (ctx) => {
  const { page } = ctx;
  await signIn(page, 'tinh');
  await waitOverviewDrawn(page);

  // The union search of the tree: a hint before typing, "loading", the hits, "none found".
  await page.goto('/unions');
  await page.locator('[data-testid="tree-node"]').first().waitFor({ timeout: TIMEOUT });
  const search = page.getByLabel('Tìm đơn vị (gõ không dấu cũng được)', { exact: true });
  await search.click();
  await listShows(page, 'Gõ tên, mã hoặc tên viết tắt');
  await checkOpen(ctx, search, 'union search open, a hint');
  await checkLoadingThenOptions(ctx, search, '**/api/v1/unions/search?**', 'union search', () => search.fill('my tho'));
  await search.fill('khong co don vi nao ten nay');
  await listShows(page, 'Không tìm thấy đơn vị nào');
  await checkOpen(ctx, search, 'union search open, none found');
  await page.keyboard.press('Escape');

  // The members' union filter (asks on mount) and enterprise filter (asks when opened).
  const union = page.getByLabel('Đơn vị', { exact: true });
  await checkLoadingThenOptions(ctx, union, '**/api/v1/unions?**', 'union filter', async () => {
    await page.goto('/members');
    await union.click();
  });
  await union.fill('khong co don vi nao ten nay');
  await listShows(page, 'Không có dữ liệu');
  await checkOpen(ctx, union, 'union filter open, none found');
  // The note is not an option the keys can take: Enter chooses nothing, Escape closes.
  await page.keyboard.press('Enter');
  assert(!page.url().includes('union_id='), 'Enter on the note chooses nothing');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Thêm bộ lọc' }).click();
  const enterprise = page.getByLabel('Nơi làm việc (doanh nghiệp)', { exact: true });
  await checkLoadingThenOptions(ctx, enterprise, '**/api/v1/enterprises?**', 'enterprise filter', () => enterprise.click());
});
