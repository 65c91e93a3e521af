# SPDX-License-Identifier: Apache-2.0
"""The exceptions of the lxkns package."""


class LxknsError(Exception):
    """Base of the errors lxkns raises itself (the operating system's own
    errors stay OSError and its subclasses). str(e) is the diagnostic text."""


class LibraryNotFoundError(LxknsError, ImportError):
    """liblxkns.so.0 (or LXKNS_LIBRARY) cannot be loaded."""


class DiscoveryError(LxknsError, OSError):
    """lxkns_discover() could not run at all (e.g. an unreadable procfs
    root); errno is set."""


class DocumentError(LxknsError, ValueError):
    """A JSON document is not a discovery: the reader's one-line
    explanation (with line and column for JSON syntax) is the message."""
