// SPDX-License-Identifier: Apache-2.0
// Inline SVG icons (24x24, currentColor).
const icon = (d) => (props) => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" {...props}>
    <path d={d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
  </svg>
)

export const MenuIcon = icon('M4 6h16M4 12h16M4 18h16')
export const RefreshIcon = icon('M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7')
export const ExpandIcon = icon('M7 8l5 5 5-5M7 14l5 5 5-5')
export const CollapseIcon = icon('M7 16l5-5 5 5M7 10l5-5 5 5')
export const DownloadIcon = icon('M12 4v11M7 10l5 5 5-5M4 20h16')
export const UploadIcon = icon('M12 20V9M7 14l5-5 5 5M4 4h16')
export const CloseIcon = icon('M6 6l12 12M18 6L6 18')
export const PauseIcon = icon('M9 5v14M15 5v14')
export const PinIcon = icon('M12 17v5M8 3h8l-1 6 3 4H6l3-4z')
export const BoltIcon = icon('M13 2L4 14h7l-1 8 9-12h-7z')

// One icon per namespace type (the colours come from styles.css, after the
// CLI themes).
export const TYPE_ICONS = {
  user: icon('M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0'),
  pid: icon('M6 3v18M6 7h5M6 17h5M13 4h7v6h-7zM13 14h7v6h-7z'),
  mnt: icon('M3 6h7l2 2h9v11H3z'),
  net: icon('M9 3h6v5H9zM12 8v4M5 12h14M5 12v4M19 12v4M12 12v4M3 16h4v5H3zM10 16h4v5h-4zM17 16h4v5h-4z'),
  uts: icon('M3 4h18v12H3zM8 20h8M12 16v4'),
  ipc: icon('M4 5h16v11H10l-5 4v-4H4z'),
  cgroup: icon('M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z'),
  time: icon('M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 3'),
}

// The marks.
export const CrownIcon = icon('M3 19h18M4 16L3 6l5 4 4-6 4 6 5-4-1 10z')
export const FlagIcon = icon('M5 21V4h12l-2 4 2 4H5')
export const LinkIcon = icon('M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1')
export const FileIcon = icon('M6 3h8l4 4v14H6zM14 3v4h4')
export const GhostIcon = icon('M5 21V10a7 7 0 0 1 14 0v11l-2.3-2-2.4 2-2.3-2-2.3 2-2.4-2zM9.5 10h.01M14.5 10h.01')
export const ThreadIcon = icon('M3 12c3-7 6 7 9 0s6 7 9 0')
export const SnowIcon = icon('M12 2v20M3.5 7l17 10M20.5 7l-17 10')
export const BoxIcon = icon('M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10')
export const LayersIcon = icon('M12 3l9 5-9 5-9-5zM3 13l9 5 9-5')
