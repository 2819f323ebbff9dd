// attack: read the host's files and devices at compile time with include_str! and include_bytes! (/etc/passwd, the repository's README, /dev/zero): the compile jail has none of them
// tests: compile_error
// message: couldn't read

const PASSWD: &str = include_str!("/etc/passwd");
const README: &str = include_str!("@REPO@/README.md");
const ZERO: &[u8] = include_bytes!("/dev/zero");

fn main() {
    println!("{} {} {}", PASSWD, README, ZERO.len());
}
