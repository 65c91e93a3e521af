#!/usr/bin/python3
"""Writes deployments/lxkns-seccomp.json, the seccomp profile of the lxkns
container (compose.yaml): every x86-64 system call of the kernel headers is
allowed except the ones discovery never needs and that a container should
not have; unknown (newer) calls are refused. Arguments are filtered where
discovery needs only part of a call:

  unshare  only CLONE_FS (the mount helper thread's private fs struct)
  clone    no namespace flags (threads only); clone3 answers ENOSYS, so the C
           library falls back to clone, whose flags a filter can read

setns stays allowed: entering namespaces is what discovery does (it needs
CAP_SYS_ADMIN as well). Run it again after changing the lists:
  python3 deployments/make-seccomp.py > deployments/lxkns-seccomp.json
"""
import json, re, sys

HEADER = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
DENIED = {
    # mounting and changing roots: discovery only reads mounts
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "fsopen", "fsconfig", "fsmount",
    "fspick", "mount_setattr", "open_tree",
    # kernel modules, kexec, BPF, perf, reboot, swap, accounting, quotas
    "init_module", "finit_module", "delete_module", "create_module", "kexec_load",
    "kexec_file_load", "bpf", "perf_event_open", "reboot", "swapon", "swapoff", "acct",
    "quotactl", "quotactl_fd", "nfsservctl", "syslog", "vhangup", "iopl", "ioperm",
    "uselib", "lookup_dcookie", "get_kernel_syms", "query_module", "_sysctl",
    # tracing and writing into other processes
    "ptrace", "process_vm_writev", "kcmp", "process_madvise",
    # keys, clocks, handles
    "add_key", "request_key", "keyctl", "settimeofday", "clock_settime", "clock_adjtime",
    "adjtimex", "stime", "open_by_handle_at", "name_to_handle_at",
    # odd corners
    "userfaultfd", "personality", "sethostname", "setdomainname", "afs_syscall",
    "tuxcall", "security", "vserver", "putpmsg", "getpmsg", "pkey_mprotect",
    # filtered below
    "unshare", "clone", "clone3",
}
CLONE_NEW_MASK = 0x7E020000  # CLONE_NEWNS|CGROUP|UTS|IPC|USER|PID|NET (and TIME via unshare)
CLONE_FS = 0x200

names = sorted({m.group(1) for m in re.finditer(r"#define __NR_(\w+)\s+\d+", open(HEADER).read())})
allowed = [n for n in names if n not in DENIED]
profile = {
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 1,
    "archMap": [{"architecture": "SCMP_ARCH_X86_64",
                 "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
    "syscalls": [
        {"names": allowed, "action": "SCMP_ACT_ALLOW"},
        {"names": ["unshare"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": CLONE_FS, "op": "SCMP_CMP_EQ"}]},
        {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": CLONE_NEW_MASK, "valueTwo": 0,
                   "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
    ],
}
json.dump(profile, sys.stdout, indent=1)
sys.stdout.write("\n")
