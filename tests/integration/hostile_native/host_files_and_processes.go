// attack: from Go's standard library (and raw system calls through package syscall), read the host's secrets and the harness's processes (shadow and SSH files, PID 1's and the parent's environment and memory), change the program's own file, lower PID 1's and the parent's limits, reach the host's listeners and the outside, and do the same through a shell it spawns
// tests: probe etc-shadow root-ssh home-folders pid1-environ parent-mem code-main-write prlimit-pid1 prlimit-parent tcp-host-loopback tcp-redis tcp-outside udp-host-loopback=sent shell-etc-shadow shell-kill-pid1 shell-raise-cpu-hard shell=works

package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"syscall"
	"time"
	"unsafe"
)

// One line per attempt on stdout, and on stderr too when it got through: "<name> contained"
// when the attempt failed, else "<name> ESCAPED ...".
func attempt(name string, value interface{}, err error) {
	if err != nil {
		fmt.Printf("%s contained\n", name)
		return
	}
	fmt.Printf("%s ESCAPED %v\n", name, value)
	fmt.Fprintf(os.Stderr, "%s ESCAPED %v\n", name, value)
}

func read(path string) (int, error) {
	data, err := os.ReadFile(path)
	return len(data), err
}

func entries(path string) (int, error) {
	found, err := os.ReadDir(path)
	return len(found), err
}

// A shell script that must fail, its arguments carrying the run's marker: an error
// (contained) when it exits other than 0.
func shell(script string) (string, error) {
	out, err := exec.Command("/bin/sh", "-c", script, "@MARKER@").CombinedOutput()
	return string(out), err
}

func tcp(address string) (net.Conn, error) {
	return net.DialTimeout("tcp", address, time.Second)
}

// prlimit64(pid, RLIMIT_NOFILE, {16, 16}, NULL): lowering another process's limit.
func prlimit(pid int) (int, error) {
	limit := [2]uint64{16, 16}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), 7,
		uintptr(unsafe.Pointer(&limit)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return pid, nil
}

func main() {
	parent := os.Getppid()
	n, err := read("/etc/shadow")
	attempt("etc-shadow", n, err)
	n, err = entries("/root/.ssh")
	attempt("root-ssh", n, err)
	n, err = entries("/home")
	attempt("home-folders", n, err)
	n, err = read("/proc/1/environ")
	attempt("pid1-environ", n, err)
	n, err = read(fmt.Sprintf("/proc/%d/mem", parent))
	attempt("parent-mem", n, err)
	file, err := os.OpenFile("/code/main", os.O_WRONLY|os.O_APPEND, 0)
	if err == nil {
		_, err = file.Write([]byte("x"))
	}
	attempt("code-main-write", "/code/main", err)
	n, err = prlimit(1)
	attempt("prlimit-pid1", n, err)
	n, err = prlimit(parent)
	attempt("prlimit-parent", n, err)
	conn, err := tcp("127.0.0.1:@TCP_PORT@")
	attempt("tcp-host-loopback", conn, err)
	conn, err = tcp("127.0.0.1:6379")
	attempt("tcp-redis", conn, err)
	conn, err = tcp("1.1.1.1:53")
	attempt("tcp-outside", conn, err)
	// The jail's own loopback takes it: the host checks that nothing arrived.
	sent := "refused"
	target, _ := net.ResolveUDPAddr("udp", "127.0.0.1:@UDP_PORT@")
	if udp, err := net.ListenPacket("udp", "127.0.0.1:0"); err == nil {
		sent = "sent"
		for i := 0; i < 20; i++ {
			if _, err := udp.WriteTo([]byte("escaped"), target); err != nil {
				sent = "refused"
			}
		}
	}
	fmt.Printf("udp-host-loopback %s\n", sent)
	out, err := shell("cat /etc/shadow")
	attempt("shell-etc-shadow", out, err)
	out, err = shell("kill -KILL 1; sleep 0.02; ! kill -0 1")
	attempt("shell-kill-pid1", out, err)
	out, err = shell("prlimit --cpu=unlimited:unlimited true")
	attempt("shell-raise-cpu-hard", out, err)
	if _, err := shell("exit 0"); err == nil {
		fmt.Println("shell works")
	} else {
		fmt.Println("shell FAILED")
	}
}
