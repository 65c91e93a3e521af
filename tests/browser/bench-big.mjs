// SPDX-License-Identifier: Apache-2.0
// Benchmark (not a test): the web UI on a big host, in Debian's chromium.
// A saved discovery of 5000 processes and 1000 namespaces (make-discovery.py
// big 5000 1000) is imported, with system processes shown (the heaviest
// trees); for each step the longest task the page's main thread ran
// (PerformanceObserver 'longtask': tasks over 50 ms) and the wall time
// until the step's result is on screen. The goal: no long task over 200 ms.
//
//   LXKNS=build/service/lxkns node tests/browser/bench-big.mjs [runs]
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const { chromium } = createRequire(join(root, 'web/package.json'))('playwright-core')
const LXKNS = process.env.LXKNS || join(root, 'build/service/lxkns')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const RUNS = Number(process.argv[2] || 3)

const dir = mkdtempSync(join(tmpdir(), 'lxkns-bench.'))
const bigFile = join(dir, 'big-discovery.json')
writeFileSync(bigFile, execFileSync('python3', [join(here, 'make-discovery.py'), 'big', '5000', '1000'],
  { maxBuffer: 64 << 20 }))

process.on('exit', () => svc.exitCode === null && process.kill(svc.pid, 'SIGTERM'))
const svc = spawn(LXKNS, ['--http', '127.0.0.1:0', '--procfs', join(root, 'tests/fixtures/proc/basic'),
  '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] })
const base = await new Promise((resolve, reject) => {
  let out = ''
  svc.stdout.on('data', (d) => {
    out += d
    const m = out.match(/serving on (http:\/\/\S+\/)/)
    if (m) resolve(m[1])
  })
  svc.on('exit', (c) => reject(new Error(`lxkns exited with ${c}`)))
})
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] })

const rows = (p) => p.evaluate(() => Number(document.querySelector('ul.tree')?.dataset.rows ?? 0))

async function step(p, name, action, done) {
  await p.evaluate(() => {
    window.__long = []
    window.__obs?.disconnect()
    window.__obs = new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration)))
    window.__obs.observe({ type: 'longtask' })
  })
  process.stderr.write(`# ${name}\n`)
  const t0 = Date.now()
  await action()
  await p.waitForFunction(done, null, { timeout: 120000 })
  // let the frame that shows it finish
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))))
  const wall = Date.now() - t0
  const long = await p.evaluate(() => window.__long)
  return { name, wall, max: Math.round(Math.max(0, ...long)), n: long.length }
}

const results = {}
for (let run = 0; run < RUNS; run++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const p = await ctx.newPage()
  await p.addInitScript(() => localStorage.setItem('lxkns.settings', JSON.stringify({ showSystem: true })))
  await p.goto(base)
  await p.waitForSelector('[role=tree]')
  const steps = [
    await step(p, 'import and first view', () => p.setInputFiles('[data-testid=import-file]', bigFile),
      () => document.querySelector('[data-testid=ns-count]')?.textContent === '1000'),
    await step(p, 'expand all (all namespaces)', () => p.click('button[aria-label="expand all"]'),
      () => Number(document.querySelector('ul.tree')?.dataset.rows) > 1000),
  ]
  const expandedRows = await rows(p)
  steps.push(await step(p, 'scroll to the end', () => p.evaluate(() => scrollTo(0, document.body.scrollHeight)),
    () => document.querySelector('ul.tree > li:last-child')?.getBoundingClientRect().top < innerHeight))
  steps.push(await step(p, 'collapse all', () => p.click('button[aria-label="collapse all"]'),
    () => Number(document.querySelector('ul.tree')?.dataset.rows) < 10))
  steps.push(await step(p, 'net view, expand all', async () => {
    await p.click('nav.drawer >> text=net')
    await p.click('button[aria-label="expand all"]')
  }, () => Number(document.querySelector('ul.tree')?.dataset.rows) > 100))
  steps.push(await step(p, 'pid view, expand all', async () => {
    await p.click('nav.drawer >> text=pid')
    await p.click('button[aria-label="expand all"]')
  }, () => Number(document.querySelector('ul.tree')?.dataset.rows) > 1000))
  const pidRows = await rows(p)
  steps.push(await step(p, 'pid view, collapse all', () => p.click('button[aria-label="collapse all"]'),
    () => Number(document.querySelector('ul.tree')?.dataset.rows) < 10))
  steps.push(await step(p, 'search a PID, jump to it', () => p.fill('[data-testid=search]', '4999'),
    () => document.querySelector('[data-testid=search-count]')?.textContent === '1 of 1' &&
      document.querySelector('li.current-match')))
  const dom = await p.evaluate(() => document.querySelectorAll('[role=treeitem]').length)
  for (const s of steps) (results[s.name] ??= []).push(s)
  if (run === 0) console.log(`rows: all view expanded ${expandedRows}, pid view expanded ${pidRows}; tree items in the DOM: ${dom}`)
  await ctx.close()
}

console.log(`${RUNS} runs; per step: the longest long task (ms, median of runs), long tasks, wall time (ms, median)`)
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]
for (const [name, list] of Object.entries(results))
  console.log(`${name.padEnd(30)} longest ${String(median(list.map((s) => s.max))).padStart(5)}  ` +
    `(all runs: ${list.map((s) => s.max).join(' ')})  long tasks ${median(list.map((s) => s.n))}  ` +
    `wall ${median(list.map((s) => s.wall))}`)

await browser.close()
const exited = new Promise((r) => svc.on('exit', r))
process.kill(svc.pid, 'SIGTERM')
await exited
rmSync(dir, { recursive: true })
