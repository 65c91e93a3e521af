// SPDX-License-Identifier: Apache-2.0
// The first view on a live host (root): the service discovers the real
// /proc, where this test has made
//   - a net namespace held only by an fd of a python3 process (its creator
//     killed),
//   - a net namespace held only by a bind mount on a file in /run,
//   - a hidden user namespace (unshare -Ur unshare -Ur sleep: the middle
//     level has no process),
// and the first view must show all three without a click. Ground truth from
// readlink and the nsrel helper (tests/live/helpers). Everything started is
// killed by PID, the bind mount unmounted and its file removed.
//
//   LXKNS=build/service/lxkns NSREL=build/tests/live/nsrel node --test tests/browser/ui-live.test.mjs
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdirSync, readlinkSync, writeFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const { chromium } = createRequire(join(root, 'web/package.json'))('playwright-core')
const { LXKNS, NSREL } = process.env
const ARTIFACTS = process.env.ARTIFACTS || join(tmpdir(), 'lxkns-screenshots')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
mkdirSync(ARTIFACTS, { recursive: true })

const isRoot = process.getuid?.() === 0
const started = []
let service, base, browser, bindFile, mounted = false
let NX, H, HFD, NB, FP

const ino = (link) => Number(/\[(\d+)\]/.exec(readlinkSync(link))[1])
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
async function until(what, f, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) {
    try {
      const v = f()
      if (v) return v
    } catch { /* not yet */ }
  }
  throw new Error(`timed out waiting for ${what}`)
}
function start(cmd, args) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  started.push(p)
  return p
}
async function kill(p) {
  if (p.exitCode !== null || p.signalCode !== null) return
  const done = new Promise((r) => p.once('exit', r))
  process.kill(p.pid, 'SIGKILL')
  await done
}

before(async () => {
  if (!isRoot) return
  const myNet = ino('/proc/self/ns/net')
  // fd-held: X makes a net namespace, H opens it, X goes
  const X = start('unshare', ['--net', 'sleep', 'infinity'])
  NX = await until('X in its net namespace', () => {
    const n = ino(`/proc/${X.pid}/ns/net`)
    return n !== myNet && n
  })
  const h = start('/usr/bin/python3', ['-c',
    'import os, sys, time\nfd = os.open(sys.argv[1], os.O_RDONLY)\nprint(fd, flush=True)\ntime.sleep(3600)\n',
    `/proc/${X.pid}/ns/net`])
  H = h.pid
  HFD = await new Promise((resolve, reject) => {
    h.stdout.once('data', (d) => resolve(Number(String(d).trim())))
    h.once('exit', () => reject(new Error('the fd holder exited')))
  })
  await kill(X)
  // bind-mounted
  bindFile = `/run/lxkns-ui-live-${process.pid}`
  writeFileSync(bindFile, '')
  execFileSync('unshare', [`--net=${bindFile}`, 'true'])
  mounted = true
  NB = statSync(bindFile).ino
  // hidden: the middle user namespace of an exec chain
  const Y = start('unshare', ['-Ur', 'unshare', '-Ur', 'sleep', 'infinity'])
  await until('Y to exec sleep', () => readlinkSync(`/proc/${Y.pid}/exe`).endsWith('/sleep'))
  FP = Number(execFileSync(NSREL, [`/proc/${Y.pid}/ns/user`, 'parent'], { encoding: 'utf8' }).trim())

  service = start(LXKNS, ['--http', '127.0.0.1:0', '--log-level', 'warn'])
  base = await new Promise((resolve, reject) => {
    let out = ''
    service.stdout.on('data', (d) => {
      out += d
      const m = out.match(/serving on (http:\/\/\S+\/)/)
      if (m) resolve(m[1])
    })
    service.once('exit', (code) => reject(new Error(`lxkns exited with ${code}`)))
  })
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})

after(async () => {
  await browser?.close()
  for (const p of started.reverse()) await kill(p)
  if (mounted) execFileSync('umount', [bindFile])
  if (bindFile) rmSync(bindFile, { force: true })
})

test('live: the first view shows an fd-held, a bind-mounted and a hidden namespace without a click',
  { skip: !isRoot && 'needs root' }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const p = await ctx.newPage()
    const problems = []
    p.on('pageerror', (e) => problems.push(e.message))
    await p.goto(base)
    await p.waitForSelector('main [role=tree]')
    await p.screenshot({ path: join(ARTIFACTS, 'live-first-view.png'), fullPage: true })
    const top = p.locator('main [role=treeitem][aria-level="1"][aria-expanded=true]')
    assert.equal(await top.count(), 1, 'the initial user namespace is expanded')
    const topId = await top.getAttribute('data-id')
    const level1 = (sel) => p.locator(`main ${sel}[data-parent="${topId}"]`)

    const fd = level1('li.tenant').filter({ has: p.locator(`.ns[data-nsid="${NX}"]`) })
    assert.equal(await fd.count(), 1, `fd-held net:[${NX}] at the first level`)
    assert.match(await fd.locator('.row').first().textContent(),
      new RegExp(`fd/socket-held\\s*"/proc/${H}/fd/${HFD}" \\[python3\\]`))

    const bind = level1('li.tenant').filter({ has: p.locator(`.ns[data-nsid="${NB}"]`) })
    assert.equal(await bind.count(), 1, `bind-mounted net:[${NB}] at the first level`)
    const brow = await bind.locator('.row').first().textContent()
    assert.match(brow, /bind-mounted/)
    assert.ok(brow.includes(`"${bindFile}"`), brow)

    const hidden = level1(`li.hidden-user[data-id="u:${FP}"]`)
    assert.equal(await hidden.count(), 1, `hidden user:[${FP}] at the first level`)
    const hrow = await hidden.locator('.row').first().textContent()
    assert.match(hrow, /hidden/)
    assert.match(hrow, /children 1/)
    assert.deepEqual(problems, [])
    await ctx.close()
  })
