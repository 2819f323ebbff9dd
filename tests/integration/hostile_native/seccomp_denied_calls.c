// attack: every system call python.cfg's seccomp policy denies, made directly with syscall(2), against PID 1 and the parent where a call takes a process
// tests: probe io_uring_setup io_uring_enter io_uring_register userfaultfd perf_event_open bpf keyctl add_key request_key mount umount2 pivot_root chroot open_tree move_mount fsopen fsconfig fsmount fspick mount_setattr unshare setns ptrace-traceme ptrace-attach-pid1 ptrace-attach-parent ptrace-seize-child process_vm_readv-pid1 process_vm_writev-parent kcmp-pid1 pidfd_getfd-pid1 personality-query personality-set inotify_init1 inotify_add_watch fanotify_init init_module finit_module delete_module kexec_load kexec_file_load reboot swapon swapoff acct syslog quotactl open_by_handle_at name_to_handle_at settimeofday clock_settime adjtimex clock_adjtime sethostname setdomainname mq_open msgget shmget semget lookup_dcookie vhangup

#include "probe.h"

#include <linux/personality.h>
#include <time.h>

static char page[4096];

int main(void) {
    ATTEMPT("io_uring_setup", EPERM, syscall(SYS_io_uring_setup, 8, page));
    ATTEMPT("io_uring_enter", EPERM, syscall(SYS_io_uring_enter, 0, 1, 0, 0, 0, 0));
    ATTEMPT("io_uring_register", EPERM, syscall(SYS_io_uring_register, 0, 0, 0, 0));
    ATTEMPT("userfaultfd", EPERM, syscall(SYS_userfaultfd, 0));
    ATTEMPT("perf_event_open", EPERM, syscall(SYS_perf_event_open, page, 0, -1, -1, 0));
    ATTEMPT("bpf", EPERM, syscall(SYS_bpf, 0, page, 128));
    ATTEMPT("keyctl", EPERM, syscall(SYS_keyctl, 0, -3, 0));
    ATTEMPT("add_key", EPERM, syscall(SYS_add_key, "user", "k", "v", 1, -3));
    ATTEMPT("request_key", EPERM, syscall(SYS_request_key, "user", "k", 0, -3));
    ATTEMPT("mount", EPERM, syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, 0));
    ATTEMPT("umount2", EPERM, syscall(SYS_umount2, "/tmp", 2));
    ATTEMPT("pivot_root", EPERM, syscall(SYS_pivot_root, "/tmp", "/tmp"));
    ATTEMPT("chroot", EPERM, syscall(SYS_chroot, "/tmp"));
    ATTEMPT("open_tree", EPERM, syscall(SYS_open_tree, AT_FDCWD, "/usr", 1));
    ATTEMPT("move_mount", EPERM, syscall(SYS_move_mount, AT_FDCWD, "/usr", AT_FDCWD, "/tmp", 0));
    ATTEMPT("fsopen", EPERM, syscall(SYS_fsopen, "tmpfs", 0));
    ATTEMPT("fsconfig", EPERM, syscall(SYS_fsconfig, 0, 6, 0, 0, 0));
    ATTEMPT("fsmount", EPERM, syscall(SYS_fsmount, 0, 0, 0));
    ATTEMPT("fspick", EPERM, syscall(SYS_fspick, AT_FDCWD, "/tmp", 0));
    ATTEMPT("mount_setattr", EPERM, syscall(SYS_mount_setattr, AT_FDCWD, "/usr", 0, page, 32));
    ATTEMPT("unshare", EPERM, syscall(SYS_unshare, CLONE_NEWUSER));
    ATTEMPT("setns", EPERM, syscall(SYS_setns, 0, 0));
    ATTEMPT("ptrace-traceme", EPERM, syscall(SYS_ptrace, 0, 0, 0, 0));
    ATTEMPT("ptrace-attach-pid1", EPERM, syscall(SYS_ptrace, 16, 1, 0, 0));
    ATTEMPT("ptrace-attach-parent", EPERM, syscall(SYS_ptrace, 16, getppid(), 0, 0));
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    ATTEMPT("ptrace-seize-child", EPERM, syscall(SYS_ptrace, 0x4206, child, 0, 0));
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    char buffer[64];
    struct iovec local = {buffer, sizeof buffer}, remote = {(void *)0x400000, sizeof buffer};
    ATTEMPT("process_vm_readv-pid1", EPERM,
            syscall(SYS_process_vm_readv, 1, &local, 1, &remote, 1, 0));
    ATTEMPT("process_vm_writev-parent", EPERM,
            syscall(SYS_process_vm_writev, getppid(), &local, 1, &remote, 1, 0));
    ATTEMPT("kcmp-pid1", EPERM, syscall(SYS_kcmp, getpid(), 1, 0, 0, 0));
    long pidfd = syscall(SYS_pidfd_open, 1, 0);
    ATTEMPT("pidfd_getfd-pid1", EPERM, syscall(SYS_pidfd_getfd, pidfd, 0, 0));
    ATTEMPT("personality-query", EPERM, syscall(SYS_personality, 0xffffffff));
    ATTEMPT("personality-set", EPERM, syscall(SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE));
    ATTEMPT("inotify_init1", EPERM, syscall(SYS_inotify_init1, 0));
    ATTEMPT("inotify_add_watch", EPERM, syscall(SYS_inotify_add_watch, 0, "/code", 2));
    ATTEMPT("fanotify_init", EPERM, syscall(SYS_fanotify_init, 0, 0));
    ATTEMPT("init_module", EPERM, syscall(SYS_init_module, page, sizeof page, ""));
    ATTEMPT("finit_module", EPERM, syscall(SYS_finit_module, 0, "", 0));
    ATTEMPT("delete_module", EPERM, syscall(SYS_delete_module, "loop", 0));
    ATTEMPT("kexec_load", EPERM, syscall(SYS_kexec_load, 0, 0, 0, 0));
    ATTEMPT("kexec_file_load", EPERM, syscall(SYS_kexec_file_load, 0, 0, 0, "", 0));
    // LINUX_REBOOT_CMD_CAD_OFF: harmless, were it ever let through.
    ATTEMPT("reboot", EPERM, syscall(SYS_reboot, 0xfee1dead, 672274793, 0, 0));
    ATTEMPT("swapon", EPERM, syscall(SYS_swapon, "/tmp/swap", 0));
    ATTEMPT("swapoff", EPERM, syscall(SYS_swapoff, "/tmp/swap"));
    ATTEMPT("acct", EPERM, syscall(SYS_acct, 0));
    ATTEMPT("syslog", EPERM, syscall(SYS_syslog, 3, page, sizeof page));
    ATTEMPT("quotactl", EPERM, syscall(SYS_quotactl, 0, "/tmp", 0, 0));
    ATTEMPT("open_by_handle_at", EPERM, syscall(SYS_open_by_handle_at, AT_FDCWD, page, 0));
    int mount_id;
    ATTEMPT("name_to_handle_at", EPERM,
            syscall(SYS_name_to_handle_at, AT_FDCWD, "/code", page, &mount_id, 0));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    ATTEMPT("settimeofday", EPERM, syscall(SYS_settimeofday, 0, 0));
    ATTEMPT("clock_settime", EPERM, syscall(SYS_clock_settime, CLOCK_REALTIME, &now));
    ATTEMPT("adjtimex", EPERM, syscall(SYS_adjtimex, page));
    ATTEMPT("clock_adjtime", EPERM, syscall(SYS_clock_adjtime, CLOCK_REALTIME, page));
    ATTEMPT("sethostname", EPERM, syscall(SYS_sethostname, "escaped", 7));
    ATTEMPT("setdomainname", EPERM, syscall(SYS_setdomainname, "escaped", 7));
    ATTEMPT("mq_open", EPERM, syscall(SYS_mq_open, "q", O_CREAT | O_RDWR, 0600, 0));
    ATTEMPT("msgget", EPERM, syscall(SYS_msgget, 0, 01000 | 0600));
    ATTEMPT("shmget", EPERM, syscall(SYS_shmget, 0, 4096, 01000 | 0600));
    ATTEMPT("semget", EPERM, syscall(SYS_semget, 0, 1, 01000 | 0600));
    ATTEMPT("lookup_dcookie", EPERM, syscall(SYS_lookup_dcookie, 0, page, sizeof page));
    ATTEMPT("vhangup", EPERM, syscall(SYS_vhangup));
    return 0;
}
