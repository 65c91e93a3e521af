# SPDX-License-Identifier: Apache-2.0
"""The commands lsuserns, lspidns and graphns (module lshierns)."""
