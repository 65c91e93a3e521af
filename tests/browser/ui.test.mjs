// SPDX-License-Identifier: Apache-2.0
// Browser tests of the web UI: playwright-core drives Debian's chromium
// against the service, started here on 127.0.0.1 (free port, fixture /proc
// tree) and killed by PID at the end. Screenshots go to ARTIFACTS.
//
//   LXKNS=build/service/lxkns ARTIFACTS=dir node --test tests/browser/ui.test.mjs
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const webRequire = createRequire(join(root, 'web/package.json'))
const { chromium } = webRequire('playwright-core')
const AXE = webRequire.resolve('axe-core/axe.min.js')
const LXKNS = process.env.LXKNS
const ARTIFACTS = process.env.ARTIFACTS || join(tmpdir(), 'lxkns-screenshots')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const FIXTURE = join(root, 'tests/fixtures/proc/basic')
mkdirSync(ARTIFACTS, { recursive: true })

let service, base, browser, proxy, proxyBase, fixture, nsCount
const ofType = (t) => Object.values(fixture.namespaces).filter((n) => n.type === t)
const sample = join(here, 'sample-discovery.json')
const sampleDoc = JSON.parse(readFileSync(sample, 'utf8'))
const bigFile = join(ARTIFACTS, 'big-discovery.json')

function startService() {
  return new Promise((resolve, reject) => {
    const p = spawn(LXKNS, ['--http', '127.0.0.1:0', '--procfs', FIXTURE, '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    p.stdout.on('data', (d) => {
      out += d
      const m = out.match(/serving on (http:\/\/\S+\/)/)
      if (m) resolve({ p, url: m[1] })
    })
    p.on('exit', (code) => reject(new Error(`lxkns exited with ${code}`)))
    setTimeout(() => reject(new Error('lxkns did not print its URL')), 10000)
  })
}

// A path-rewriting reverse proxy: /lxkns/X -> service /X, with
// X-Forwarded-Prefix: /lxkns (what nginx or traefik would send).
function startProxy(target) {
  const t = new URL(target)
  const server = http.createServer((req, res) => {
    if (!req.url.startsWith('/lxkns/')) {
      res.writeHead(404).end()
      return
    }
    const up = http.request({
      host: t.hostname, port: t.port, method: req.method, path: req.url.slice('/lxkns'.length),
      headers: { ...req.headers, 'x-forwarded-prefix': '/lxkns' },
    }, (r) => {
      res.writeHead(r.statusCode, r.headers)
      r.pipe(res)
    })
    up.on('error', () => res.writeHead(502).end())
    req.pipe(up)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

before(async () => {
  assert.ok(LXKNS, 'LXKNS names the service binary')
  ;({ p: service, url: base } = await startService())
  fixture = await (await fetch(base + 'api/namespaces')).json()
  nsCount = String(Object.keys(fixture.namespaces).length)
  proxy = await startProxy(base)
  proxyBase = `http://127.0.0.1:${proxy.address().port}/lxkns/`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  writeFileSync(bigFile, execFileSync('python3', [join(here, 'make-discovery.py'), 'big', '5000', '1000'],
    { maxBuffer: 64 << 20 }))
})

after(async () => {
  await browser?.close()
  proxy?.close()
  if (service && service.exitCode === null) {
    const done = new Promise((r) => service.on('exit', r))
    process.kill(service.pid, 'SIGTERM')
    await done
  }
})

// A page that records console errors, page errors and failed requests.
async function page(opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...opts })
  const p = await ctx.newPage()
  p.problems = []
  p.on('console', (m) => m.type() === 'error' && p.problems.push(`console: ${m.text()}`))
  p.on('pageerror', (e) => p.problems.push(`page error: ${e.message}`))
  p.on('requestfailed', (r) => p.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`))
  p.on('response', (r) => r.status() >= 400 && p.problems.push(`HTTP ${r.status()}: ${r.url()}`))
  return p
}

const shot = (p, name) => p.screenshot({ path: join(ARTIFACTS, name + '.png'), fullPage: false })
const count = (p) => p.locator('[data-testid=ns-count]').textContent()
const items = (p) => p.locator('[role=treeitem]').count()

async function ready(p) {
  await p.waitForSelector('[data-testid=ns-count]')
  await p.waitForSelector('main [role=tree], main .page, main .empty, main svg.graph')
}

const VIEWS = ['', 'containers', 'user', 'pid', 'cgroup', 'ipc', 'mnt', 'net', 'uts', 'time',
  'affinities', 'graph', 'settings', 'help', 'about']

test('every view loads without console errors', async () => {
  const p = await page()
  for (const v of VIEWS) {
    await p.goto(base + v)
    await ready(p)
    assert.equal(await count(p), nsCount, `namespace count on /${v}`)
    await shot(p, `view-${v || 'all'}`)
  }
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

// The story of the fixture host, told without a click: the initial user
// namespace expanded; PID 1 and kthreadd are system processes (hidden by
// default); its seven namespaces they share on one line; the fd-held net
// namespace with its holder; the hidden user namespace (expanded, it has no
// processes) with the bind-mounted net namespace and its chain.
test('the first view tells the story without a click', async () => {
  const p = await page()
  await p.goto(base)
  await ready(p)
  const root = p.locator('main [role=treeitem][aria-level="1"]').first()
  const under = (id, sel) => p.locator(`main ${sel}[data-parent="${id}"]`)
  assert.equal(await root.getAttribute('aria-expanded'), 'true', 'initial user namespace expanded')
  assert.equal(await root.getAttribute('data-id'), 'u:4026531837')
  // the leaders' namespaces: folded into one line, not repeated
  const folded = under('u:4026531837', 'li.folded').locator('.ns')
  assert.deepEqual(await folded.evaluateAll((els) => els.map((e) => e.dataset.nsid)),
    ['4026531835', '4026531839', '4026531841', '4026531840', '4026531836', '4026531834', '4026531838'])
  assert.equal(await p.locator('li.tenant .ns[data-nsid="4026531840"]').count(), 0, 'initial net not repeated')
  assert.match(await under('u:4026531837', 'li.system-note').textContent(), /2 system processes not shown/)
  // the fd-held namespace with its holder
  const fd = under('u:4026531837', 'li.tenant').filter({ has: p.locator('.ns[data-nsid="4026532040"]') })
  assert.equal(await fd.count(), 1)
  assert.match(await fd.locator('.row').first().textContent(), /fd\/socket-held\s*"\/proc\/101\/fd\/5" \[holder\]/)
  // the hidden user namespace, expanded, and its bind-mounted net namespace
  const hidden = under('u:4026531837', 'li.hidden-user')
  assert.equal(await hidden.getAttribute('data-id'), 'u:4026532000')
  assert.equal(await hidden.getAttribute('aria-expanded'), 'true')
  const hrow = await hidden.locator('.row').first().textContent()
  assert.match(hrow, /hidden/)
  assert.match(hrow, /UID 1000 \("alice"\)/)
  assert.match(hrow, /children 1/)
  const bind = under('u:4026532000', 'li.tenant').filter({ has: p.locator('.ns[data-nsid="4026532050"]') })
  assert.match(await bind.locator('.row').first().textContent(),
    /bind-mounted\s*"\/proc\/1\/ns\/mnt" \[init\] » "\/run\/netns\/x"/)
  assert.ok(await hidden.locator('.mark-hidden').count() >= 1, 'a ghost mark')
  await shot(p, 'first-view')
  // the setting shows the system processes as leaders, the ealdorman marked
  await p.goto(base + 'settings')
  await p.check('input[name=showSystem]')
  await p.click('nav.drawer >> text=All namespaces')
  await p.waitForSelector('li.leader')
  assert.deepEqual(await under('u:4026531837', 'li.leader').locator('.process').evaluateAll(
    (els) => els.map((e) => e.dataset.pid)), ['1', '2'])
  assert.equal(await under('u:4026531837', 'li.leader').locator('.mark-ealdorman').count(), 1)
  assert.equal(await p.locator('li.system-note').count(), 0)
  await shot(p, 'first-view-system')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('keyboard: the trees follow the ARIA tree pattern', async () => {
  const p = await page()
  await p.goto(base)
  await ready(p)
  const focused = () => p.evaluate(() => document.activeElement?.dataset?.id ?? document.activeElement?.tagName)
  const expandedOf = (id) => p.getAttribute(`[role=treeitem][data-id="${id}"]`, 'aria-expanded')
  assert.equal(await p.getAttribute('main [role=treeitem] >> nth=0', 'tabindex'), '0', 'the tree is in the tab order')
  assert.equal(await p.locator('main [role=treeitem][tabindex="0"]').count(), 1, 'one item in the tab order')
  await p.focus('main [role=treeitem] >> nth=0')
  assert.equal(await focused(), 'u:4026531837')
  await p.keyboard.press('ArrowDown')
  assert.equal(await focused(), 'u:4026531837:sys')
  await p.keyboard.press('ArrowDown')
  assert.equal(await focused(), 'u:4026531837:folded')
  await p.keyboard.press('ArrowDown')
  assert.equal(await focused(), 'n:4026532040')
  assert.equal(await expandedOf('n:4026532040'), 'false')
  await p.keyboard.press('ArrowRight')
  assert.equal(await expandedOf('n:4026532040'), 'true')
  await p.keyboard.press('ArrowRight')
  assert.equal(await focused(), 'n:4026532040:ref')
  await p.keyboard.press('ArrowLeft')
  assert.equal(await focused(), 'n:4026532040')
  await p.keyboard.press('ArrowLeft')
  assert.equal(await expandedOf('n:4026532040'), 'false')
  assert.equal(await p.locator('main [role=treeitem][tabindex="0"]').count(), 1, 'the tab stop moved along')
  await p.keyboard.press('ArrowLeft')
  assert.equal(await focused(), 'u:4026531837')
  await p.keyboard.press('End')
  const last = await focused()
  assert.equal(last, await p.getAttribute('main [role=treeitem] >> nth=-1', 'data-id'))
  await p.keyboard.press('Home')
  assert.equal(await focused(), 'u:4026531837')
  await p.keyboard.press('Enter')
  assert.equal(await expandedOf('u:4026531837'), 'false')
  assert.equal(await items(p), 1)
  await p.keyboard.press(' ')
  assert.equal(await expandedOf('u:4026531837'), 'true')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

// axe-core (from npm) on a page: the serious and critical violations, one
// line each.
async function axe(p) {
  await p.addScriptTag({ path: AXE })
  return p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  })
}

for (const scheme of ['light', 'dark'])
  test(`axe: no serious or critical violation on any view (${scheme})`, async () => {
    const p = await page({ colorScheme: scheme })
    const found = []
    const check = async (where) => {
      for (const v of await axe(p)) found.push(`${where}: ${v}`)
    }
    for (const v of VIEWS) {
      await p.goto(base + v)
      await ready(p)
      await check(`/${v}`)
      if (await p.locator('button[aria-label="expand all"]').count()) {
        await p.click('button[aria-label="expand all"]')
        await check(`/${v} expanded`)
      }
    }
    // with containers, mounts and affinities: the imported sample
    await p.goto(base + 'containers')
    await ready(p)
    await p.setInputFiles('[data-testid=import-file]', sample)
    await p.waitForFunction((n) => document.querySelector('[data-testid=ns-count]')?.textContent === n,
      String(Object.keys(sampleDoc.namespaces).length))
    for (const v of ['Containers', 'mnt', 'CPU affinities', 'All namespaces', 'pid']) {
      await p.click(`nav.drawer >> text=${v}`)
      await p.click('button[aria-label="expand all"]')
      await check(`sample ${v} expanded`)
      await shot(p, `axe-sample-${v.replace(/ /g, '-')}-${scheme}`)
    }
    await p.click('nav.drawer >> text=mnt')
    await p.click('button[aria-label="details of mount 700"]')
    await p.locator('dialog.dialog').waitFor()
    await check('sample mount details')
    await p.keyboard.press('Escape')
    await p.locator('dialog.dialog').waitFor({ state: 'detached' })
    // the search with highlighted matches, the details dialogs
    await p.click('nav.drawer >> text=All namespaces')
    await p.fill('[data-testid=search]', 'shop')
    await p.waitForSelector('li.current-match')
    await check('sample search')
    await shot(p, `axe-search-${scheme}`)
    await p.click('main button.ns >> nth=0')
    await p.locator('dialog.details').waitFor()
    await check('namespace details')
    await shot(p, `axe-details-ns-${scheme}`)
    await p.locator('dialog.details button.proc-ref >> nth=0').click()
    await p.waitForFunction(() => /^Process/.test(document.querySelector('dialog.details h2')?.textContent))
    await check('process details')
    await shot(p, `axe-details-process-${scheme}`)
    await p.keyboard.press('Escape')
    await p.locator('dialog.dialog').waitFor({ state: 'detached' })
    // deep links and their messages
    for (const path of ['ns/4026531837', 'pid/1', 'ns/123']) {
      await p.goto(base + path)
      await ready(p)
      await check(`/${path}`)
    }
    assert.deepEqual(found, [])
    // and axe does see a violation when there is one
    await p.evaluate(() => {
      const e = document.createElement('p')
      e.textContent = 'barely readable'
      e.style.background = '#ffffff'
      e.style.color = '#bbbbbb'
      document.querySelector('main').append(e)
    })
    assert.match((await axe(p)).join('\n'), /^color-contrast \(serious\) ×1: /m)
    assert.deepEqual(p.problems, [])
    await p.context().close()
  })

// The search box: by namespace ID, PID, name or path; it jumps to the
// first match (expanding its ancestors), highlights every match, and steps
// through them with Enter, Shift+Enter and the buttons.
test('search: by namespace ID, PID and path, jumps to and highlights the matches', async () => {
  const p = await page()
  const status = () => p.textContent('[data-testid=search-count]')
  const current = () => p.getAttribute('li.current-match', 'data-id')
  await p.goto(base)
  await ready(p)
  await p.fill('[data-testid=search]', '4026532050')
  await p.waitForFunction(() => document.querySelector('[data-testid=search-count]')?.textContent === '1 of 1')
  assert.equal(await current(), 'n:4026532050')
  assert.equal(await p.getAttribute('li[data-id="n:4026532050"]', 'aria-selected'), 'true')
  await p.fill('[data-testid=search]', '/run/netns/x')
  await p.waitForFunction(() => document.querySelector('[data-testid=search-count]')?.textContent === '1 of 2')
  assert.equal(await current(), 'n:4026532050', 'a path finds the namespace it references')
  await p.press('[data-testid=search]', 'Enter')
  assert.equal(await current(), 'n:4026532050:ref', 'and its reference row (expanded)')
  assert.equal(await p.getAttribute('li[data-id="n:4026532050"]', 'aria-expanded'), 'true')
  await p.fill('[data-testid=search]', 'nosuchthing')
  await p.waitForFunction(() => document.querySelector('[data-testid=search-count]')?.textContent === 'no match')
  assert.equal(await p.locator('li.match').count(), 0)
  await shot(p, 'search-no-match')

  // a PID deep in a collapsed tree: its ancestors get expanded
  await p.click('nav.drawer >> text=pid')
  await p.waitForSelector('li.pid-ns')
  await p.fill('[data-testid=search]', '103')
  await p.waitForFunction(() => document.querySelector('[data-testid=search-count]')?.textContent === '1 of 1')
  assert.equal(await current(), 'pid:4026532010:l:p:103')
  for (const id of ['pid:4026531836', 'pid:4026532010', 'pid:4026532010:l:cg:/cpu/103'])
    assert.equal(await p.getAttribute(`li[data-id="${id}"]`, 'aria-expanded'), 'true', id)
  assert.match(await p.textContent('li.current-match'), /"oldkernel" \(103\)/)

  // several matches, stepped through; every one highlighted
  await p.click('nav.drawer >> text=net')
  await p.waitForSelector('li.net-ns')
  await p.fill('[data-testid=search]', 'net:[')
  await p.waitForFunction(() => document.querySelector('[data-testid=search-count]')?.textContent === '1 of 5')
  assert.equal(await p.locator('li.match').count(), 5)
  assert.equal(await current(), 'net:4026531840')
  await p.press('[data-testid=search]', 'Enter')
  assert.equal(await status(), '2 of 5')
  assert.equal(await current(), 'net:4026532020')
  await p.press('[data-testid=search]', 'Shift+Enter')
  await p.press('[data-testid=search]', 'Shift+Enter')
  assert.equal(await status(), '5 of 5')
  assert.equal(await current(), 'net:4026532050')
  await p.click('button[aria-label="next match"]')
  assert.equal(await status(), '1 of 5')
  await shot(p, 'search-net')
  await p.press('[data-testid=search]', 'Escape')
  assert.equal(await p.inputValue('[data-testid=search]'), '')
  assert.equal(await status(), '')
  assert.equal(await p.locator('li.match').count(), 0)
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

// Deep links: /ns/ID and /pid/PID open the right view with the row
// expanded, selected and scrolled to; unknown IDs get a clear message.
test('deep links to a namespace and to a process', async () => {
  const p = await page()
  const selected = () => p.getAttribute('main li[aria-selected=true]', 'data-id')
  const expanded = (id) => p.getAttribute(`main li[data-id="${id}"]`, 'aria-expanded')
  await p.goto(base + 'ns/4026532050')
  await p.waitForSelector('main li[aria-selected=true]')
  assert.equal(await selected(), 'net:4026532050')
  assert.equal(await expanded('net:4026532050'), 'true')
  assert.match(await p.textContent('.appbar h1'), /net namespaces: net:\[4026532050\]/)
  assert.ok(await p.isVisible('main li[data-id="net:4026532050:l:ref"]'), 'its reference row shown')
  await shot(p, 'deep-link-ns')

  await p.goto(base + 'ns/4026532070')
  await p.waitForSelector('main li[aria-selected=true]')
  assert.equal(await selected(), 'm:4026532070', 'a mount namespace opens the mnt view')
  assert.equal(await expanded('m:4026532070'), 'true')

  // a process that is no leader: its PID namespace, its leader parent
  await p.goto(base + 'pid/102')
  await p.waitForSelector('main li[aria-selected=true]')
  assert.equal(await selected(), 'pid:4026532010:l:p:102')
  for (const id of ['pid:4026531836', 'pid:4026532010', 'pid:4026532010:l:cg:/cpu/100', 'pid:4026532010:l:p:100'])
    assert.equal(await expanded(id), 'true', id)
  assert.match(await p.textContent('main li[aria-selected=true]'), /"worker" \(102\)/)
  assert.ok(await p.evaluate(() => {
    const r = document.querySelector('main li[aria-selected=true]').getBoundingClientRect()
    return r.top >= 52 && r.bottom <= innerHeight
  }), 'scrolled into view')
  await shot(p, 'deep-link-pid')

  // a hidden system process: its PID namespace, and why
  await p.goto(base + 'pid/2')
  await p.waitForSelector('main li[aria-selected=true]')
  assert.equal(await selected(), 'pid:4026531836')
  assert.match(await p.textContent('.deep-note'), /Process 2 \("kthreadd"\) is a system process, not shown/)

  for (const [path, msg] of [['ns/123', /^No namespace 123 in this discovery\./],
    ['pid/99999', /^No process with PID 99999 in this discovery\./],
    ['ns/abc', /^"abc" is not a namespace ID/], ['pid/-1', /^"-1" is not a PID\./]]) {
    await p.goto(base + path)
    await p.waitForSelector('[role=alert]')
    assert.match(await p.textContent('[role=alert]'), msg, path)
    assert.equal(await p.locator('main [role=tree]').count(), 0)
  }
  // under a proxy's prefix too
  await p.goto(proxyBase + 'ns/4026532040')
  await p.waitForSelector('main li[aria-selected=true]')
  assert.equal(await selected(), 'net:4026532040')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('the containers view says what the discovery found', async () => {
  const p = await page()
  await p.goto(base + 'containers')
  await ready(p)
  assert.match(await p.textContent('[data-testid=containers-found]'), /^No container engine was found in this discovery/)
  assert.equal(await p.locator('main >> text=does not discover containers').count(), 0)
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

// The details dialog: a click on a namespace badge or a process, or "d"
// on a tree row; everything the model knows; links between them; focus
// trapped inside, Escape closes it and the focus goes back.
test('details dialog of a namespace and of a process', async () => {
  const p = await page()
  const dialog = p.locator('dialog.details')
  const inDialog = () => p.evaluate(() => !!document.activeElement?.closest('dialog.details'))
  await p.goto(base + 'net')
  await ready(p)
  await p.click('li[data-id="net:4026532040"] .row button.ns')
  await dialog.waitFor()
  assert.equal(await p.getAttribute('dialog.details', 'aria-labelledby') !== null, true)
  assert.equal(await dialog.locator('h2').textContent(), 'Namespace net:[4026532040]')
  const text = await dialog.textContent()
  assert.match(text, /held byan open file descriptor or a socket \(no process\)/)
  assert.match(text, /references\/proc\/101\/fd\/5 "holder" \(101\)/)
  assert.match(text, /owneruser:\[4026531837\]/)
  assert.match(text, /processes0/)
  await shot(p, 'details-ns')
  // the focus trap: Tab and Shift+Tab stay inside
  assert.ok(await inDialog(), 'the focus moves into the dialog')
  for (let i = 0; i < 8; i++) {
    await p.keyboard.press('Tab')
    assert.ok(await inDialog(), `Tab ${i + 1} stays in the dialog`)
  }
  for (let i = 0; i < 8; i++) {
    await p.keyboard.press('Shift+Tab')
    assert.ok(await inDialog(), `Shift+Tab ${i + 1} stays in the dialog`)
  }
  // to the holder process
  await dialog.locator('button.proc-ref[data-pid="101"]').click()
  await p.waitForFunction(() => document.querySelector('dialog.details h2')?.textContent === 'Process "holder" (101)')
  const ptext = await dialog.textContent()
  assert.match(ptext, /PID101/)
  assert.match(ptext, /cpu cgroup\/cpu\/101/)
  assert.match(ptext, /parent"init" \(1\)/)
  assert.ok(await dialog.locator('button.ns[data-nsid="4026531840"]').count() === 1, 'its net namespace')
  await shot(p, 'details-process')
  await p.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })

  // keyboard: "d" on a row opens the details of its subject; the focus
  // comes back to the row
  await p.focus('li[data-id="net:4026532020"]')
  await p.keyboard.press('d')
  await dialog.waitFor()
  assert.equal(await dialog.locator('h2').textContent(), 'Namespace net:[4026532020]')
  assert.match(await dialog.textContent(), /leaders"x\) \(y\nz" \(100\)/)
  await p.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  // (the focus returns after the dialog's removal is rendered: wait for it,
  // a bounded while, then check)
  await p.waitForFunction(() => document.activeElement?.dataset?.id === 'net:4026532020',
    null, { timeout: 5000 }).catch(() => {})
  assert.equal(await p.evaluate(() => document.activeElement?.dataset?.id), 'net:4026532020')
  // "show in the view" follows the deep link
  await p.click('li[data-id="net:4026532020"] .row button.ns')
  await dialog.locator('button:text("show in the net view")').click()
  await p.waitForURL(/\/ns\/4026532020$/)
  assert.equal(await p.getAttribute('main li[aria-selected=true]', 'data-id'), 'net:4026532020')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

// The service says why its view is incomplete in X-Lxkns-Partial-View;
// the UI shows it on every view as a status notice. A stub adds the header
// to the real service's answer.
test('a partial view (X-Lxkns-Partial-View) is a notice on every view', async () => {
  const p = await page()
  const summary = '64 processes could not be read (needs CAP_SYS_PTRACE)'
  await p.route('**/api/namespaces', async (route) => {
    const r = await route.fetch()
    await route.fulfill({ response: r, headers: { ...r.headers(), 'x-lxkns-partial-view': summary } })
  })
  for (const v of VIEWS) {
    await p.goto(base + v)
    await ready(p)
    const notice = p.locator('[data-testid=partial-view]')
    assert.equal(await notice.getAttribute('role'), 'status', `/${v}`)
    assert.equal(await notice.textContent(),
      `Partial view: ${summary}. What the service could not see is missing here.`, `/${v}`)
  }
  await p.goto(base)
  await ready(p)
  await shot(p, 'partial-view')
  // an imported file is not the service's view: no notice
  await p.setInputFiles('[data-testid=import-file]', sample)
  await p.waitForFunction((n) => document.querySelector('[data-testid=ns-count]')?.textContent === n,
    String(Object.keys(sampleDoc.namespaces).length))
  assert.equal(await p.locator('[data-testid=partial-view]').count(), 0)
  // and without the header there is none
  await p.unroute('**/api/namespaces')
  await p.goto(base + 'pid')
  await ready(p)
  await p.waitForFunction(() => !document.querySelector('[aria-label=refresh]').disabled)
  assert.equal(await p.locator('[data-testid=partial-view]').count(), 0)
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('the mnt view shows each mount tree root in the namespace row', async () => {
  const p = await page()
  await p.goto(base + 'mnt')
  await ready(p)
  const row = p.locator('li.mnt-ns[data-id="m:4026532070"] > .row')
  assert.match(await row.locator('.mnt-root').textContent(), /^\/ tmpfs8 below$/)
  assert.equal(await p.getAttribute('li.mnt-ns[data-id="m:4026532070"]', 'aria-expanded'), 'false')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('the drawer navigates between views', async () => {
  const p = await page()
  await p.goto(base)
  await ready(p)
  await p.click('nav.drawer >> text=pid')
  await p.waitForSelector('li.pid-ns')
  assert.equal(new URL(p.url()).pathname, '/pid')
  assert.match(await p.textContent('.appbar h1'), /pid namespaces/)
  await p.goBack()
  await p.waitForSelector('li.user-ns')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('expand all, collapse all, and expanding one node', async () => {
  const p = await page()
  await p.goto(base)
  await ready(p)
  assert.equal(await p.locator('main [role=treeitem][aria-level="1"]').count(), 1, 'one user namespace root')
  const roots = 1
  await p.click('button[aria-label="expand all"]')
  await p.waitForSelector('main >> text=alice')
  const all = await items(p)
  assert.ok(all > 15, `expanded: ${all} tree items`)
  assert.ok(await p.locator('.tenant.shared').count() >= 1, 'shared namespaces dimmed')
  assert.ok(await p.locator('.ns.initial').count() >= 8, 'initial namespaces marked')
  await shot(p, 'all-expanded')
  await p.click('button[aria-label="collapse all"]')
  assert.equal(await items(p), roots)
  const node = p.locator('[role=treeitem]').first()
  assert.equal(await node.getAttribute('aria-expanded'), 'false', 'collapsed')
  await node.locator('.row').first().click()
  assert.equal(await node.getAttribute('aria-expanded'), 'true')
  assert.ok(await items(p) > roots)
  await node.locator('.row').first().click()
  assert.equal(await items(p), roots)
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('importing a saved discovery shows its namespaces, containers, mounts and affinities', async () => {
  const p = await page()
  await p.goto(base + 'containers')
  await ready(p)
  await p.setInputFiles('[data-testid=import-file]', sample)
  await p.waitForFunction((n) => document.querySelector('[data-testid=ns-count]')?.textContent === n,
    String(Object.keys(sampleDoc.namespaces).length))
  assert.match(await p.textContent('.appbar'), /sample-discovery\.json/)
  await p.click('button[aria-label="expand all"]')
  for (const text of ['Docker', 'containerd', 'Podman', 'shop-web-1', 'shop-db-1', '[kind-control-plane]:coredns', 'project shop'])
    assert.ok(await p.locator(`main >> text=${text}`).count() >= 1, text)
  assert.equal(await p.locator('.engine.idle').count(), 1, 'the engine without containers is greyed')
  assert.equal(await p.textContent('[data-testid=containers-found]'),
    '3 container engines (Docker, containerd, Podman) with 4 containers, 1 paused in 2 groups.')
  // grouped by engine, then compose project or pod, with paused counts
  const project = p.locator('li[data-id="g:1:1"]')
  assert.equal(await project.getAttribute('data-parent'), 'e:1')
  assert.match(await project.textContent(), /compose project\s*shop\s*2 containers\s*1 paused/)
  assert.deepEqual(await p.locator('li[data-parent="g:1:1"]').evaluateAll((els) => els.map((e) => e.dataset.id)),
    ['g:1:c:6000', 'g:1:c:4242'])
  assert.match(await p.textContent('li[data-id="g:1:c:6000"]'), /shop-db-1[^]*paused/)
  assert.match(await p.textContent('li[data-id="g:2:2"]'), /pod\s*kube-system\/coredns-7db6d8ff4d-x2x9q\s*1 container/)
  assert.equal(await p.getAttribute('li[data-id="c:5000"]', 'data-parent'), 'e:1', 'a container in no group')
  assert.ok(await p.locator('.container.paused').count() >= 1, 'paused container')
  await shot(p, 'import-containers')

  await p.click('nav.drawer >> text=mnt')
  await p.click('button[aria-label="expand all"]')
  assert.ok(await p.locator('.mark.hidden-mark:text("hidden")').count() >= 1, 'hidden mounts marked')
  assert.ok(await p.locator('.mark.hidden-mark:text("overmounted")').count() >= 1, 'overmounted mount marked')
  assert.ok(await p.locator('.prop:text("shared:7")').count() >= 1, 'propagation shown')
  await shot(p, 'import-mounts')
  await p.click('button[aria-label="details of mount 700"]')
  const dialog = p.locator('dialog.dialog')
  await dialog.waitFor()
  assert.match(await dialog.textContent(), /Slaves[^]*mnt:\[4026531841\][^]*\/mnt\/data/)
  await shot(p, 'import-mount-details')
  await p.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })

  await p.click('nav.drawer >> text=CPU affinities')
  assert.equal(await items(p), 4, 'four online CPUs')
  await p.click('button[aria-label="expand all"]')
  assert.ok(await p.locator('.pinned').count() >= 1, 'pinned processes marked')
  assert.ok(await p.locator('.off-cpu').count() >= 1, 'off-CPU ancestors greyed')
  assert.ok(await p.locator('.sched.rt').count() >= 1, 'realtime process marked')
  await shot(p, 'import-affinities')

  await p.click('nav.drawer >> text=All namespaces')
  await p.click('button[aria-label="expand all"]')
  assert.ok(await p.locator('main >> text=frozen').count() >= 1, 'frozen process')
  assert.ok(await p.locator('main >> text=stray thread').count() >= 1, 'loose thread')
  assert.equal(await p.locator('select[aria-label=auto-refresh]').inputValue(), '0', 'import turns auto-refresh off')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('dropping a file imports it; a file that is no discovery is refused', async () => {
  const p = await page()
  await p.goto(base)
  await ready(p)
  const drop = async (name, text) => p.evaluate(([n, t]) => {
    const dt = new DataTransfer()
    dt.items.add(new File([t], n, { type: 'application/json' }))
    const app = document.querySelector('.app')
    app.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
    app.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
  }, [name, text])
  const status = () => p.textContent('[data-testid=load-status]')
  assert.equal(await status(), '', 'a small service discovery loads without a status line')
  await drop('sample.json', JSON.stringify(sampleDoc))
  await p.waitForFunction((n) => document.querySelector('[data-testid=ns-count]')?.textContent !== n, nsCount)
  assert.equal(await count(p), String(Object.keys(sampleDoc.namespaces).length))
  assert.equal(await status(), `Imported sample.json: ${Object.keys(sampleDoc.namespaces).length} namespaces, ` +
    `${Object.keys(sampleDoc.processes).length} processes.`)
  await drop('notes.json', '{"hello": "world"}')
  await p.waitForSelector('[role=alert]')
  assert.match(await p.textContent('[role=alert]'), /cannot import notes\.json: not an lxkns discovery/)
  assert.equal(await count(p), String(Object.keys(sampleDoc.namespaces).length), 'the shown discovery stays')
  assert.equal(await status(), '', 'no status after a refused file')
  // not JSON at all: the worker's parse error
  await drop('broken.json', '{"namespaces": ')
  await p.waitForFunction(() => /broken\.json/.test(document.querySelector('[role=alert]')?.textContent))
  assert.match(await p.textContent('[role=alert]'), /^cannot import broken\.json: .*JSON/)
  assert.equal(await count(p), String(Object.keys(sampleDoc.namespaces).length), 'the shown discovery stays')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('download saves the discovery shown as JSON', async () => {
  const p = await page()
  await p.goto(base)
  await ready(p)
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('button[aria-label=download]')])
  assert.match(dl.suggestedFilename(), /^lxkns-discovery-.*\.json$/)
  const saved = JSON.parse(readFileSync(await dl.path(), 'utf8'))
  const served = await (await fetch(base + 'api/namespaces')).json()
  assert.deepEqual(Object.keys(saved.namespaces).sort(), Object.keys(served.namespaces).sort())
  assert.deepEqual(saved.processes, served.processes)
  await p.context().close()
})

test('behind a path-rewriting proxy (X-Forwarded-Prefix) the UI works under its prefix', async () => {
  const p = await page()
  await p.goto(proxyBase + 'pid')
  await ready(p)
  assert.equal(await count(p), nsCount)
  assert.equal(await p.evaluate(() => document.baseURI), proxyBase)
  await p.click('nav.drawer >> text=net')
  await p.waitForSelector('li.net-ns')
  assert.equal(new URL(p.url()).pathname, '/lxkns/net')
  await p.click('button[aria-label=refresh]')
  await p.waitForFunction(() => !document.querySelector('button[aria-label=refresh]').disabled)
  await shot(p, 'proxy-prefix-net')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('settings: theme and system processes are applied and kept', async () => {
  const p = await page({ colorScheme: 'light' })
  await p.goto(base + 'settings')
  await ready(p)
  assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'light')
  await p.check('input[name=theme][value=dark]')
  assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'dark')
  await p.check('input[name=showSystem]')
  await p.reload()
  await ready(p)
  await p.waitForFunction(() => document.documentElement.dataset.theme === 'dark')
  assert.ok(await p.isChecked('input[name=showSystem]'))
  await p.goto(base)
  await ready(p)
  await p.click('button[aria-label="expand all"]')
  await shot(p, 'all-expanded-dark')
  await p.goto(base + 'settings')
  await p.check('input[name=theme][value=system]')
  assert.equal(await p.evaluate(() => document.documentElement.dataset.theme), 'light')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('auto-refresh discovers again', async () => {
  const p = await page()
  let requests = 0
  p.on('request', (r) => r.url().endsWith('/api/namespaces') && requests++)
  await p.goto(base)
  await ready(p)
  await p.selectOption('select[aria-label=auto-refresh]', '500')
  await p.waitForTimeout(1800)
  await p.selectOption('select[aria-label=auto-refresh]', '0')
  assert.ok(requests >= 3, `${requests} discoveries`)
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

test('the graph shows the user and PID hierarchies with ownership', async () => {
  const p = await page()
  await p.goto(base + 'graph')
  await ready(p)
  const users = ofType('user'), pids = ofType('pid'), nets = ofType('net')
  assert.equal(await p.locator('g.gnode').count(), users.length + pids.length, 'user and PID namespaces')
  assert.equal(await p.locator('path.edge.owner').count(), pids.filter((n) => n.owner).length)
  assert.equal(await p.locator('path.edge.parent').count(),
    users.filter((n) => n.parent).length + pids.filter((n) => n.parent).length)
  await p.check('.graph-tools input[type=checkbox] >> nth=1')
  assert.equal(await p.locator('g.gnode').count(), users.length + pids.length + nets.filter((n) => n.owner).length,
    'plus the net namespaces')
  await p.click('g.gnode[data-nsid="4026532000"]')
  assert.match(await p.textContent('.graph-details'), /user:\[4026532000\][^]*hidden/)
  await shot(p, 'graph')
  const before = await p.getAttribute('svg.graph > g', 'transform')
  await p.mouse.move(600, 400)
  await p.mouse.wheel(0, -300)
  await p.waitForFunction((b) => document.querySelector('svg.graph > g').getAttribute('transform') !== b, before)
  assert.deepEqual(p.problems, [])
  await p.context().close()
})

// A big host, 5000 processes and 1000 namespaces: the trees are
// virtualised (only rows near the viewport are in the DOM), scrolling
// renders the rows scrolled to, and the search still finds a process deep
// in a collapsed tree. Timings: tests/browser/bench-big.mjs (a benchmark,
// not this test).
test('a big host: virtualised trees, scrolling, search', async () => {
  const p = await page()
  const rows = () => p.evaluate(() => Number(document.querySelector('ul.tree')?.dataset.rows))
  // Its processes are kernel threads and in system.slice: show them all,
  // the heaviest tree.
  await p.addInitScript(() => localStorage.setItem('lxkns.settings', JSON.stringify({ showSystem: true })))
  await p.goto(base)
  await ready(p)
  // The import is parsed in a worker and modelled in slices, with a
  // status line (role=status) that says how far it is: every text it
  // showed is recorded.
  const status = p.locator('[data-testid=load-status]')
  assert.equal(await status.getAttribute('role'), 'status')
  await p.evaluate(() => {
    const el = document.querySelector('[data-testid=load-status]')
    window.__status = []
    new MutationObserver(() => window.__status.push(el.textContent))
      .observe(el, { childList: true, characterData: true, subtree: true })
  })
  await p.setInputFiles('[data-testid=import-file]', bigFile)
  await p.waitForFunction(() => document.querySelector('[data-testid=ns-count]')?.textContent === '1000')
  await p.waitForFunction(() => /^Imported/.test(document.querySelector('[data-testid=load-status]').textContent))
  assert.equal(await status.textContent(), 'Imported big-discovery.json: 1000 namespaces, 5000 processes.')
  const seen = await p.evaluate(() => window.__status)
  assert.equal(seen[0], `Loading big-discovery.json: reading ${Math.round(statSync(bigFile).size / 1024)} KiB…`)
  const progress = seen.slice(1, -1)
  assert.ok(progress.length >= 1, `progress while modelling: ${JSON.stringify(seen)}`)
  let last = -1
  for (const t of progress) {
    const m = /^Loading big-discovery\.json: 5000 processes, 1000 namespaces, (\d+) % modelled…$/.exec(t)
    assert.ok(m, t)
    assert.ok(Number(m[1]) > last && Number(m[1]) <= 100, `progress goes forward: ${JSON.stringify(progress)}`)
    last = Number(m[1])
  }
  assert.equal(seen.at(-1), 'Imported big-discovery.json: 1000 namespaces, 5000 processes.')
  // (made for the service's discovery when the page loaded, kept)
  const workers = p.workers().map((w) => w.url())
  assert.equal(workers.length, 1, 'one worker')
  assert.match(workers[0], /\/assets\/load-worker-[\w-]+\.js$/)
  assert.equal(await p.evaluate(async (u) => (await fetch(u)).status, workers[0]), 200,
    'the service serves the worker script (else the page parses the file itself)')
  await p.click('button[aria-label="expand all"]')
  await p.waitForFunction(() => Number(document.querySelector('ul.tree')?.dataset.rows) > 1000)
  const n = await rows()
  assert.ok(await items(p) < 300, `virtualised: ${await items(p)} of ${n} rows in the DOM`)
  assert.equal(await p.getAttribute('ul.tree', 'class'), 'tree virtual')
  // the last row, after scrolling to the end
  await p.evaluate(() => scrollTo(0, document.body.scrollHeight))
  await p.waitForFunction(() => {
    const last = document.querySelector('ul.tree > li:last-child')
    return last && Number(last.getAttribute('aria-posinset')) === Number(last.getAttribute('aria-setsize')) &&
      last.getBoundingClientRect().bottom <= innerHeight + 1
  })
  await shot(p, 'big-all-end')
  // keyboard End reaches the last row, Home the first
  await p.focus('ul.tree > li >> nth=0')
  await p.keyboard.press('Home')
  await p.waitForFunction(() => document.activeElement?.getAttribute('aria-level') === '1' &&
    document.activeElement?.getAttribute('aria-posinset') === '1')
  assert.ok(await p.evaluate(() => scrollY) < 200, 'scrolled back to the top')
  await p.click('button[aria-label="collapse all"]')
  await p.waitForFunction(() => Number(document.querySelector('ul.tree')?.dataset.rows) < 10)
  // the PID view: a process deep in the collapsed tree
  await p.click('nav.drawer >> text=pid')
  await p.waitForSelector('li.pid-ns')
  await p.fill('[data-testid=search]', '4999')
  await p.waitForFunction(() => document.querySelector('[data-testid=search-count]')?.textContent === '1 of 1')
  await p.waitForSelector('li.current-match')
  assert.match(await p.textContent('li.current-match'), /"proc4999" \(4999\)/)
  assert.ok(await p.evaluate(() => {
    const r = document.querySelector('li.current-match').getBoundingClientRect()
    return r.top >= 52 && r.bottom <= innerHeight
  }), 'the match is scrolled into view')
  await shot(p, 'big-pid-search')
  assert.deepEqual(p.problems, [])
  await p.context().close()
})
