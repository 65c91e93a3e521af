// SPDX-License-Identifier: Apache-2.0
import { setSetting } from '../store.js'

export function Settings({ settings }) {
  return (
    <div class="page settings">
      <section>
        <h2>Appearance</h2>
        <fieldset>
          <legend>Theme</legend>
          {[['system', 'as the system prefers'], ['light', 'light'], ['dark', 'dark']].map(([v, text]) => (
            <label key={v} class="radio">
              <input type="radio" name="theme" value={v} checked={settings.theme === v}
                onChange={() => setSetting('theme', v)} /> {text}
            </label>
          ))}
        </fieldset>
      </section>
      <section>
        <h2>Display</h2>
        <label class="check">
          <input type="checkbox" name="showSystem" checked={settings.showSystem}
            onChange={(e) => setSetting('showSystem', e.currentTarget.checked)} />
          show system processes as leaders: kernel threads, children of a PID 1 that cannot be read,
          and processes in /system.slice, /init.scope and /user.slice (hidden by default, as in Go lxkns)
        </label>
        <label class="check">
          <input type="checkbox" name="showShared" checked={settings.showShared}
            onChange={(e) => setSetting('showShared', e.currentTarget.checked)} />
          show shared namespaces (used by a user namespace's processes, owned by another one; dimmed)
        </label>
        <label class="check">
          <input type="checkbox" name="expandNew" checked={settings.expandNew}
            onChange={(e) => setSetting('expandNew', e.currentTarget.checked)} />
          expand everything after loading a discovery
        </label>
      </section>
      <p class="note">Settings are kept in this browser (localStorage).</p>
    </div>
  )
}
