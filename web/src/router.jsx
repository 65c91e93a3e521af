// SPDX-License-Identifier: Apache-2.0
// A small router on the history API. Routes are relative to <base href>,
// so the UI works under any prefix a reverse proxy gives it.
import { useEffect, useState } from 'preact/hooks'

export function basePath() {
  return new URL(document.baseURI).pathname.replace(/\/?$/, '/')
}

export function currentRoute() {
  const base = basePath()
  const p = location.pathname
  const rel = p.startsWith(base) ? p.slice(base.length) : p.replace(/^\//, '')
  return '/' + rel.replace(/\/$/, '')
}

const listeners = new Set()

export function navigate(route) {
  const url = basePath() + route.replace(/^\//, '')
  if (url !== location.pathname) history.pushState(null, '', url)
  for (const f of listeners) f(currentRoute())
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute())
  useEffect(() => {
    const onPop = () => setRoute(currentRoute())
    listeners.add(setRoute)
    addEventListener('popstate', onPop)
    return () => {
      listeners.delete(setRoute)
      removeEventListener('popstate', onPop)
    }
  }, [])
  return route
}

// <Link to="/pid">: a real link (middle-click works), routed in place.
export function Link({ to, children, ...rest }) {
  const href = basePath() + to.replace(/^\//, '')
  const onClick = (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(to)
    rest.onNavigate?.()
  }
  const { onNavigate, ...attrs } = rest
  return (
    <a href={href} onClick={onClick} {...attrs}>
      {children}
    </a>
  )
}
