//! A unique temporary home directory for configuration and credentials
//! tests, removed on drop: files are written under it, and its
//! environment points `HOME` at it.

#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use dynamo_blocking::config::Environment;

/// A unique temporary directory, removed on drop. It plays the home
/// directory: files are written under it.
pub struct TempHome {
    /// The directory.
    pub root: PathBuf,
}

impl TempHome {
    pub fn new() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let root = std::env::temp_dir().join(format!(
            "dynamo-config-test-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        fs::create_dir_all(&root).expect("create temp dir");
        TempHome { root }
    }

    /// Writes `contents` to `relative` (creating directories) and returns
    /// the full path.
    pub fn write(&self, relative: &str, contents: &str) -> PathBuf {
        let path = self.root.join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(&path, contents).expect("write file");
        path
    }

    pub fn credentials(&self, contents: &str) -> PathBuf {
        self.write(".aws/credentials", contents)
    }

    pub fn config(&self, contents: &str) -> PathBuf {
        self.write(".aws/config", contents)
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// An environment with `HOME` pointing here, plus `vars`.
    pub fn env(&self, vars: &[(&str, &str)]) -> Environment {
        // Instance metadata is off: no test may reach 169.254.169.254.
        let mut pairs = vec![
            ("HOME".to_string(), self.root.to_string_lossy().into_owned()),
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
        ];
        pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Environment::from_pairs(pairs)
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}
