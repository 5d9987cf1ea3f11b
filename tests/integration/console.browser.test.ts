import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureConsoleBuilt } from '@mirrorwatch/console/build';
import type { Alert } from '@mirrorwatch/schemas';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, type TestInfra } from '../support/fixtures.js';
import {
  ADMIN,
  banAndIndex,
  type RunningPipeline,
  sendEvent,
  startPipeline,
  waitForAlert,
} from '../support/pipeline.js';
import { groupProfile, mirrorOf, type Profile } from '../support/profiles.js';

const REPORTS = fileURLToPath(new URL('../../reports/', import.meta.url));
const VIEWER_TOKEN = 'viewer-console-secret';
const MODERATOR_TOKEN = 'moderator-console-secret';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Cyrillic letters that look like Latin ones: what an evader swaps into a banned handle.
const LOOKALIKES: Record<string, string> = { a: '\u0430', e: '\u0435', o: '\u043e', i: '\u0456' };

/** The parent's handle with one letter swapped for a Cyrillic lookalike and a zero-width space inserted. */
function disguise(handle: string): { handle: string; lookalike: string } {
  const at = [...handle].findIndex((char) => char in LOOKALIKES);
  expect(at).toBeGreaterThan(0);
  const chars = [...handle];
  const swapped = LOOKALIKES[chars[at] as string] as string;
  chars[at] = swapped;
  chars.splice(1, 0, '\u200b');
  const label = `U+${swapped.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
  return { handle: `${chars.join('')}_backup2`, lookalike: label };
}

describe('moderator console in a real browser, on the real stack', () => {
  let infra: TestInfra;
  let pipeline: RunningPipeline;
  let address: string;
  let browser: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    // Reuses dist when it is newer than every source file.
    await ensureConsoleBuilt();
    infra = await connectInfra();
    pipeline = await startPipeline(infra, {
      env: { ALERTS_TOKENS: `vi:viewer:${VIEWER_TOKEN},mo:moderator:${MODERATOR_TOKEN}` },
    });
    address = await pipeline.alerts.listen({ port: 0, host: '127.0.0.1' });
    userDataDir = mkdtempSync(join(tmpdir(), 'mw-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    browser.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await pipeline?.close();
    await infra?.close();
  });

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(`${address}/console`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alert queue' }).waitFor();
  }

  async function filterByEntity(page: Page, entity: string, status = 'open'): Promise<void> {
    await page.getByLabel('Entity').fill(entity);
    await page.getByLabel('Status').selectOption(status);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('#queue-summary', { hasText: `entity ${entity}` }).waitFor();
  }

  async function banAndMirror(tag: string): Promise<{ parent: Profile; mirror: Profile; entity: string }> {
    const parent = groupProfile(tag);
    const entity = `entity-${tag}`;
    await banAndIndex(pipeline, 'telegram', parent, entity);
    return { parent, mirror: mirrorOf(parent, `mirror-${tag}`), entity };
  }

  it('shows a mirror arriving live, its evidence beside the banned account, and records a confirmation with its note', async () => {
    const page = await browser.newPage();
    const tag = randomUUID().slice(0, 8);

    await page.goto(`${address}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token was not accepted').waitFor();

    await signIn(page, 'dev-token');
    await page.locator('#live-status[data-state="live"]').waitFor();
    const { parent, mirror, entity } = await banAndMirror(tag);
    await filterByEntity(page, entity);
    await page.getByText('No alerts match these filters.').waitFor();

    // From here the queue may change only through the stream: no list request, no reload.
    const listRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/alerts') listRequests.push(request.url());
    });
    await page.evaluate(() => {
      (globalThis as unknown as { mwSamePage: boolean }).mwSamePage = true;
    });

    const { handle, lookalike } = disguise(parent.handle);
    await sendEvent(pipeline.ingest, 'telegram', 'account.created', { ...mirror, handle });
    const item = page.locator('.queue-item[data-id]');
    await item.waitFor();
    const alertId = await item.getAttribute('data-id');
    expect(alertId).toMatch(/^al_[0-9a-f]{24}$/);
    expect(listRequests).toEqual([]);
    const samePage = await page.evaluate(
      () => (globalThis as unknown as { mwSamePage?: boolean }).mwSamePage,
    );
    expect(samePage).toBe(true);
    await page.locator('#announcer', { hasText: `New alert: ${handle} on telegram` }).waitFor();

    // Keyboard: j selects the first alert, Enter opens it.
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/console/#/alerts/${alertId}`);

    const candidate = page.locator('.account-candidate');
    const banned = page.locator('.account-banned');
    await banned.waitFor();
    expect(await banned.locator('.handle').textContent()).toBe(`@${parent.handle}`);
    // The candidate's handle: the lookalike highlighted, the zero-width space made visible.
    await candidate.locator(`mark[data-codepoint="${lookalike}"]`).waitFor();
    const invisible = candidate.locator('[data-codepoint="U+200B"]');
    expect(await invisible.getAttribute('aria-label')).toBe('invisible U+200B zero width space');
    expect(await invisible.textContent()).toBe('U+200B');
    expect(await candidate.textContent()).toContain(mirror.id);
    expect(await banned.textContent()).toContain(entity);

    const rows = page.locator('.waterfall-step');
    const signals = await rows.evaluateAll((elements) =>
      elements.map((element) => [...element.classList].find((name) => name.startsWith('signal-'))),
    );
    expect(signals).toEqual(
      expect.arrayContaining([
        'signal-handle',
        'signal-avatar',
        'signal-links',
        'signal-phone',
        'signal-followees',
      ]),
    );
    expect(await page.locator('.signal-avatar .evidence-detail').textContent()).toMatch(/PDQ distance \d+/);
    expect(await page.locator('.signal-phone .evidence-detail').textContent()).toBe('same phone (hashed)');
    const stored = (
      await pipeline.alerts.inject({ method: 'GET', url: `/v1/alerts/${alertId}`, headers: ADMIN })
    ).json() as Alert;
    expect(stored.candidate).toMatchObject({ accountId: mirror.id, handle });
    const weights = stored.matches[0]?.evidence.length ?? 0;
    expect(await rows.count()).toBe(weights);
    const text = await page.locator('main').textContent();
    expect(text).toContain('banned at');
    expect(text).toContain('received');
    expect(text).toContain('alerted at');
    expect(text).toContain("Found by the candidate's own account event");
    expect(text).toContain(`model ${stored.matches[0]?.modelVersion}`);
    // The raw phone number was hashed at ingest and appears nowhere.
    expect(text).not.toContain((parent.phone ?? '').slice(-5));

    mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: join(REPORTS, 'console-alert.png'), fullPage: true });

    const note = `same logo, invite and phone ${tag}`;
    await page.keyboard.press('c');
    const dialog = page.getByRole('dialog', { name: 'Confirm this alert' });
    await dialog.waitFor();
    await dialog.getByLabel('Note for the audit trail (why)').fill(note);
    await page.keyboard.press('Control+Enter');
    await page.getByRole('status').filter({ hasText: 'Alert confirmed.' }).waitFor();
    expect(await page.locator('#alert-status').textContent()).toBe('confirmed');
    const decided = await pipeline.alerts.inject({
      method: 'GET',
      url: `/v1/alerts/${alertId}`,
      headers: ADMIN,
    });
    expect(decided.json().status).toBe('confirmed');

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await page.getByLabel('Search notes, people and alert ids').fill(tag);
    const entry = page.locator('table.audit tbody tr', { hasText: note });
    await entry.waitFor();
    expect(await entry.count()).toBe(1);
    const cells = await entry.locator('td').allTextContents();
    expect(cells.slice(1)).toEqual(['confirm', 'dev', alertId, note]);
    await page.close();
  });

  it('lets a viewer read the queue but says plainly that the role cannot decide (403)', async () => {
    const tag = randomUUID().slice(0, 8);
    const { mirror, entity } = await banAndMirror(tag);
    await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);
    const alert = await waitForAlert(pipeline.alerts, 'telegram', mirror.id);

    const page = await browser.newPage();
    const probe = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/audit');
    await signIn(page, VIEWER_TOKEN);
    expect((await probe).status()).toBe(403);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Queue' }).count()).toBe(1);

    await filterByEntity(page, entity);
    const item = page.locator(`.queue-item[data-id="${alert.id}"]`);
    await item.waitFor();
    await item.getByRole('link').click();
    await page.getByRole('button', { name: /Confirm…/ }).click();
    await page.getByLabel('Note for the audit trail (why)').fill('looks like the same group');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Your role cannot decide alerts' }).waitFor();

    const after = await pipeline.alerts.inject({
      method: 'GET',
      url: `/v1/alerts/${alert.id}`,
      headers: ADMIN,
    });
    expect(after.json().status).toBe('open');
    await page.close();
  });

  it('tells a moderator whose decision lost the race who decided first, and when (409)', async () => {
    const tag = randomUUID().slice(0, 8);
    const { mirror } = await banAndMirror(tag);
    await sendEvent(pipeline.ingest, 'telegram', 'account.created', mirror);
    const alert = await waitForAlert(pipeline.alerts, 'telegram', mirror.id);

    const page = await browser.newPage();
    await signIn(page, 'dev-token');
    await page.goto(`${address}/console/#/alerts/${alert.id}`);
    await page.locator('.account-banned').waitFor();
    await page.keyboard.press('d');
    const dialog = page.getByRole('dialog', { name: 'Dismiss this alert' });
    await dialog.getByLabel('Note for the audit trail (why)').fill('a fan account, not the group');

    // Another moderator confirms while this one is still writing the note.
    const first = await pipeline.alerts.inject({
      method: 'POST',
      url: `/v1/alerts/${alert.id}/decision`,
      headers: { authorization: `Bearer ${MODERATOR_TOKEN}` },
      payload: { decision: 'confirm', note: 'same logo' },
    });
    expect(first.statusCode).toBe(200);
    await dialog.getByRole('button', { name: 'Dismiss', exact: true }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Someone else decided first' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/confirmed by mo at \d{4}-\d\d-\d\dT[\d:.]+Z/);
    await page.locator('#alert-status', { hasText: 'confirmed' }).waitFor();
    await page.close();
  });
});
