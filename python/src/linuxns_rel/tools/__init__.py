# SPDX-License-Identifier: Apache-2.0
"""The commands lsuserns, lspidns (installed as lspidns-rel: lspidns is the
C tool's name) and graphns (module lshierns)."""
