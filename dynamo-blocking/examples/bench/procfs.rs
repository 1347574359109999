//! What the bench reads from /proc: CPU time and peak memory (Linux only;
//! `None` elsewhere or when a file is missing).

use std::fs;

/// Nanoseconds the calling thread has run on a CPU, from the first field of
/// `/proc/thread-self/schedstat` (nanosecond resolution).
pub fn thread_cpu_ns() -> Option<u64> {
    let text = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// User and system CPU time of the whole process, in clock ticks, from
/// `/proc/self/stat` (fields 14 and 15).
pub fn process_cpu_ticks() -> Option<(u64, u64)> {
    let text = fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after = &text[text.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3, so fields 14 and 15 are at 11 and 12.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime, stime))
}

/// Clock ticks per second of `/proc/self/stat`. Linux's USER_HZ is 100 on
/// every mainstream architecture (reading it needs libc's sysconf).
pub const TICKS_PER_SECOND: u64 = 100;

/// A `VmXxx:` figure of `/proc/self/status`, in kB.
fn status_kb(field: &str) -> Option<u64> {
    let text = fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].split_whitespace().next()?.parse().ok()
}

/// Peak resident memory of this process so far, in kB.
pub fn vm_hwm_kb() -> Option<u64> {
    status_kb("VmHWM:")
}

/// Resident memory now, in kB.
pub fn vm_rss_kb() -> Option<u64> {
    status_kb("VmRSS:")
}

/// The CPU model, from `/proc/cpuinfo`.
pub fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// Keeps the calling thread, and every process it starts, on one CPU until
/// dropped (then the thread's previous CPUs are restored).
///
/// The client CPU rows run under it, with their canned server: a wake-up
/// across CPUs costs far more than one on the same CPU in a virtual machine
/// (an interrupt between virtual CPUs), and where the scheduler happens to
/// put the two processes then moved the figures by ±20% from run to run.
/// On one CPU both clients, ours and the bare socket, always pay the same.
#[cfg(target_os = "linux")]
pub struct OneCpu {
    previous: libc::cpu_set_t,
}

#[cfg(target_os = "linux")]
impl OneCpu {
    /// Pins to the lowest CPU the thread may run on; `None` if the system
    /// refuses.
    pub fn pin() -> Option<OneCpu> {
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: both calls get a pointer to a properly sized, initialised
        // `cpu_set_t` owned by this frame, and `size` is its exact size;
        // pid 0 means the calling thread.
        unsafe {
            let mut previous: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, size, &mut previous) != 0 {
                return None;
            }
            let cpu = (0..libc::CPU_SETSIZE as usize).find(|&c| libc::CPU_ISSET(c, &previous))?;
            let mut one: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(cpu, &mut one);
            if libc::sched_setaffinity(0, size, &one) != 0 {
                return None;
            }
            Some(OneCpu { previous })
        }
    }
}

#[cfg(target_os = "linux")]
impl Drop for OneCpu {
    fn drop(&mut self) {
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: as in `pin`.
        unsafe {
            libc::sched_setaffinity(0, size, &self.previous);
        }
    }
}

/// Elsewhere there is nothing to pin.
#[cfg(not(target_os = "linux"))]
pub struct OneCpu;

#[cfg(not(target_os = "linux"))]
impl OneCpu {
    pub fn pin() -> Option<OneCpu> {
        None
    }
}
