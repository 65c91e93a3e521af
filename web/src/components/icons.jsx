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
