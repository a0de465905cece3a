/**
 * The Grafana plugin's Pulse page and panel in real Chromium, against a live system: real agents,
 * a real BullMQ queue with jobs a real worker failed, the built collector as its own process.
 * Grafana itself cannot run here, so the page is the standalone one: the plugin's own components
 * with `@grafana/ui`'s theme, and a STAND-IN for Grafana's app proxy that applies the routes,
 * roles and token of the plugin's `plugin.json` (labelled as such in `src/server`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'bullmq';
import Redis from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { testIds } from 'gravito-quasar-app/src/components/testIds';
import { templateBeat, writeFleet } from '../../collector/bench/fleet';
import { describeWithChromium, launchChromium } from '../../testing/chromium';
import { freePort } from '../../testing/redis-server';
import { claimDatabase, describeWithRedis, eventually } from '../../testing/redis';
import { startPulseWeb, type PulseWebServer } from '../src/server';
import { API_TOKEN, FAILURE, startFleet, type Fleet } from './fleet';

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };

/** Headers a browser could add to pass itself off as another Grafana user. */
const FORGED_IDENTITY = { 'X-Grafana-User': 'mallory', 'X-Grafana-Org-Id': '9' };

/** `url` through the server's sign-in URL, as a user opens it from what the server printed. */
function signedIn(server: PulseWebServer, url: string): string {
  const signIn = new URL(url);
  signIn.searchParams.set('token', new URL(server.signInUrl!).searchParams.get('token')!);
  return signIn.href;
}

/** Requests the page may fail: icons Grafana's own build adds to `@grafana/ui`'s set. */
const KNOWN_MISSING = /\/public\/build\/img\/icons\/|\/public\/fonts\/roboto\//;

const describeBrowser = describeWithRedis === describe ? describeWithChromium() : describeWithRedis;

describeBrowser('the Pulse page in Chromium against a live collector', () => {
  let fleet: Fleet;
  let browser: Browser;
  let editor: PulseWebServer;
  let viewer: PulseWebServer;
  /** Page errors, CSP violations and unexpected failed requests, per page; every test expects none. */
  const problems: string[] = [];

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Chromium reports a blocked script, style, font, image or connection on the console.
    page.on('console', (message) => {
      if (/Content Security Policy|CSP violation/i.test(message.text())) {
        problems.push(`console: ${message.text()}`);
      }
    });
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
      ),
    );
    page.on('response', (response) => {
      if (
        response.status() >= 400 &&
        !KNOWN_MISSING.test(response.url()) &&
        !response.url().includes('/api/')
      ) {
        problems.push(`HTTP ${response.status()} ${response.url()}`);
      }
    });
    await page.goto(url);
    return page;
  }

  /** The `emails` queue as the page shows it on the shop node. */
  const emailsQueue = (page: Page) =>
    page
      .getByTestId(testIds.nodeCard.card)
      .filter({ hasText: 'api-1' })
      .getByTestId(testIds.queueSection.queue);

  const failedRows = (page: Page) => emailsQueue(page).getByTestId(testIds.queueSection.failedJob);

  /** Opens the emails queue's failed jobs, shown on demand under its failure groups. */
  async function showFailedJobs(page: Page): Promise<void> {
    const toggle = emailsQueue(page).getByTestId(testIds.queueSection.failedJobsToggle);
    await toggle.waitFor({ timeout: 20_000 });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  beforeAll(async () => {
    fleet = await startFleet(await claimDatabase());
    browser = await launchChromium();
    editor = await startPulseWeb({
      collectorUrl: fleet.collector.url,
      apiToken: API_TOKEN,
      role: 'Editor',
      user: 'alice',
      port: 0,
    });
    viewer = await startPulseWeb({
      collectorUrl: fleet.collector.url,
      apiToken: API_TOKEN,
      role: 'Viewer',
      port: 0,
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await editor?.close();
    await viewer?.close();
    await fleet?.stop();
  });

  afterEach(() => {
    const seen = problems.splice(0);
    expect(seen).toEqual([]);
  });

  it('shows live nodes by service with queues, failed jobs and checks; screenshots in both themes', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const page = await open(signedIn(editor, `${editor.appUrl}?theme=${theme}`));
      const groups = page.getByTestId(testIds.pulse.group);
      await groups.first().waitFor();
      // The failures come grouped by error; the jobs themselves on demand (below).
      const group = emailsQueue(page).getByTestId(testIds.queueSection.failureGroup);
      await eventually(
        async () => ((await group.count()) === 1 ? true : undefined),
        20_000,
        'the failure group',
      );
      expect(await group.textContent()).toContain(
        '×4SMTP <n>: mailbox unavailableat sendWelcome (/app/src/mail/welcome.js)',
      );
      // Wait for the checks' first runs, so the red state is on the screenshot.
      await page.getByTestId(testIds.pulse.groupCheckDown).waitFor({ timeout: 20_000 });

      expect(
        await groups.evaluateAll((all) => all.map((g) => g.getAttribute('data-service'))),
      ).toEqual(['billing', 'shop']);
      expect(await page.getByTestId(testIds.app.status).textContent()).toContain('Collector ready');
      const shop = page.getByTestId(testIds.nodeCard.card).filter({ hasText: 'api-1' });
      expect(await shop.getAttribute('data-status')).toBe('online');
      const counts = await emailsQueue(page)
        .getByTestId(testIds.queueSection.count)
        .evaluateAll((all) =>
          Object.fromEntries(
            all.map((c) => [
              String(c.getAttribute('data-state')),
              c.querySelector('dd')?.textContent,
            ]),
          ),
        );
      expect(counts).toMatchObject({ waiting: '2', failed: '4' });
      // The collector's short history of the queue, drawn as a sparkline with a text summary.
      const waitingLine = emailsQueue(page).locator(
        `[data-testid="${testIds.queueSection.sparkline}"][data-kind="waiting"]`,
      );
      await waitingLine.waitFor({ timeout: 20_000 });
      expect(await waitingLine.getAttribute('aria-label')).toMatch(
        /^waiting: \d+ → \d+ over \d+(\.\d)? (s|min|h)$/,
      );
      const paths = await emailsQueue(page)
        .locator(`[data-testid="${testIds.queueSection.sparkline}"] path`)
        .evaluateAll((all) => all.map((path) => path.getAttribute('d')));
      expect(paths.length).toBeGreaterThan(0);
      for (const d of paths) expect(d).toMatch(/^M[ML0-9. -]+$/);
      const billing = page.getByTestId(testIds.nodeCard.card).filter({ hasText: 'invoicer-1' });
      expect(await billing.getAttribute('data-check-down')).toBe('true');
      expect(await shop.getByTestId(testIds.nodeCard.check).textContent()).toContain('storefront');
      expect(await page.getByTestId(testIds.pulse.liveState).textContent()).toMatch(/live/i);

      // The theme really is the asked one: Grafana's global styles paint the body dark or light.
      const luminance = await page.evaluate(() => {
        const [r = 0, g = 0, b = 0] = (
          getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []
        ).map(Number);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      });
      if (theme === 'dark') expect(luminance).toBeLessThan(40);
      else expect(luminance).toBeGreaterThan(220);
      await page.screenshot({ path: join(SCREENSHOTS, `pulse-${theme}.png`), fullPage: true });
      await showFailedJobs(page);
      // The rows render once the disclosure's click is applied: counted when they are there.
      await eventually(
        async () => ((await failedRows(page).count()) === 4 ? true : undefined),
        20_000,
        'the four failed jobs',
      );
      expect(await failedRows(page).first().textContent()).toContain(FAILURE);
      await page.close();
    }
  });

  it('shows the jobs per minute the agent measured on the emails queue', async () => {
    const page = await open(signedIn(editor, editor.appUrl));
    const throughput = emailsQueue(page).getByTestId(testIds.queueSection.throughput);
    // No worker consumes `emails` now: what is added shows as `in`, nothing as `out`.
    const shown = await eventually(
      async () => {
        await fleet.emails.add('digest', {});
        const text = (await throughput.count()) > 0 ? await throughput.textContent() : null;
        return text && !text.startsWith('0/min in') ? text : undefined;
      },
      30_000,
      'a window with jobs added',
    );
    expect(shown).toMatch(/^[\d.,]+\/min in · 0\/min out · 0\/min failed$/);
    await page.close();
  });

  it('retries a failed job: confirm, success toast, and BullMQ has the job waiting', async () => {
    const page = await open(signedIn(editor, editor.appUrl));
    await page.setExtraHTTPHeaders(FORGED_IDENTITY);
    await showFailedJobs(page);
    await eventually(
      async () => ((await failedRows(page).count()) === 4 ? true : undefined),
      20_000,
      'the failed sample',
    );
    const id = fleet.failedIds[0]!;
    const row = failedRows(page).and(page.locator(`[data-job-id="${id}"]`));
    await row.getByTestId(testIds.queueSection.retry).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain(`Retry job ${id} of queue emails`);
    await dialog.getByRole('button', { name: 'Retry', exact: true }).click();

    await page.getByRole('status').getByText('retried 1 job').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'pulse-retry-toast.png') });
    const job = await Job.fromId(fleet.emails, id);
    expect(await job?.getState()).toBe('waiting');
    // The next snapshot drops it from the failed sample.
    await eventually(
      async () => ((await failedRows(page).count()) === 3 ? true : undefined),
      20_000,
      'the row to go',
    );
    await page.close();
  });

  it('deletes a failed job after confirmation; BullMQ no longer has it', async () => {
    const page = await open(signedIn(editor, editor.appUrl));
    await page.setExtraHTTPHeaders(FORGED_IDENTITY);
    await showFailedJobs(page);
    const id = fleet.failedIds[1]!;
    const row = failedRows(page).and(page.locator(`[data-job-id="${id}"]`));
    await row.getByTestId(testIds.queueSection.delete).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();

    await page.getByRole('status').getByText('deleted 1 job').waitFor({ timeout: 20_000 });
    expect(await Job.fromId(fleet.emails, id)).toBeUndefined();
    await page.close();
  });

  it('lists the retry and the delete on the Audit page, with what the agent did and who signed in', async () => {
    const page = await open(signedIn(editor, `${editor.appUrl}/audit`));
    const outcomes = page.getByTestId(testIds.audit.page).getByTestId(testIds.audit.outcome);
    await eventually(
      async () => ((await outcomes.count()) === 2 ? true : undefined),
      20_000,
      'two audit rows',
    );
    expect(await outcomes.allTextContents()).toEqual([
      expect.stringContaining('succeeded'),
      expect.stringContaining('succeeded'),
    ]);
    const text = (await page.getByTestId(testIds.audit.page).textContent()) ?? '';
    expect(text).toContain('RETRY_JOB');
    expect(text).toContain('DELETE_JOB');
    // The server's signed-in user, not the X-Grafana-User the browser sent.
    expect(text.match(/alice \(Grafana user\)/g)).toHaveLength(2);
    expect(text).not.toContain('mallory');
    await page.close();
  });

  it('shows the slow request grouped on the Slow log page, its entry on expanding; screenshot', async () => {
    const page = await open(signedIn(editor, `${editor.appUrl}/slow`));
    const slow = page.getByTestId(testIds.slowLog.page);
    // The collector groups what its consumer read: the page may come before, so refresh.
    const group = slow.getByTestId(testIds.slowLog.group).filter({ hasText: 'GET /orders/:id' });
    await eventually(
      async () => {
        if ((await group.count()) > 0) return true;
        await slow.getByTestId(testIds.slowLog.refresh).click();
        return undefined;
      },
      20_000,
      'the group',
    );
    const row = slow.locator('tr').filter({
      has: page.getByTestId(testIds.slowLog.group).filter({ hasText: 'GET /orders/:id' }),
    });
    const cells = await row.locator('td').allTextContents();
    // Service, kind, name, count, p50, p95, max: one entry of 1,834 ms, so all three are exact.
    expect(cells.slice(1, 8)).toEqual([
      'shop',
      'request',
      'GET /orders/:id',
      '1',
      '1.83 s',
      '1.83 s',
      '1.83 s',
    ]);
    const spark = row.getByTestId(testIds.slowLog.sparkline);
    expect(await spark.getAttribute('data-points')).toBe('60');
    expect(await spark.getAttribute('aria-label')).toBe(
      '1 in the last 60 minutes, at most 1 a minute',
    );
    expect(await slow.getByTestId(testIds.slowLog.groupsScope).textContent()).toMatch(
      /held by collector/,
    );

    await row.getByRole('button', { name: /toggle row expanded/i }).click();
    const entries = slow.getByTestId(testIds.slowLog.groupEntries);
    await entries.getByText('api-1').waitFor({ timeout: 20_000 });
    expect(await entries.textContent()).toContain('1.83 s');
    await page.screenshot({ path: join(SCREENSHOTS, 'slow-groups-dark.png'), fullPage: true });

    // The flat list is still there.
    await slow.getByRole('radio', { name: 'Entries' }).click();
    await slow.getByRole('table').getByText('GET /orders/:id').first().waitFor({ timeout: 20_000 });
    await page.close();
  });

  it.each([
    ['a Viewer', () => viewer.appUrl],
    ["a browser that did not open the Editor server's sign-in URL", () => editor.appUrl],
  ])('hides the actions from %s, whose command POST the proxy refuses', async (_who, url) => {
    const page = await open(url());
    await showFailedJobs(page);
    await eventually(
      async () => ((await failedRows(page).count()) > 0 ? true : undefined),
      20_000,
      'the failed sample',
    );
    // The one button is the failed jobs' disclosure: no retry or delete, per job or for all.
    expect(await emailsQueue(page).getByRole('button').allTextContents()).toEqual([
      expect.stringContaining('newest failed jobs'),
    ]);
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/plugin-proxy/gravito-quasar-app/api/pulse/command/retry', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return response.status;
    });
    expect(status).toBe(403);
    await page.close();
  });

  it('renders the Pulse panel with its options from the URL', async () => {
    const page = await open(signedIn(editor, `${editor.url}/panel?service=shop`));
    await page.getByTestId(testIds.nodeCard.card).first().waitFor();
    const services = await page
      .getByTestId(testIds.pulse.group)
      .evaluateAll((all) => all.map((g) => g.getAttribute('data-service')));
    expect(services).toEqual(['shop']);
    await page.screenshot({ path: join(SCREENSHOTS, 'pulse-panel-dark.png') });
    await page.close();
  });

  it('says the collector is unreachable, with the URL tried', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const lost = await startPulseWeb({
      collectorUrl: nowhere,
      apiToken: API_TOKEN,
      role: 'Editor',
      port: 0,
    });
    try {
      const page = await open(lost.appUrl);
      const error = page.getByTestId(testIds.pulse.error);
      await error.waitFor();
      expect(await error.textContent()).toContain(nowhere);
      await page.close();
    } finally {
      await lost.close();
    }
  });

  // Last: it adds a large service the other tests do not expect.
  it('renders only the cards near the viewport, and renders the others as they scroll in', async () => {
    const redis = new Redis(fleet.redisUrl);
    try {
      await writeFleet(redis, await templateBeat(fleet.redisUrl), 200, 1);
    } finally {
      redis.disconnect();
    }
    const page = await open(signedIn(editor, editor.appUrl));
    // Past the overview's threshold now: the page opens on the overview once it holds the new
    // nodes, and the cards are the user's choice. (A collector that has not read them yet
    // serves two nodes, shown as cards, where a click on the checked Cards chooses nothing.)
    const overview = page.getByRole('radio', { name: 'Overview', exact: true });
    await eventually(
      async () => ((await overview.isChecked({ timeout: 1000 })) ? true : undefined),
      20_000,
      'the overview of the 202 nodes',
    );
    await page.getByRole('radio', { name: 'Cards', exact: true }).click();
    const group = page.getByTestId(testIds.pulse.group).and(page.locator('[data-service="svc-0"]'));
    await group
      .getByTestId(testIds.pulse.groupCount)
      .getByText('200 nodes')
      .waitFor({ timeout: 20_000 });
    // A page of 60 per service, and most of those are placeholders until scrolled to.
    expect(await group.getByTestId(testIds.pulse.showMore).textContent()).toBe(
      'Show 60 more of 140',
    );
    const cards = group.getByTestId(testIds.nodeCard.card);
    const placeholders = group.getByTestId(testIds.pulse.cardPlaceholder);
    // Both counts read at once, once cards are shown: what loads above the group (the queues'
    // history) can move it while the page settles, turning the cards near the viewport back
    // into placeholders between two separate reads.
    const countBoth = () =>
      group.evaluate(
        (el, ids): [number, number] => [
          el.querySelectorAll(`[data-testid="${ids.card}"]`).length,
          el.querySelectorAll(`[data-testid="${ids.placeholder}"]`).length,
        ],
        { card: testIds.nodeCard.card, placeholder: testIds.pulse.cardPlaceholder },
      );
    // The group's head in view (the sections above it, queues with their sparklines, vary in
    // height): its first cards are then near the viewport.
    await group.getByTestId(testIds.pulse.groupCount).scrollIntoViewIfNeeded();
    let [rendered, waiting] = await countBoth();
    // Up to 20 s: the observer that swaps placeholders for cards runs late on a loaded machine.
    for (let tries = 0; rendered === 0 && tries < 200; tries++) {
      await page.waitForTimeout(100);
      [rendered, waiting] = await countBoth();
    }
    expect(rendered).toBeGreaterThan(0);
    expect(rendered + waiting).toBe(60);
    expect(rendered).toBeLessThan(60);
    const first = await cards.first().getAttribute('data-node-id');

    const last = placeholders.last();
    const id = await last.getAttribute('data-node-id');
    await last.scrollIntoViewIfNeeded();
    await group.locator(`[data-testid="${testIds.nodeCard.card}"][data-node-id="${id}"]`).waitFor();
    // The first card is far above now: a placeholder again, of the height it had.
    const firstAgain = group.locator(
      `[data-testid="${testIds.pulse.cardPlaceholder}"][data-node-id="${first}"]`,
    );
    await firstAgain.waitFor({ state: 'attached' });
    expect(await firstAgain.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(
      200,
    );
    await page.close();
  });
});
