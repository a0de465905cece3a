/**
 * The page's security headers as Chromium applies them: the page renders under its CSP without
 * a violation, the CSP is really enforced (an injected inline script does not run), and a page of
 * another origin cannot frame it (no clickjacking of Retry and Delete).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { testIds } from 'gravito-quasar-app/src/components/testIds';
import { describeWithChromium, launchChromium } from '../../testing/chromium';
import { eventually } from '../../testing/redis';
import { freePort } from '../../testing/redis-server';
import { startPulseWeb, type PulseWebServer } from '../src/server';

declare global {
  interface Window {
    quasarViolations?: string[];
    quasarInjected?: boolean;
  }
}

describeWithChromium()('the page in Chromium under its security headers', () => {
  let browser: Browser;
  let pulse: PulseWebServer;
  let framer: Server;
  let framerUrl: string;

  beforeAll(async () => {
    browser = await launchChromium();
    // No collector: the page renders its "unreachable" state, which is enough to load it all.
    pulse = await startPulseWeb({
      collectorUrl: `http://127.0.0.1:${await freePort()}`,
      role: 'Editor',
      port: 0,
    });
    // Another origin (another port) that frames the page, next to a frame of its own.
    framer = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        req.url === '/plain'
          ? '<p id="plain">a frame that may be framed</p>'
          : `<iframe id="own" src="/plain"></iframe><iframe id="pulse" src="${pulse.signInUrl!}"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    framerUrl = `http://127.0.0.1:${(framer.address() as AddressInfo).port}/`;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pulse?.close();
    await new Promise((resolve) => framer?.close(resolve));
  });

  it('renders with no CSP violation, and blocks and reports an injected inline script', async () => {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (message: ConsoleMessage) => console.push(message.text()));
    await page.addInitScript(() => {
      window.quasarViolations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        window.quasarViolations!.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    const response = await page.goto(pulse.signInUrl!);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByTestId(testIds.pulse.error).waitFor();
    expect(await page.evaluate(() => window.quasarViolations)).toEqual([]);
    expect(console.filter((line) => /Content Security Policy/.test(line))).toEqual([]);

    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.quasarInjected = true';
      document.head.append(script);
    });
    await page.waitForFunction(() => window.quasarViolations!.length > 0);
    expect(await page.evaluate(() => window.quasarInjected)).toBeUndefined();
    expect(await page.evaluate(() => window.quasarViolations)).toEqual(['script-src-elem inline']);
    await page.close();
  });

  it('refuses to be framed by another origin, which can frame its own page', async () => {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (message: ConsoleMessage) => console.push(message.text()));
    const served = page.waitForResponse((r) => r.url() === pulse.appUrl);
    await page.goto(framerUrl, { waitUntil: 'load' });
    // The server answered the frame's request; the browser refused to show it.
    expect((await served).status()).toBe(200);
    const own = await (await page.$('#own'))!.contentFrame();
    expect(await own!.locator('#plain').textContent()).toContain('may be framed');
    const framed = await (await page.$('#pulse'))!.contentFrame();
    expect(framed!.url()).not.toContain(pulse.url);
    expect(await framed!.locator('#root').count()).toBe(0);
    // Chromium's report of the refusal reaches the console on its own, not with the load.
    await eventually(
      () => (/frame-ancestors 'none'|X-Frame-Options/.test(console.join('\n')) ? true : undefined),
      15_000,
      'the refusal on the console',
    );
    expect(console.join('\n')).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
    await page.close();
  });
});
