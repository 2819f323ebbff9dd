// attack: from Rust's standard library, read the host's secrets and the harness's processes (shadow and SSH files, PID 1's and the parent's environment and memory), change the program's own file, reach the host's listeners and the outside, and do the same through a shell it spawns (reading files, signalling PID 1, raising a hard limit)
// tests: probe etc-shadow root-ssh home-folders pid1-environ parent-mem code-main-write tcp-host-loopback tcp-redis tcp-outside udp-host-loopback=sent shell-etc-shadow shell-kill-pid1 shell-prlimit-pid1 shell-raise-cpu-hard shell=works

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::process::Command;
use std::time::Duration;

// One line per attempt on stdout, and on stderr too when it got through: "<name> contained"
// when the attempt failed, else "<name> ESCAPED ...".
fn attempt<T: std::fmt::Debug, E>(name: &str, result: Result<T, E>) {
    match result {
        Err(_) => println!("{} contained", name),
        Ok(value) => {
            println!("{} ESCAPED {:?}", name, value);
            eprintln!("{} ESCAPED {:?}", name, value);
        }
    }
}

fn read(path: &str) -> std::io::Result<usize> {
    let mut bytes = Vec::new();
    fs::File::open(path)?.read_to_end(&mut bytes)
}

// A shell script that must fail, its arguments carrying the run's marker: Err (contained)
// when it exits other than 0.
fn shell(script: &str) -> Result<String, String> {
    let done = Command::new("/bin/sh").args(["-c", script, "@MARKER@"]).output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&done.stdout).to_string() + &String::from_utf8_lossy(&done.stderr);
    if done.status.success() { Ok(text) } else { Err(text) }
}

fn tcp(address: &str) -> std::io::Result<TcpStream> {
    TcpStream::connect_timeout(&address.parse().unwrap(), Duration::from_secs(1))
}

fn main() {
    let parent = std::os::unix::process::parent_id();
    attempt("etc-shadow", read("/etc/shadow"));
    attempt("root-ssh", fs::read_dir("/root/.ssh").map(|d| d.count()));
    attempt("home-folders", fs::read_dir("/home").map(|d| d.count()));
    attempt("pid1-environ", read("/proc/1/environ"));
    attempt("parent-mem", read(&format!("/proc/{}/mem", parent)));
    attempt("code-main-write", OpenOptions::new().append(true).open("/code/main").and_then(|mut f| f.write(b"x")));
    attempt("tcp-host-loopback", tcp("127.0.0.1:@TCP_PORT@"));
    attempt("tcp-redis", tcp("127.0.0.1:6379"));
    attempt("tcp-outside", tcp("1.1.1.1:53"));
    // The jail's own loopback takes it: the host checks that nothing arrived.
    let sent = UdpSocket::bind("127.0.0.1:0").and_then(|s| {
        (0..20).try_for_each(|_| s.send_to(b"escaped", "127.0.0.1:@UDP_PORT@").map(|_| ()))
    });
    println!("udp-host-loopback {}", if sent.is_ok() { "sent" } else { "refused" });
    attempt("shell-etc-shadow", shell("cat /etc/shadow"));
    attempt("shell-kill-pid1", shell("kill -KILL 1; sleep 0.02; ! kill -0 1"));
    attempt("shell-prlimit-pid1", shell("prlimit --pid 1 --nofile=16:16"));
    attempt("shell-raise-cpu-hard", shell("prlimit --cpu=unlimited:unlimited true"));
    println!("shell {}", if shell("exit 0").is_ok() { "works" } else { "FAILED" });
}
